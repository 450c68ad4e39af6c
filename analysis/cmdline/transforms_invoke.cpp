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
                out->note = QStringLiteral("Invoke-Obfuscation whitespace encoding: space runs between "
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
    enum Kind { Null, Int, Str } kind = Null;
    qint64 i = 0;
    QString s;
    QString toString() const { return kind == Int ? QString::number(i) : kind == Str ? s : QString(); }
};

struct Part
{
    bool isVar = false;
    QStringView name; // variable name (a view into the layer)
    QString text;     // literal text
};

// Compact (no heap per token): a 2 MB launcher is up to ~700k tokens.
struct Token
{
    enum Kind : quint8 { Var, Dq, Sq, NullExpr, Incr, Punct } kind = Punct;
    char16_t punct = 0;
    quint32 firstPart = 0; // double-quoted string: its parts in the shared parts vector
    quint32 partCount = 0;
    qsizetype start = 0;
    qsizetype end = 0;
    QStringView text; // variable name, or single-quoted body (with '' escapes)
};

// Upper bounds of the launcher the evaluator accepts: the generator spends ~50 characters
// per payload character, so 2 MB covers a 40k-character script.
constexpr qsizetype kMaxSpecialCharInput = 2 * 1024 * 1024;
constexpr size_t kMaxTokens = 800 * 1024;

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
    case '(': case ')': case '{': case '}': case '[': case ']': case '=': case '+':
    case '|': case '%': case '&': case ';': case '.': case ',':
        return true;
    default:
        return false;
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

bool tokenize(QStringView t, std::vector<Token> *toks, std::vector<Part> *parts)
{
    const qsizetype n = t.size();
    qsizetype i = 0;
    while (true) {
        i = skipSpaces(t, i);
        if (i >= n)
            return true;
        if (toks->size() >= kMaxTokens)
            return false;
        const char16_t c = t[i].unicode();
        Token tok;
        tok.start = i;
        if (c == '$') {
            if (i + 1 < n && t[i + 1] == QLatin1Char('{')) {
                tok.kind = Token::Var;
                i = matchBracedVar(t, i, &tok.text);
                if (i < 0)
                    return false;
            } else if (i + 1 < n && t[i + 1] == QLatin1Char('(')) {
                const qsizetype k = skipSpaces(t, i + 2);
                if (k >= n || t[k] != QLatin1Char(')'))
                    return false;
                tok.kind = Token::NullExpr;
                i = k + 1;
            } else {
                return false;
            }
        } else if (c == '\'') {
            tok.kind = Token::Sq;
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
            tok.text = t.mid(i + 1, k - i - 1);
            i = k + 1;
        } else if (c == '"') {
            tok.kind = Token::Dq;
            tok.firstPart = quint32(parts->size());
            qsizetype k = i + 1;
            QString lit;
            auto flush = [&] {
                if (!lit.isEmpty())
                    parts->push_back({false, {}, std::move(lit)});
                lit.clear();
            };
            for (;;) {
                if (k >= n)
                    return false;
                const char16_t d = t[k].unicode();
                if (d == '`')
                    return false; // escapes are outside the generator's subset
                if (d == '"') {
                    if (k + 1 < n && t[k + 1] == QLatin1Char('"')) {
                        lit += QLatin1Char('"');
                        k += 2;
                        continue;
                    }
                    break;
                }
                if (d == '$' && k + 1 < n) {
                    const char16_t e = t[k + 1].unicode();
                    if (e == '{') {
                        QStringView name;
                        const qsizetype end = matchBracedVar(t, k, &name);
                        if (end < 0)
                            return false;
                        flush();
                        parts->push_back({true, name, {}});
                        k = end;
                        continue;
                    }
                    if (e == '?') {
                        lit += QLatin1String("True"); // $? after the previous, successful statement
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
                            return false;
                        lit += hashtableText();
                        k = end;
                        continue;
                    }
                    if (!isSpace(e) && e != '"')
                        return false; // $name, $env:x, ...: not in the subset
                }
                lit += QChar(d);
                ++k;
            }
            flush();
            tok.partCount = quint32(parts->size() - tok.firstPart);
            i = k + 1;
        } else if (c == '+' && i + 1 < n && t[i + 1] == QLatin1Char('+')) {
            tok.kind = Token::Incr;
            i += 2;
        } else if (isPunct(c)) {
            tok.kind = Token::Punct;
            tok.punct = c;
            i += 1;
        } else {
            return false;
        }
        tok.end = i;
        toks->push_back(std::move(tok));
    }
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
    Evaluator(const std::vector<Token> &toks, const std::vector<Part> &parts, qsizetype budget)
        : m_toks(toks), m_parts(parts), m_budget(budget)
    {
    }

    bool run(QString *result, qsizetype *start, qsizetype *end);

private:
    bool at(char16_t p) const
    {
        return m_p < m_toks.size() && m_toks[m_p].kind == Token::Punct && m_toks[m_p].punct == p;
    }
    bool adjacent() const { return m_p > 0 && m_p < m_toks.size() && m_toks[m_p].start == m_toks[m_p - 1].end; }
    bool spend(qsizetype chars)
    {
        m_budget -= chars + 1;
        return m_budget >= 0;
    }
    bool interpolate(const Token &tok, Value *v);
    bool expr(Value *v);
    bool unary(Value *v);
    bool postfix(Value *v);
    bool primary(Value *v);

    const std::vector<Token> &m_toks;
    const std::vector<Part> &m_parts;
    size_t m_p = 0;
    qsizetype m_budget;
    int m_depth = 0;
    QHash<QStringView, Value> m_vars;
    int m_assignments = 0;
};

bool Evaluator::interpolate(const Token &tok, Value *v)
{
    v->kind = Value::Str;
    v->s.clear();
    for (quint32 k = tok.firstPart; k < tok.firstPart + tok.partCount; ++k) {
        const Part &p = m_parts[k];
        const qsizetype before = v->s.size();
        if (p.isVar) {
            const auto it = m_vars.constFind(p.name);
            if (it == m_vars.constEnd())
                return false; // used before assignment: PowerShell would see $null; never guess
            v->s += it->toString();
        } else {
            v->s += p.text;
        }
        if (!spend(v->s.size() - before) || v->s.size() > kMaxTransformOutput)
            return false;
    }
    return true;
}

bool Evaluator::primary(Value *v)
{
    if (m_p >= m_toks.size())
        return false;
    const Token &tok = m_toks[m_p];
    switch (tok.kind) {
    case Token::Var: {
        const auto it = m_vars.constFind(tok.text);
        if (it == m_vars.constEnd())
            return false;
        *v = *it;
        ++m_p;
        return spend(v->s.size());
    }
    case Token::Dq:
        ++m_p;
        return interpolate(tok, v);
    case Token::Sq:
        v->kind = Value::Str;
        v->s = tok.text.toString().replace(QLatin1String("''"), QLatin1String("'"));
        ++m_p;
        return true;
    case Token::NullExpr:
        v->kind = Value::Null;
        ++m_p;
        return true;
    case Token::Punct:
        if (tok.punct == '(') {
            ++m_p;
            if (!expr(v) || !at(')'))
                return false;
            ++m_p;
            return true;
        }
        return false;
    default:
        return false;
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
            ++m_p;
            Value idx;
            qint64 k = 0;
            if (!expr(&idx) || !at(']') || !toIndex(idx, &k) || v->kind != Value::Str)
                return false;
            ++m_p;
            const qsizetype len = v->s.size();
            if (k < 0)
                k += len;
            if (k < 0 || k >= len)
                return false; // PowerShell yields $null here; the generator never relies on it
            v->s = QString(v->s[qsizetype(k)]);
        } else if (at('.') && adjacent() && m_p + 1 < m_toks.size() && m_toks[m_p + 1].kind == Token::Punct
                   && m_toks[m_p + 1].punct == '(') {
            // "".("name"): the method object itself (not a call), used for its string form.
            ++m_p;
            Value name;
            if (v->kind != Value::Str || !primary(&name) || name.kind != Value::Str)
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
    if (m_p < m_toks.size() && m_toks[m_p].kind == Token::Incr) {
        ++m_p;
        if (m_p < m_toks.size() && m_toks[m_p].kind == Token::Var) {
            const auto it = m_vars.find(m_toks[m_p].text);
            if (it != m_vars.end() && it->kind == Value::Int && it->i < (qint64(1) << 40)) {
                ++it->i;
                *v = *it;
                ++m_p;
                ok = true;
            }
        }
    } else if (at('+')) {
        ++m_p;
        if (unary(v) && v->kind != Value::Str) {
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
        ++m_p;
        Value r;
        if (!unary(&r))
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
    int parens = 0;
    int braces = 0;
    bool have = false;
    while (m_p < m_toks.size()) {
        const Token &tok = m_toks[m_p];
        if (!spend(0))
            return false;
        if (tok.kind == Token::Var && m_p + 1 < m_toks.size() && m_toks[m_p + 1].kind == Token::Punct
            && m_toks[m_p + 1].punct == '=') {
            const QStringView name = tok.text;
            m_p += 2;
            Value v;
            m_depth = 0;
            if (!expr(&v))
                return false;
            if (m_p < m_toks.size() && !at('}') && !at(';') && !at(')'))
                return false;
            m_vars.insert(name, std::move(v));
            ++m_assignments;
            continue;
        }
        if (tok.kind == Token::Var) {
            if (!m_vars.contains(tok.text))
                return false; // e.g. "& ${x}" with ${x} never assigned
            ++m_p;
            continue;
        }
        if (tok.kind == Token::Dq || tok.kind == Token::Sq || tok.kind == Token::Incr) {
            const qsizetype s = tok.start;
            Value v;
            m_depth = 0;
            if (!expr(&v))
                return false;
            if (tok.kind == Token::Dq && v.kind == Value::Str) {
                *result = v.s;
                *start = s;
                *end = m_toks[m_p - 1].end;
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
        case '|': case '%': case '&': case ';': case ',': break;
        default: return false;
        }
        if (parens < 0 || braces < 0)
            return false;
        ++m_p;
    }
    return have && parens == 0 && braces == 0 && m_assignments >= 3;
}

} // namespace

bool specialCharTransform(QStringView text, const LayerScan &scan, TransformOutput *out)
{
    if (!scan.has('$') || !scan.has('{') || !scan.has('=') || !scan.has('"'))
        return false;
    // Cheap rejection before tokenizing: the first non-space character outside a literal must
    // be punctuation the generator uses (ordinary commands start with a letter or a path).
    const qsizetype first = skipSpaces(text, 0);
    if (first >= text.size() || isAlnum(text[first].unicode()))
        return false;
    if (text.size() > kMaxSpecialCharInput)
        return false;
    std::vector<Token> toks;
    std::vector<Part> parts;
    if (!tokenize(text, &toks, &parts) || toks.size() < 8)
        return false;
    // Work is bounded by the input: the generator's output is far shorter than its launcher.
    Evaluator ev(toks, parts, 16 * text.size() + 65536);
    QString result;
    qsizetype s = 0;
    qsizetype e = 0;
    if (!ev.run(&result, &s, &e) || result.size() < 2 || !isPrintableDecoded(result))
        return false;
    out->transform = QStringLiteral("special-char");
    out->touch(s, e);
    out->edits = 1;
    out->text = std::move(result);
    out->note = QStringLiteral("Invoke-Obfuscation special-character-only encoding evaluated statically "
                               "(integer variables, indexing into constant strings, concatenation)");
    return true;
}

} // namespace causa::detail
