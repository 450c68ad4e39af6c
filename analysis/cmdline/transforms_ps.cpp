// PowerShell de-obfuscation: backticks, [char] codes, concatenation, -f, -replace, reversal.
#include "keywordmatcher.h"
#include "textscan.h"
#include "transforms.h"

namespace causa::detail {

namespace {

constexpr qsizetype kMaxLiteral = 4 * 1024 * 1024;

// Reads an integer literal (decimal or 0x hex) at pos; bounded to code point range.
bool parseCode(QStringView t, qsizetype *pos, uint *value)
{
    qsizetype i = *pos;
    quint64 v = 0;
    if (i + 2 < t.size() && t[i] == QLatin1Char('0') && (t[i + 1].unicode() | 0x20) == 'x' &&
        isHexDigit(t[i + 2].unicode())) {
        i += 2;
        while (i < t.size() && isHexDigit(t[i].unicode()) && v <= 0x10FFFF)
            v = v * 16 + hexValue(t[i++].unicode());
    } else if (i < t.size() && isDigit(t[i].unicode())) {
        while (i < t.size() && isDigit(t[i].unicode()) && v <= 0x10FFFF)
            v = v * 10 + (t[i++].unicode() - '0');
    } else {
        return false;
    }
    if (v > 0x10FFFF || (i < t.size() && isAlnum(t[i].unicode())))
        return false;
    *value = uint(v);
    *pos = i;
    return true;
}

void appendCode(QString *s, uint code)
{
    if (code > 0xFFFF) {
        const char32_t c = char32_t(code);
        *s += QString::fromUcs4(&c, 1);
    } else {
        *s += QChar(char16_t(code));
    }
}

// "(72, 101, 108)" at pos (pos at '('): the characters, and one past ')'. At least minItems.
bool parseCodeList(QStringView t, qsizetype pos, int minItems, QString *chars, qsizetype *end)
{
    qsizetype i = pos + 1;
    int items = 0;
    QString s;
    while (true) {
        i = skipSpaces(t, i);
        uint v = 0;
        if (!parseCode(t, &i, &v))
            return false;
        appendCode(&s, v);
        ++items;
        i = skipSpaces(t, i);
        if (i < t.size() && t[i] == QLatin1Char(',')) {
            ++i;
            continue;
        }
        if (i < t.size() && t[i] == QLatin1Char(')'))
            break;
        return false;
    }
    if (items < minItems)
        return false;
    *chars = std::move(s);
    *end = i + 1;
    return true;
}

// After a code list: "|%{[char]$_}" / "| ForEach-Object { [char] $_ }" → its end, or -1.
qsizetype charPipeEnd(QStringView t, qsizetype pos)
{
    qsizetype i = skipSpaces(t, pos);
    if (i >= t.size() || t[i] != QLatin1Char('|'))
        return -1;
    i = skipSpaces(t, i + 1);
    if (i < t.size() && t[i] == QLatin1Char('%'))
        ++i;
    else if (matchesAt(t, i, QLatin1StringView("foreach-object")))
        i += 14;
    else if (matchesAt(t, i, QLatin1StringView("foreach")))
        i += 7;
    else
        return -1;
    i = skipSpaces(t, i);
    if (i >= t.size() || t[i] != QLatin1Char('{'))
        return -1;
    i = skipSpaces(t, i + 1);
    if (!matchesAt(t, i, QLatin1StringView("[char]")))
        return -1;
    i = skipSpaces(t, i + 6);
    if (!matchesAt(t, i, QLatin1StringView("$_")))
        return -1;
    i = skipSpaces(t, i + 2);
    if (i >= t.size() || t[i] != QLatin1Char('}'))
        return -1;
    return i + 1;
}

bool isRegexMeta(QChar c)
{
    return QStringView(u".*+?[]()|^${}\\").contains(c);
}

} // namespace

bool backtickTransform(QStringView text, const LayerScan &scan, TransformOutput *out)
{
    if (!scan.has('`'))
        return false;
    const qsizetype first = text.indexOf(QLatin1Char('`'));
    if (first < 0)
        return false;
    QString result;
    result.reserve(text.size());
    result.append(text.left(first));
    bool inSingle = false;
    bool literalTick = false;
    for (qsizetype i = 0; i < first; ++i)
        if (isSingleQuote(text[i].unicode()))
            inSingle = !inSingle;
    for (qsizetype i = first; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (isSingleQuote(c))
            inSingle = !inSingle;
        if (c != '`' || i + 1 >= text.size()) {
            result += QChar(c);
            continue;
        }
        const char16_t n = text[i + 1].unicode();
        // Escapes with a meaning in Windows PowerShell 5.1 (`n, `t, `", `$, ``) stay: they are
        // not obfuscation. (`e and `u only mean something in PowerShell 7.)
        if (!isAlnum(n) || QStringView(u"0abfnrtv").contains(QChar(n))) {
            result += QChar(c);
            continue;
        }
        literalTick = literalTick || inSingle;
        result += QChar(n);
        out->touch(i, i + 2);
        ++out->edits;
        ++i;
    }
    if (out->edits == 0)
        return false;
    out->transform = QStringLiteral("backtick");
    out->text = std::move(result);
    if (literalTick)
        out->note = QStringLiteral("some backticks were inside single quotes, where PowerShell "
                                   "keeps them literally");
    return true;
}

bool charCodesTransform(QStringView text, const LayerScan &scan, TransformOutput *out)
{
    if (!scan.has('[') || findNoCaseOutside(text, QLatin1StringView("[char"), scan.opaque) < 0)
        return false;
    QString result;
    result.reserve(text.size());
    qsizetype i = 0;
    while (i < text.size()) {
        const QChar c = text[i];
        if (c == QLatin1Char('[') && matchesAt(text, i, QLatin1StringView("[char[]]"))) {
            qsizetype k = skipSpaces(text, i + 8);
            if (k < text.size() && text[k] == QLatin1Char('@'))
                ++k;
            QString chars;
            qsizetype end = 0;
            if (k < text.size() && text[k] == QLatin1Char('(') &&
                parseCodeList(text, k, 1, &chars, &end)) {
                result += singleQuoted(chars);
                out->touch(i, end);
                out->edits += int(qMin<qsizetype>(chars.size(), 1000000));
                i = end;
                continue;
            }
        } else if (c == QLatin1Char('[') && matchesAt(text, i, QLatin1StringView("[char]"))) {
            qsizetype k = skipSpaces(text, i + 6);
            bool paren = false;
            if (k < text.size() && text[k] == QLatin1Char('(')) {
                paren = true;
                k = skipSpaces(text, k + 1);
            }
            uint v = 0;
            if (parseCode(text, &k, &v)) {
                k = skipSpaces(text, k);
                if (!paren || (k < text.size() && text[k] == QLatin1Char(')'))) {
                    if (paren)
                        ++k;
                    QString ch;
                    appendCode(&ch, v);
                    result += singleQuoted(ch);
                    out->touch(i, k);
                    ++out->edits;
                    i = k;
                    continue;
                }
            }
        } else if (c == QLatin1Char('(')) {
            QString chars;
            qsizetype end = 0;
            if (parseCodeList(text, i, 3, &chars, &end)) {
                const qsizetype pipeEnd = charPipeEnd(text, end);
                if (pipeEnd > 0) {
                    result += QLatin1Char('(') + singleQuoted(chars) + QLatin1Char(')');
                    out->touch(i, pipeEnd);
                    out->edits += int(qMin<qsizetype>(chars.size(), 1000000));
                    i = pipeEnd;
                    continue;
                }
                // Not a char list: copy it whole so the scan stays linear.
                result.append(text.mid(i, end - i));
                i = end;
                continue;
            }
        }
        result += c;
        ++i;
    }
    if (out->edits == 0)
        return false;
    out->transform = QStringLiteral("char-codes");
    out->text = std::move(result);
    return true;
}

bool concatTransform(QStringView text, const LayerScan &scan, TransformOutput *out)
{
    // Something to join: a '+' right after a closing quote (base64 is full of bare '+').
    if (!scan.has('+') || !scan.hasQuote())
        return false;
    bool candidate = false;
    for (qsizetype p = text.indexOf(QLatin1Char('+')); p >= 0 && !candidate;
         p = text.indexOf(QLatin1Char('+'), p + 1)) {
        qsizetype q = p - 1;
        while (q >= 0 && isSpace(text[q].unicode()))
            --q;
        candidate =
            q >= 0 && (isSingleQuote(text[q].unicode()) || isDoubleQuote(text[q].unicode()));
    }
    if (!candidate)
        return false;
    QString result;
    result.reserve(text.size());
    bool failedSingle = false;
    bool failedDouble = false;
    bool expanded = false;
    qsizetype i = 0;
    while (i < text.size()) {
        const char16_t c = text[i].unicode();
        const bool single = isSingleQuote(c);
        if ((single && !failedSingle) || (isDoubleQuote(c) && !failedDouble)) {
            Literal lit;
            if (!parseLiteral(text, i, &lit, kMaxLiteral)) {
                (single ? failedSingle : failedDouble) = true;
                result += QChar(c);
                ++i;
                continue;
            }
            QString merged = lit.value;
            bool dollar = lit.expandable && lit.value.contains(QLatin1Char('$'));
            int pieces = 1;
            qsizetype end = lit.end;
            while (true) {
                qsizetype k = skipSpaces(text, end);
                if (k >= text.size() || text[k] != QLatin1Char('+'))
                    break;
                k = skipSpaces(text, k + 1);
                Literal next;
                if (k >= text.size() || !parseLiteral(text, k, &next, kMaxLiteral))
                    break;
                merged += next.value;
                dollar = dollar || (next.expandable && next.value.contains(QLatin1Char('$')));
                ++pieces;
                end = next.end;
            }
            if (pieces > 1) {
                result += singleQuoted(merged);
                out->touch(i, end);
                out->edits += pieces - 1;
                expanded = expanded || dollar;
            } else {
                result.append(text.mid(i, end - i));
            }
            i = end;
            continue;
        }
        result += QChar(c);
        ++i;
    }
    if (out->edits == 0)
        return false;
    out->transform = QStringLiteral("concat");
    out->text = std::move(result);
    if (expanded)
        out->note = QStringLiteral("double-quoted parts contain '$': PowerShell would expand "
                                   "them; joined literally");
    return true;
}

namespace {

// The literal arguments of a -f after the format literal fmt ("'{1}{0}' -f 'a','b'"); *end is
// set after the last one. Empty when no -f follows or the format has no placeholder.
QList<QString> formatArguments(QStringView text, const Literal &fmt, qsizetype *end)
{
    QList<QString> args;
    qsizetype k = skipSpaces(text, fmt.end);
    if (!fmt.value.contains(QLatin1Char('{')) || k + 2 >= text.size() ||
        !isDash(text[k].unicode()) || (text[k + 1].unicode() | 0x20) != 'f' ||
        isWordChar(text[k + 2].unicode()))
        return args;
    k = skipSpaces(text, k + 2);
    while (k < text.size()) {
        Literal arg;
        if (!parseLiteral(text, k, &arg, kMaxLiteral))
            break;
        args.push_back(arg.value);
        *end = arg.end;
        k = skipSpaces(text, arg.end);
        if (k < text.size() && text[k] == QLatin1Char(','))
            k = skipSpaces(text, k + 1);
        else
            break;
    }
    return args;
}

// .NET composite formatting of f with args ({{ and }} escapes; alignment and format specs
// ignored). False on a missing index or when the layer (already `used` long) would outgrow
// kMaxTransformOutput.
bool applyFormat(const QString &f, const QList<QString> &args, qsizetype used, QString *formatted)
{
    for (qsizetype p = 0; p < f.size(); ++p) {
        if (f[p] == QLatin1Char('{') && p + 1 < f.size() && f[p + 1] == QLatin1Char('{')) {
            *formatted += QLatin1Char('{');
            ++p;
        } else if (f[p] == QLatin1Char('}') && p + 1 < f.size() && f[p + 1] == QLatin1Char('}')) {
            *formatted += QLatin1Char('}');
            ++p;
        } else if (f[p] == QLatin1Char('{')) {
            qsizetype q = p + 1;
            int index = 0;
            while (q < f.size() && isDigit(f[q].unicode()) && index < 100000)
                index = index * 10 + (f[q++].unicode() - '0');
            while (q < f.size() && f[q] != QLatin1Char('}'))
                ++q; // alignment / format spec ignored
            if (q >= f.size() || index >= args.size() ||
                used + formatted->size() > kMaxTransformOutput)
                return false;
            *formatted += args.at(index);
            p = q;
        } else {
            *formatted += f[p];
        }
    }
    return true;
}

} // namespace

bool formatOperatorTransform(QStringView text, const LayerScan &scan, TransformOutput *out)
{
    if (!scan.has('{') || !scan.hasDash() || !scan.hasNoCase('f') || !scan.hasQuote() ||
        findNoCaseOutside(text, QLatin1StringView("-f"), scan.opaque) < 0)
        return false;
    QString result;
    result.reserve(text.size());
    bool failed = false;
    qsizetype i = 0;
    while (i < text.size()) {
        const char16_t c = text[i].unicode();
        if (!failed && (isSingleQuote(c) || isDoubleQuote(c))) {
            Literal fmt;
            if (!parseLiteral(text, i, &fmt, kMaxLiteral)) {
                failed = true;
                result += QChar(c);
                ++i;
                continue;
            }
            qsizetype end = fmt.end;
            const QList<QString> args = formatArguments(text, fmt, &end);
            if (!args.isEmpty()) {
                QString formatted;
                if (applyFormat(fmt.value, args, result.size(), &formatted)) {
                    result += singleQuoted(formatted);
                    out->touch(i, end);
                    out->edits += int(args.size());
                    i = end;
                    continue;
                }
            }
            result.append(text.mid(i, fmt.end - i));
            i = fmt.end;
            continue;
        }
        result += QChar(c);
        ++i;
    }
    if (out->edits == 0)
        return false;
    out->transform = QStringLiteral("format-operator");
    out->text = std::move(result);
    return true;
}

namespace {

// After a literal: ".Replace(" (the method: case-sensitive) or -replace / -ireplace / -creplace.
// Returns the position after it, or -1 when none is there.
qsizetype replaceOperatorEnd(QStringView text, qsizetype k, bool *method, bool *caseSensitive)
{
    if (matchesAt(text, k, QLatin1StringView(".replace("))) {
        *method = true;
        *caseSensitive = true;
        return k + 9;
    }
    if (k >= text.size() || !isDash(text[k].unicode()))
        return -1;
    if (matchesAt(text, k + 1, QLatin1StringView("replace")))
        return k + 8;
    if (matchesAt(text, k + 1, QLatin1StringView("ireplace")))
        return k + 9;
    if (matchesAt(text, k + 1, QLatin1StringView("creplace"))) {
        *caseSensitive = true;
        return k + 9;
    }
    return -1;
}

// The operator's arguments from k: 'from', 'to' (the method's closing parenthesis included).
// Returns the position after them, or -1 when they do not parse.
qsizetype replaceArgumentsEnd(QStringView text, qsizetype k, bool method, Literal *from,
                              Literal *to)
{
    if (!parseLiteral(text, k, from, kMaxLiteral))
        return -1;
    qsizetype end = -1;
    k = skipSpaces(text, from->end);
    if (k < text.size() && text[k] == QLatin1Char(',')) {
        k = skipSpaces(text, k + 1);
        if (parseLiteral(text, k, to, kMaxLiteral))
            end = to->end;
    } else if (!method) {
        end = from->end; // -replace 'x' removes x
    }
    if (end > 0 && method) {
        const qsizetype close = skipSpaces(text, end);
        end = close < text.size() && text[close] == QLatin1Char(')') ? close + 1 : -1;
    }
    return end;
}

// -replace takes a regular expression; only plain text and \x escapes are evaluated here, so
// *meta says when the pattern has operators (flagged in the layer's note).
QString unescapedPattern(const QString &pattern, bool *meta)
{
    QString plain;
    *meta = false;
    for (qsizetype p = 0; p < pattern.size(); ++p) {
        if (pattern[p] == QLatin1Char('\\') && p + 1 < pattern.size()) {
            plain += pattern[++p];
        } else {
            *meta = *meta || isRegexMeta(pattern[p]);
            plain += pattern[p];
        }
    }
    return plain;
}

} // namespace

bool replaceTransform(QStringView text, const LayerScan &scan, TransformOutput *out)
{
    if (!scan.hasQuote() || !scan.hasNoCase('r') || !scan.hasNoCase('p') || !scan.hasNoCase('l') ||
        findNoCaseOutside(text, QLatin1StringView("replace"), scan.opaque) < 0)
        return false;
    QString result;
    result.reserve(text.size());
    bool failed = false;
    bool regexNote = false;
    qsizetype i = 0;
    while (i < text.size()) {
        const char16_t c = text[i].unicode();
        if (!failed && (isSingleQuote(c) || isDoubleQuote(c))) {
            Literal subject;
            if (!parseLiteral(text, i, &subject, kMaxLiteral)) {
                failed = true;
                result += QChar(c);
                ++i;
                continue;
            }
            bool method = false;
            bool caseSensitive = false;
            Literal from;
            Literal to;
            qsizetype end = -1;
            const qsizetype k =
                replaceOperatorEnd(text, skipSpaces(text, subject.end), &method, &caseSensitive);
            if (k > 0)
                end = replaceArgumentsEnd(text, skipSpaces(text, k), method, &from, &to);
            if (end > 0 && !from.value.isEmpty()) {
                QString pattern = from.value;
                if (!method) {
                    bool meta = false;
                    pattern = unescapedPattern(pattern, &meta);
                    regexNote = regexNote || meta;
                }
                if (!to.value.isEmpty() && to.value.size() > pattern.size() &&
                    subject.value.size() / pattern.size() * (to.value.size() - pattern.size()) +
                            result.size() >
                        kMaxTransformOutput)
                    return false;
                QString replaced = subject.value;
                replaced.replace(pattern, to.value,
                                 caseSensitive ? Qt::CaseSensitive : Qt::CaseInsensitive);
                result += singleQuoted(replaced);
                out->touch(i, end);
                ++out->edits;
                i = end;
                continue;
            }
            result.append(text.mid(i, subject.end - i));
            i = subject.end;
            continue;
        }
        result += QChar(c);
        ++i;
    }
    if (out->edits == 0)
        return false;
    out->transform = QStringLiteral("replace");
    out->text = std::move(result);
    if (regexNote)
        out->note = QStringLiteral("-replace pattern has regular-expression operators; it was "
                                   "applied as plain text");
    return true;
}

namespace {

// After a literal: "[-1..-N]", the indexing PowerShell evaluates to the reversed characters.
// Returns the position after its ']', or -1.
qsizetype reverseIndexEnd(QStringView text, qsizetype k)
{
    if (k >= text.size() || text[k] != QLatin1Char('['))
        return -1;
    k = skipSpaces(text, k + 1);
    if (!matchesAt(text, k, QLatin1StringView("-1")))
        return -1;
    k = skipSpaces(text, k + 2);
    if (!matchesAt(text, k, QLatin1StringView("..")))
        return -1;
    const qsizetype close = text.indexOf(QLatin1Char(']'), k);
    return close > 0 && close - k < 64 ? close + 1 : -1;
}

// 1. 'txet'[-1..-N] indexing, each such literal replaced by its reversed characters.
bool reverseIndexing(QStringView text, const LayerScan &scan, TransformOutput *out)
{
    if (!scan.has('.') || !scan.has('1') || !scan.hasQuote() ||
        findAscii(text, QLatin1StringView("-1..")) < 0)
        return false;
    QString result;
    result.reserve(text.size());
    bool failed = false;
    qsizetype i = 0;
    while (i < text.size()) {
        const char16_t c = text[i].unicode();
        if (!failed && (isSingleQuote(c) || isDoubleQuote(c))) {
            Literal lit;
            if (!parseLiteral(text, i, &lit, kMaxLiteral)) {
                failed = true;
                result += QChar(c);
                ++i;
                continue;
            }
            const qsizetype end = reverseIndexEnd(text, skipSpaces(text, lit.end));
            if (end > 0) {
                QString rev(lit.value.size(), Qt::Uninitialized);
                for (qsizetype p = 0; p < lit.value.size(); ++p)
                    rev[p] = lit.value[lit.value.size() - 1 - p];
                result += singleQuoted(rev);
                out->touch(i, end);
                ++out->edits;
                i = end;
                continue;
            }
            result.append(text.mid(i, lit.end - i));
            i = lit.end;
            continue;
        }
        result += QChar(c);
        ++i;
    }
    if (out->edits == 0)
        return false;
    out->transform = QStringLiteral("reverse");
    out->text = std::move(result);
    return true;
}

// 2. A whole line written backwards: reversed keywords present, forward ones absent.
// ("xei" alone is too short to count.)
bool reversedLine(QStringView text, const LayerScan &scan, TransformOutput *out)
{
    static const char *const words[] = {"llehsrewop",    "exe.dmc",           "gnirtsdaolnwod",
                                        "tneilcbew.ten", "noisserpxe-ekovni", "//:ptth",
                                        "//:sptth",      "eliifdaolnwod"};
    // One automaton pass that steps over the opaque runs (a reversed script has spaces and
    // punctuation; a 10 MB base64-looking token holds these words only by chance).
    static const KeywordMatcher reversed = [] {
        KeywordMatcher m;
        for (const char *w : words)
            m.add(QString::fromLatin1(w));
        m.build();
        return m;
    }();
    // Every word above has an 'e', an 'l' or "//:".
    if (!scan.hasNoCase('e') && !scan.hasNoCase('l') && !scan.has(':'))
        return false;
    // A line with a forward keyword is not reversed: those vectorised searches come before the
    // automaton, which most lines (they name powershell or a URL) then never run.
    if (findNoCase(text, QLatin1StringView("powershell")) >= 0 ||
        findNoCase(text, QLatin1StringView("http://")) >= 0 ||
        findNoCase(text, QLatin1StringView("https://")) >= 0)
        return false;
    std::vector<qsizetype> at;
    std::vector<int> found;
    reversed.scan(text, &at, &found, &scan.opaque);
    const int hits = int(found.size());
    if (hits == 0)
        return false;
    QString rev(text.size(), Qt::Uninitialized);
    for (qsizetype p = 0; p < text.size(); ++p)
        rev[p] = text[text.size() - 1 - p];
    out->transform = QStringLiteral("reverse");
    out->text = std::move(rev);
    out->touch(0, text.size());
    out->edits = hits;
    out->note = QStringLiteral("heuristic: the line contains reversed keywords; it is shown "
                               "reversed as a whole, whatever reverses it at run time");
    return true;
}

} // namespace

bool reverseTransform(QStringView text, const LayerScan &scan, TransformOutput *out)
{
    return reverseIndexing(text, scan, out) || reversedLine(text, scan, out);
}

} // namespace causa::detail
