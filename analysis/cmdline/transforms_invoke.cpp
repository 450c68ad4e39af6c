// Invoke-Obfuscation's ENCODING\WHITESPACE and ENCODING\SPECIALCHAR launchers, decoded
// statically. Nothing is executed: the whitespace form is a fixed digit code, and the
// special-character form is evaluated by a tiny interpreter that knows exactly the subset the
// generator emits (integer variables, ++, indexing into a few constant strings, +, and "${x}"
// interpolation). Anything outside that subset yields no layer rather than a guess.
#include "transforms.h"

#include <QHash>

namespace causa::detail {

namespace {

bool isPrintableDecoded(QStringView s)
{
    bool letter = false;
    for (QChar c : s) {
        const char16_t u = c.unicode();
        if (u == '\t' || u == '\r' || u == '\n')
            continue;
        if (u < 0x20 || u == 0x7F || !c.isPrint())
            return false;
        letter = letter || c.isLetter();
    }
    return letter;
}

// Content of a whitespace-encoded literal: characters separated by two tabs; each character is
// single-tab-separated runs of spaces whose (length - 1) are the decimal digits of its code.
bool decodeWhitespace(QStringView body, QString *out)
{
    QString result;
    result.reserve(body.size() / 16 + 1);
    qsizetype i = 0;
    const qsizetype n = body.size();
    while (i <= n) {
        // One character: runs of spaces separated by single tabs, ended by "\t\t" or the end.
        quint32 code = 0;
        int digits = 0;
        for (;;) {
            qsizetype run = 0;
            while (i < n && body[i] == QLatin1Char(' '))
                ++run, ++i;
            if (run == 0 || run > 10) // an empty run is "-1"; more than 10 is not a digit
                return false;
            code = code * 10 + quint32(run - 1);
            if (++digits > 5 || code > 0xFFFF)
                return false;
            if (i >= n)
                break;
            // body[i] is a tab here (the body holds only spaces and tabs).
            ++i;
            if (i < n && body[i] == QLatin1Char('\t')) {
                ++i;
                break;
            }
        }
        result += QChar(char16_t(code));
        if (i >= n)
            break;
    }
    if (result.size() < 2 || !isPrintableDecoded(result))
        return false;
    *out = std::move(result);
    return true;
}

} // namespace

bool whitespaceEncodingTransform(QStringView text, const LayerScan &scan, TransformOutput *out)
{
    if (!scan.has('\t') || !(scan.has('\'') || scan.has('"')))
        return false;
    constexpr qsizetype kMinChars = 16;
    const qsizetype n = text.size();
    qsizetype i = 0;
    while (i < n) {
        const char16_t q = text[i].unicode();
        if (q != '\'' && q != '"') {
            ++i;
            continue;
        }
        qsizetype j = i + 1;
        bool tab = false;
        bool space = false;
        while (j < n && (text[j] == QLatin1Char(' ') || text[j] == QLatin1Char('\t'))) {
            tab = tab || text[j] == QLatin1Char('\t');
            space = space || text[j] == QLatin1Char(' ');
            ++j;
        }
        if (j < n && text[j].unicode() == q && tab && space && j - i - 1 >= kMinChars) {
            QString decoded;
            if (decodeWhitespace(text.mid(i + 1, j - i - 1), &decoded)) {
                out->transform = QStringLiteral("whitespace-encoding");
                out->touch(i, j + 1);
                out->edits = 1;
                out->text = std::move(decoded);
                out->note =
                    QStringLiteral("Invoke-Obfuscation whitespace encoding: space runs between "
                                   "tabs are the digits of each character code; the layer is "
                                   "the command its decoder would run");
                return true;
            }
        }
        // Every character is looked at once: resume after the run (or at the closing quote,
        // which may open the next literal).
        i = j > i + 1 ? j : i + 1;
    }
    return false;
}

namespace {

// ---- special-character-only evaluator ------------------------------------------------------

struct Value
{
    enum Kind
    {
        Null,
        Int,
        Str
    } kind = Null;
    qint64 i = 0;
    QString s;
    QString toString() const
    {
        return kind == Int ? QString::number(i) : kind == Str ? s : QString();
    }
};

// Tokens are lexed on demand (the evaluator only looks one token ahead), so a megabyte of
// tokens costs no memory; a double-quoted literal is re-read when it is evaluated.
struct Token
{
    enum Kind : quint8
    {
        End,
        Var,
        Dq,
        Sq,
        NullExpr,
        Incr,
        Punct
    } kind = End;
    char16_t punct = 0;
    qsizetype start = 0;
    qsizetype end = 0;
    QStringView text; // variable name, or single-quoted body (with '' escapes)
};

// The generator spends ~50 characters per payload character: 2 MB covers a 40k-character script.
constexpr qsizetype kMaxSpecialCharInput = 2 * 1024 * 1024;

const QString &hashtableText()
{
    static const QString s = QStringLiteral("System.Collections.Hashtable");
    return s;
}

// Only punctuation the generator uses; letters, digits or anything else outside a string
// literal mean this is not the special-character encoding.
bool isPunct(char16_t c)
{
    switch (c) {
    case '(':
    case ')':
    case '{':
    case '}':
    case '[':
    case ']':
    case '=':
    case '+':
    case '|':
    case '%':
    case '&':
    case ';':
    case '.':
    case ',': return true;
    default: return false;
    }
}

// $( ws @{ ws } ws ) at pos (pos at '$'); returns the end or -1.
qsizetype matchHashtableSubexpr(QStringView t, qsizetype pos)
{
    qsizetype k = pos + 2;
    k = skipSpaces(t, k);
    if (k + 1 >= t.size() || t[k] != QLatin1Char('@') || t[k + 1] != QLatin1Char('{'))
        return -1;
    k = skipSpaces(t, k + 2);
    if (k >= t.size() || t[k] != QLatin1Char('}'))
        return -1;
    k = skipSpaces(t, k + 1);
    if (k >= t.size() || t[k] != QLatin1Char(')'))
        return -1;
    return k + 1;
}

// ${name} at pos (pos at '$'); the name may hold any character but '}' and '`'.
qsizetype matchBracedVar(QStringView t, qsizetype pos, QStringView *name)
{
    if (pos + 1 >= t.size() || t[pos + 1] != QLatin1Char('{'))
        return -1;
    qsizetype k = pos + 2;
    while (k < t.size() && t[k] != QLatin1Char('}')) {
        if (t[k] == QLatin1Char('`') || k - pos > 256)
            return -1;
        ++k;
    }
    if (k >= t.size())
        return -1;
    *name = t.mid(pos + 2, k - pos - 2);
    return k + 1;
}

using VarLookup = const QString *(*)(const void *ctx, QStringView name);

// A double-quoted literal at pos: its end, or -1 when it is outside the subset. With out set,
// also its value, looking variables up through lookup (-1 when one is unknown).
qsizetype readDq(QStringView t, qsizetype pos, QString *out, VarLookup lookup, const void *ctx)
{
    const qsizetype n = t.size();
    qsizetype k = pos + 1;
    for (;;) {
        if (k >= n)
            return -1;
        const char16_t d = t[k].unicode();
        if (d == '`')
            return -1; // escapes are outside the generator's subset
        if (d == '"') {
            if (k + 1 < n && t[k + 1] == QLatin1Char('"')) {
                if (out)
                    *out += QLatin1Char('"');
                k += 2;
                continue;
            }
            return k + 1;
        }
        if (d == '$' && k + 1 < n) {
            const char16_t e = t[k + 1].unicode();
            if (e == '{') {
                QStringView name;
                const qsizetype end = matchBracedVar(t, k, &name);
                if (end < 0)
                    return -1;
                if (out) {
                    const QString *v = lookup(ctx, name);
                    if (!v)
                        // used before assignment: PowerShell would see $null; never guess
                        return -1;
                    *out += *v;
                }
                k = end;
                continue;
            }
            if (e == '?') {
                if (out)
                    *out += QLatin1String("True"); // $? after the previous, successful statement
                k += 2;
                continue;
            }
            if (e == '(') {
                const qsizetype empty = skipSpaces(t, k + 2);
                if (empty < n && t[empty] == QLatin1Char(')')) {
                    k = empty + 1; // "$()" is empty
                    continue;
                }
                const qsizetype end = matchHashtableSubexpr(t, k);
                if (end < 0)
                    return -1;
                if (out)
                    *out += hashtableText();
                k = end;
                continue;
            }
            if (!isSpace(e) && e != '"')
                return -1; // $name, $env:x, ...: not in the subset
        }
        if (out)
            *out += QChar(d);
        ++k;
    }
}

// The next token at pos; false when the text leaves the subset.
bool lexToken(QStringView t, qsizetype pos, Token *tok)
{
    const qsizetype n = t.size();
    qsizetype i = skipSpaces(t, pos);
    *tok = Token();
    tok->start = i;
    tok->end = i;
    if (i >= n)
        return true;
    const char16_t c = t[i].unicode();
    if (c == '$') {
        if (i + 1 < n && t[i + 1] == QLatin1Char('{')) {
            tok->kind = Token::Var;
            i = matchBracedVar(t, i, &tok->text);
            if (i < 0)
                return false;
        } else if (i + 1 < n && t[i + 1] == QLatin1Char('(')) {
            const qsizetype k = skipSpaces(t, i + 2);
            if (k >= n || t[k] != QLatin1Char(')'))
                return false;
            tok->kind = Token::NullExpr;
            i = k + 1;
        } else {
            return false;
        }
    } else if (c == '\'') {
        tok->kind = Token::Sq;
        qsizetype k = i + 1;
        for (;; ++k) {
            if (k >= n)
                return false;
            if (t[k] == QLatin1Char('\'')) {
                if (k + 1 < n && t[k + 1] == QLatin1Char('\'')) {
                    ++k;
                    continue;
                }
                break;
            }
        }
        tok->text = t.mid(i + 1, k - i - 1);
        i = k + 1;
    } else if (c == '"') {
        tok->kind = Token::Dq;
        i = readDq(t, i, nullptr, nullptr, nullptr);
        if (i < 0)
            return false;
    } else if (c == '+' && i + 1 < n && t[i + 1] == QLatin1Char('+')) {
        tok->kind = Token::Incr;
        i += 2;
    } else if (isPunct(c)) {
        tok->kind = Token::Punct;
        tok->punct = c;
        i += 1;
    } else {
        return false;
    }
    tok->end = i;
    return true;
}

// The string forms of the PSMethod objects the generator names with "".("name") (its
// OverloadDefinitions, one overload in .NET Framework's System.String).
bool methodText(const QString &name, QString *out)
{
    if (name.compare(QLatin1String("insert"), Qt::CaseInsensitive) == 0) {
        *out = QStringLiteral("string Insert(int startIndex, string value)");
        return true;
    }
    return false;
}

class Evaluator
{
public:
    Evaluator(QStringView text, qsizetype budget) : m_t(text), m_budget(budget) {}

    bool run(QString *result, qsizetype *start, qsizetype *end);

private:
    // The current token and one of lookahead.
    bool load()
    {
        if (!lexToken(m_t, 0, &m_cur) || !lexToken(m_t, m_cur.end, &m_next))
            return false;
        return true;
    }
    bool advance()
    {
        m_prevEnd = m_cur.end;
        m_cur = m_next;
        if (m_cur.kind == Token::End)
            return true;
        if (!lexToken(m_t, m_cur.end, &m_next)) {
            m_lexError = true;
            return false;
        }
        return true;
    }
    bool at(char16_t p) const { return m_cur.kind == Token::Punct && m_cur.punct == p; }
    bool nextIs(char16_t p) const { return m_next.kind == Token::Punct && m_next.punct == p; }
    bool adjacent() const { return m_cur.start == m_prevEnd; }
    bool spend(qsizetype chars)
    {
        m_budget -= chars + 1;
        return m_budget >= 0 && !m_lexError;
    }
    static const QString *lookup(const void *ctx, QStringView name)
    {
        const auto *self = static_cast<const Evaluator *>(ctx);
        const auto it = self->m_vars.constFind(name);
        if (it == self->m_vars.constEnd())
            return nullptr;
        self->m_scratch = it->toString();
        return &self->m_scratch;
    }
    bool interpolate(const Token &tok, Value *v);
    bool expr(Value *v);
    bool unary(Value *v);
    bool postfix(Value *v);
    bool primary(Value *v);

    QStringView m_t;
    Token m_cur;
    Token m_next;
    qsizetype m_prevEnd = -1;
    bool m_lexError = false;
    qsizetype m_budget;
    int m_depth = 0;
    QHash<QStringView, Value> m_vars;
    mutable QString m_scratch;
    int m_assignments = 0;
};

bool Evaluator::interpolate(const Token &tok, Value *v)
{
    v->kind = Value::Str;
    v->s.clear();
    if (readDq(m_t, tok.start, &v->s, &Evaluator::lookup, this) < 0)
        return false;
    return spend(tok.end - tok.start + v->s.size()) && v->s.size() <= kMaxTransformOutput;
}

bool Evaluator::primary(Value *v)
{
    const Token tok = m_cur;
    switch (tok.kind) {
    case Token::Var: {
        const auto it = m_vars.constFind(tok.text);
        if (it == m_vars.constEnd())
            return false;
        *v = *it;
        return advance() && spend(v->s.size());
    }
    case Token::Dq: return advance() && interpolate(tok, v);
    case Token::Sq:
        v->kind = Value::Str;
        v->s = tok.text.toString().replace(QLatin1String("''"), QLatin1String("'"));
        return advance() && spend(v->s.size());
    case Token::NullExpr: v->kind = Value::Null; return advance();
    case Token::Punct:
        if (tok.punct == '(') {
            if (!advance() || !expr(v) || !at(')'))
                return false;
            return advance();
        }
        return false;
    default: return false;
    }
}

bool toIndex(const Value &v, qint64 *out)
{
    if (v.kind == Value::Int) {
        *out = v.i;
        return true;
    }
    if (v.kind != Value::Str || v.s.isEmpty() || v.s.size() > 9)
        return false;
    qint64 x = 0;
    for (QChar c : v.s) {
        if (!isDigit(c.unicode()))
            return false;
        x = x * 10 + (c.unicode() - '0');
    }
    *out = x;
    return true;
}

bool Evaluator::postfix(Value *v)
{
    if (!primary(v))
        return false;
    for (;;) {
        if (at('[') && adjacent()) {
            Value idx;
            qint64 k = 0;
            if (!advance() || !expr(&idx) || !at(']') || !toIndex(idx, &k) || v->kind != Value::Str)
                return false;
            if (!advance())
                return false;
            const qsizetype len = v->s.size();
            if (k < 0)
                k += len;
            if (k < 0 || k >= len)
                return false; // PowerShell yields $null here; the generator never relies on it
            v->s = QString(v->s[qsizetype(k)]);
        } else if (at('.') && adjacent() && nextIs('(')) {
            // "".("name"): the method object itself (not a call), used for its string form.
            Value name;
            if (v->kind != Value::Str || !advance() || !primary(&name) || name.kind != Value::Str)
                return false;
            QString s;
            if (!methodText(name.s, &s) || at('('))
                return false;
            v->s = std::move(s);
        } else {
            return true;
        }
    }
}

bool Evaluator::unary(Value *v)
{
    if (++m_depth > 64)
        return false;
    bool ok = false;
    if (m_cur.kind == Token::Incr) {
        if (advance() && m_cur.kind == Token::Var) {
            const auto it = m_vars.find(m_cur.text);
            if (it != m_vars.end() && it->kind == Value::Int && it->i < (qint64(1) << 40)) {
                ++it->i;
                *v = *it;
                ok = advance();
            }
        }
    } else if (at('+')) {
        if (advance() && unary(v) && v->kind != Value::Str) {
            v->i = v->kind == Value::Int ? v->i : 0;
            v->kind = Value::Int;
            ok = true;
        }
    } else {
        ok = postfix(v);
    }
    --m_depth;
    return ok;
}

bool Evaluator::expr(Value *v)
{
    if (++m_depth > 64 || !unary(v))
        return false;
    while (at('+')) {
        Value r;
        if (!advance() || !unary(&r))
            return false;
        if (v->kind == Value::Str) {
            const QString rs = r.toString();
            v->s += rs;
            if (!spend(rs.size()) || v->s.size() > kMaxTransformOutput)
                return false;
        } else {
            qint64 ri = 0;
            if (r.kind == Value::Str) {
                if (v->kind == Value::Null) {
                    *v = r;
                    continue;
                }
                if (!toIndex(r, &ri))
                    return false;
            } else {
                ri = r.kind == Value::Int ? r.i : 0;
            }
            const qint64 li = v->kind == Value::Int ? v->i : 0;
            if (qAbs(li) > (qint64(1) << 40) || qAbs(ri) > (qint64(1) << 40))
                return false;
            v->kind = Value::Int;
            v->i = li + ri;
        }
    }
    --m_depth;
    return true;
}

bool Evaluator::run(QString *result, qsizetype *start, qsizetype *end)
{
    if (!load())
        return false;
    int parens = 0;
    int braces = 0;
    int tokens = 0;
    bool have = false;
    while (m_cur.kind != Token::End) {
        const Token tok = m_cur;
        ++tokens;
        if (!spend(0))
            return false;
        if (tok.kind == Token::Var && nextIs('=')) {
            Value v;
            m_depth = 0;
            if (!advance() || !advance() || !expr(&v))
                return false;
            if (m_cur.kind != Token::End && !at('}') && !at(';') && !at(')'))
                return false;
            m_vars.insert(tok.text, std::move(v));
            ++m_assignments;
            continue;
        }
        if (tok.kind == Token::Var) {
            if (!m_vars.contains(tok.text))
                return false; // e.g. "& ${x}" with ${x} never assigned
            if (!advance())
                return false;
            continue;
        }
        if (tok.kind == Token::Dq || tok.kind == Token::Sq || tok.kind == Token::Incr) {
            Value v;
            m_depth = 0;
            if (!expr(&v))
                return false;
            if (tok.kind == Token::Dq && v.kind == Value::Str) {
                *result = std::move(v.s);
                *start = tok.start;
                *end = m_prevEnd;
                have = true;
            }
            continue;
        }
        if (tok.kind != Token::Punct)
            return false;
        switch (tok.punct) {
        case '(': ++parens; break;
        case ')': --parens; break;
        case '{': ++braces; break;
        case '}': --braces; break;
        case '|':
        case '%':
        case '&':
        case ';':
        case ',': break;
        default: return false;
        }
        if (parens < 0 || braces < 0 || !advance())
            return false;
    }
    return !m_lexError && have && parens == 0 && braces == 0 && m_assignments >= 3 && tokens >= 8;
}

} // namespace

bool specialCharTransform(QStringView text, const LayerScan &scan, TransformOutput *out)
{
    if (!scan.has('$') || !scan.has('{') || !scan.has('=') || !scan.has('"'))
        return false;
    // Cheap rejection before lexing: the first non-space character outside a literal must be
    // punctuation the generator uses (ordinary commands start with a letter or a path).
    const qsizetype first = skipSpaces(text, 0);
    if (first >= text.size() || isAlnum(text[first].unicode()) ||
        text.size() > kMaxSpecialCharInput)
        return false;
    // Work is bounded by the input: the generator's output is far shorter than its launcher.
    Evaluator ev(text, 16 * text.size() + 65536);
    QString result;
    qsizetype s = 0;
    qsizetype e = 0;
    if (!ev.run(&result, &s, &e) || result.size() < 2 || !isPrintableDecoded(result))
        return false;
    out->transform = QStringLiteral("special-char");
    out->touch(s, e);
    out->edits = 1;
    out->text = std::move(result);
    out->note =
        QStringLiteral("Invoke-Obfuscation special-character-only encoding evaluated statically "
                       "(integer variables, indexing into constant strings, concatenation)");
    return true;
}

} // namespace causa::detail
