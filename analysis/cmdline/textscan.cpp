#include "textscan.h"

namespace causa::detail {

qsizetype findNoCase(QStringView text, QLatin1StringView lowerNeedle, qsizetype from)
{
    if (lowerNeedle.isEmpty())
        return from;
    const char16_t first = char16_t(lowerNeedle[0].unicode());
    const qsizetype last = text.size() - lowerNeedle.size();
    for (qsizetype i = qMax<qsizetype>(from, 0); i <= last; ++i) {
        if (asciiLower(text[i].unicode()) == first && matchesAt(text, i, lowerNeedle))
            return i;
    }
    return -1;
}

QString foldForMatching(QStringView text)
{
    QString out(text.size(), Qt::Uninitialized);
    QChar *d = out.data();
    for (qsizetype i = 0; i < text.size(); ++i) {
        char16_t c = text[i].unicode();
        if (c < 0x80) {
            c = asciiLower(c);
        } else if (isDash(c)) {
            c = '-';
        } else if (isSingleQuote(c)) {
            c = '\'';
        } else if (isDoubleQuote(c)) {
            c = '"';
        } else {
            c = QChar(c).toLower().unicode();
        }
        d[i] = QChar(c);
    }
    return out;
}

bool parseLiteral(QStringView text, qsizetype pos, Literal *out, qsizetype maxLength)
{
    if (pos >= text.size())
        return false;
    const char16_t q = text[pos].unicode();
    const bool single = isSingleQuote(q);
    if (!single && !isDoubleQuote(q))
        return false;
    QString value;
    qsizetype i = pos + 1;
    const qsizetype limit = qMin(text.size(), pos + 1 + maxLength);
    while (i < limit) {
        const char16_t c = text[i].unicode();
        if (single ? isSingleQuote(c) : isDoubleQuote(c)) {
            // A doubled quote is an escaped quote inside the literal.
            if (i + 1 < text.size() && (single ? isSingleQuote(text[i + 1].unicode())
                                               : isDoubleQuote(text[i + 1].unicode()))) {
                value += QChar(c);
                i += 2;
                continue;
            }
            out->start = pos;
            out->end = i + 1;
            out->value = std::move(value);
            out->expandable = !single;
            return true;
        }
        if (!single && c == '`' && i + 1 < limit) {
            const char16_t n = text[i + 1].unicode();
            switch (n) {
            case 'n': value += QLatin1Char('\n'); break;
            case 't': value += QLatin1Char('\t'); break;
            case 'r': value += QLatin1Char('\r'); break;
            case '0': value += QChar(0); break;
            default: value += QChar(n); break;
            }
            i += 2;
            continue;
        }
        value += QChar(c);
        ++i;
    }
    return false;
}

QString singleQuoted(QStringView s)
{
    QString out;
    out.reserve(s.size() + 2);
    out += QLatin1Char('\'');
    for (QChar c : s) {
        if (isSingleQuote(c.unicode()))
            out += c;
        out += c;
    }
    out += QLatin1Char('\'');
    return out;
}

} // namespace causa::detail
