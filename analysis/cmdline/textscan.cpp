#include "textscan.h"

#include "core/platform.h"

#include <algorithm>
#include <bit>

namespace causa::detail {

namespace {

// The first position in [from, last] holding a or b at which match(position) holds; -1 when
// none. Eight code units a step, the candidates of each step in order.
template<typename Match>
qsizetype findCandidate(QStringView text, qsizetype from, qsizetype last, char16_t a, char16_t b,
                        Match match)
{
    const char16_t *d = reinterpret_cast<const char16_t *>(text.utf16());
    const qsizetype n = text.size();
    qsizetype i = qMax<qsizetype>(from, 0);
    for (; i + 8 <= n && i <= last; i += 8) {
        for (unsigned m = platform::equalUnits8(d + i, a, b); m; m &= m - 1) {
            const qsizetype at = i + std::countr_zero(m);
            if (at > last)
                return -1;
            if (match(d + at))
                return at;
        }
    }
    for (; i <= last; ++i)
        if ((d[i] == a || d[i] == b) && match(d + i))
            return i;
    return -1;
}

} // namespace

qsizetype findNoCase(QStringView text, QLatin1StringView lowerNeedle, qsizetype from)
{
    if (lowerNeedle.isEmpty())
        return from;
    const char16_t first = char16_t(uchar(lowerNeedle[0].toLatin1()));
    const char16_t other = isAsciiAlpha(first) ? char16_t(first & ~0x20) : first;
    const char *rest = lowerNeedle.data() + 1;
    const qsizetype restSize = lowerNeedle.size() - 1;
    return findCandidate(text, from, text.size() - lowerNeedle.size(), first, other,
                         [rest, restSize](const char16_t *at) {
                             for (qsizetype k = 0; k < restSize; ++k)
                                 if (asciiLower(at[k + 1]) != char16_t(uchar(rest[k])))
                                     return false;
                             return true;
                         });
}

qsizetype findUnit(QStringView text, char16_t unit, qsizetype from)
{
    return findCandidate(text, from, text.size() - 1, unit, unit,
                         [](const char16_t *) { return true; });
}

qsizetype findAscii(QStringView text, QLatin1StringView needle, qsizetype from)
{
    if (needle.isEmpty())
        return from;
    const char16_t first = char16_t(uchar(needle[0].toLatin1()));
    const char *rest = needle.data() + 1;
    const qsizetype restSize = needle.size() - 1;
    return findCandidate(text, from, text.size() - needle.size(), first, first,
                         [rest, restSize](const char16_t *at) {
                             for (qsizetype k = 0; k < restSize; ++k)
                                 if (at[k + 1] != char16_t(uchar(rest[k])))
                                     return false;
                             return true;
                         });
}

Spans opaqueRuns(QStringView text, qsizetype minLength)
{
    Spans out;
    if (text.size() < minLength)
        return out;
    const char16_t *d = reinterpret_cast<const char16_t *>(text.utf16());
    const qsizetype n = text.size();
    qsizetype i = 0;
    while (i < n) {
        while (i < n && !isBase64Char(d[i]))
            ++i;
        const qsizetype s = i;
        while (i < n && isBase64Char(d[i]))
            ++i;
        if (i - s >= minLength)
            out.emplace_back(s, i);
    }
    return out;
}

LayerScan scanLayer(QStringView text, qsizetype minOpaque)
{
    LayerScan scan;
    const char16_t *d = reinterpret_cast<const char16_t *>(text.utf16());
    const qsizetype n = text.size();
    bool *present = scan.present.data();
    qsizetype runStart = -1;
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = d[i];
        present[c < 128 ? c : 128] = true;
        if (isBase64Char(c)) {
            if (runStart < 0)
                runStart = i;
        } else if (runStart >= 0) {
            scan.longestBase64Run = qMax(scan.longestBase64Run, i - runStart);
            if (i - runStart >= minOpaque)
                scan.opaque.emplace_back(runStart, i);
            runStart = -1;
        }
    }
    if (runStart >= 0) {
        scan.longestBase64Run = qMax(scan.longestBase64Run, n - runStart);
        if (n - runStart >= minOpaque)
            scan.opaque.emplace_back(runStart, n);
    }
    return scan;
}

qsizetype LayerScan::opaqueEnd(qsizetype pos) const
{
    auto it = std::upper_bound(
        opaque.begin(), opaque.end(), pos,
        [](qsizetype p, const std::pair<qsizetype, qsizetype> &r) { return p < r.first; });
    if (it == opaque.begin())
        return -1;
    --it;
    return pos < it->second ? it->second : -1;
}

qsizetype findNoCaseOutside(QStringView text, QLatin1StringView lowerNeedle, const Spans &opaque,
                            qsizetype from)
{
    qsizetype gapStart = from;
    for (const auto &[s, e] : opaque) {
        if (e <= gapStart)
            continue;
        if (s > gapStart) {
            const qsizetype at = findNoCase(text.first(s), lowerNeedle, gapStart);
            if (at >= 0)
                return at;
        }
        gapStart = qMax(gapStart, e);
    }
    return findNoCase(text, lowerNeedle, gapStart);
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
