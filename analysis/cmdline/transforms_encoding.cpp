// Encodings: -EncodedCommand, embedded base64 (+gzip/deflate), \x escapes, %HH, odd IPv4 forms.
#include "textscan.h"
#include "tokenizer.h"
#include "transforms.h"

#include <zlib.h>

#include <array>

namespace causa::detail {

namespace {

constexpr qsizetype kMinBase64Run = 32;
constexpr qsizetype kMaxInflate = 8 * 1024 * 1024;

const std::array<qint8, 128> &base64Table()
{
    static const std::array<qint8, 128> table = [] {
        std::array<qint8, 128> t{};
        t.fill(-1);
        const char *alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < 64; ++i)
            t[size_t(alpha[i])] = qint8(i);
        t[size_t('-')] = 62; // URL-safe alphabet, accepted leniently
        t[size_t('_')] = 63;
        return t;
    }();
    return table;
}

// The option names PowerShell resolves to -EncodedCommand: -e, -ec and prefixes "en"...
bool isEncodedCommandSwitch(QStringView token)
{
    // The longest spelling is "-EncodedCommand"; anything longer (a payload) is not copied.
    if (token.size() < 2 || token.size() > 15)
        return false;
    const char16_t d = token[0].unicode();
    if (!isDash(d) && d != '/')
        return false;
    const QStringView name = token.mid(1);
    if (name.compare(QLatin1String("e"), Qt::CaseInsensitive) == 0 ||
        name.compare(QLatin1String("ec"), Qt::CaseInsensitive) == 0)
        return true;
    return name.size() >= 2 &&
           QLatin1StringView("encodedcommand").startsWith(name, Qt::CaseInsensitive);
}

bool plausibleUtf16(const QByteArray &b)
{
    if (b.size() < 2)
        return false;
    const qsizetype units = b.size() / 2;
    qsizetype good = 0;
    qsizetype ascii = 0;
    for (qsizetype i = 0; i < units; ++i) {
        const char16_t u = char16_t(uchar(b[2 * i]) | (uchar(b[2 * i + 1]) << 8));
        if (u == '\t' || u == '\n' || u == '\r' || (u >= 0x20 && u < 0x7F)) {
            ++good;
            ++ascii;
        } else if (u >= 0xA0 && (u < 0xD800 || u > 0xDFFF) && u < 0xFFFE) {
            ++good;
        }
    }
    return good * 10 >= units * 9 && ascii * 2 >= units;
}

bool plausibleUtf8(const QByteArray &b)
{
    if (b.isEmpty())
        return false;
    qsizetype good = 0;
    for (char ch : b) {
        const uchar c = uchar(ch);
        if (c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0x7F) || c >= 0x80)
            ++good;
    }
    if (good * 20 < b.size() * 19)
        return false;
    QString s = QString::fromUtf8(b);
    return s.count(QChar(QChar::ReplacementCharacter)) * 20 <= s.size();
}

// 1-4 dotted parts, each decimal, 0x hex or 0-octal, at most 'limit'.
bool parsePart(QStringView p, quint64 limit, quint64 *value)
{
    if (p.isEmpty() || p.size() > 34)
        return false;
    quint64 v = 0;
    if (p.size() > 2 && p[0] == QLatin1Char('0') && (p[1].unicode() | 0x20) == 'x') {
        for (qsizetype i = 2; i < p.size(); ++i) {
            if (!isHexDigit(p[i].unicode()))
                return false;
            v = v * 16 + hexValue(p[i].unicode());
            if (v > limit)
                return false;
        }
    } else if (p.size() > 1 && p[0] == QLatin1Char('0')) {
        for (qsizetype i = 1; i < p.size(); ++i) {
            if (p[i] < QLatin1Char('0') || p[i] > QLatin1Char('7'))
                return false;
            v = v * 8 + (p[i].unicode() - '0');
            if (v > limit)
                return false;
        }
    } else {
        for (QChar c : p) {
            if (!isDigit(c.unicode()))
                return false;
            v = v * 10 + (c.unicode() - '0');
            if (v > limit)
                return false;
        }
    }
    *value = v;
    return true;
}

bool hostEnd(char16_t c)
{
    switch (c) {
    case ' ':
    case '\t':
    case '\r':
    case '\n': // isSpace
    case '/':
    case '\\':
    case ':':
    case '?':
    case '#':
    case '\'':
    case '"':
    case '(':
    case ')':
    case '<':
    case '>':
    case ',':
    case ';':
    case '`':
    case '|':
    case '[':
    case ']':
    case '{':
    case '}':
    case '@':
    case '&': return true;
    default: return false;
    }
}

// Decoding a multi-megabyte token only to learn it is not text is what made hostile lines
// slow: a long token is decoded in full only when its first 8 KB decode to text (or to a gzip
// header). Callers that expect compressed bytes (a DeflateStream hint) skip this check.
bool prefixLooksLikeText(QStringView b64)
{
    constexpr qsizetype kPrefix = 8192;
    if (b64.size() <= 2 * kPrefix)
        return true;
    QByteArray bytes;
    if (!decodeBase64(b64.left(kPrefix), &bytes, nullptr))
        return false;
    if (bytes.size() > 2 && uchar(bytes[0]) == 0x1F && uchar(bytes[1]) == 0x8B)
        return true;
    return plausibleUtf16(bytes) || plausibleUtf8(bytes);
}

// Both upper- and lower-case letters: real base64 of any length has them.
bool mixedLetters(QStringView run)
{
    bool upper = false;
    bool lower = false;
    for (QChar ch : run) {
        const char16_t c = ch.unicode();
        upper = upper || (c >= 'A' && c <= 'Z');
        lower = lower || (c >= 'a' && c <= 'z');
        if (upper && lower)
            return true;
    }
    return false;
}

} // namespace

bool decodeBase64(QStringView s, QByteArray *out, QString *note)
{
    const auto &table = base64Table();
    // Written through a pointer into a buffer sized for the worst case: one pass, no appends.
    QByteArray bytes(s.size() * 3 / 4 + 3, Qt::Uninitialized);
    char *w = bytes.data();
    quint32 acc = 0;
    int bits = 0;
    qsizetype symbols = 0;
    bool sawSpace = false;
    bool urlSafe = false;
    bool padding = false;
    const char16_t *d = reinterpret_cast<const char16_t *>(s.utf16());
    const qsizetype n = s.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = d[i];
        const qint8 v = c < 128 ? table[c] : qint8(-1);
        if (v >= 0 && !padding) {
            urlSafe = urlSafe || c == '-' || c == '_';
            acc = (acc << 6) | quint32(v);
            bits += 6;
            ++symbols;
            if (bits >= 8) {
                bits -= 8;
                *w++ = char((acc >> bits) & 0xFF);
            }
            continue;
        }
        if (isSpace(c)) {
            sawSpace = true;
            continue;
        }
        if (c == '=') {
            padding = true;
            continue;
        }
        return false;
    }
    bytes.truncate(w - bytes.data());
    if (symbols == 0)
        return false;
    QStringList notes;
    if (symbols % 4 == 1)
        notes << QStringLiteral("one stray base64 character ignored");
    if (symbols % 4 != 0 && !padding)
        notes << QStringLiteral("padding missing");
    if (sawSpace)
        notes << QStringLiteral("whitespace inside the base64 text");
    if (urlSafe)
        notes << QStringLiteral("URL-safe alphabet (- _)");
    if (note && !notes.isEmpty())
        *note = notes.join(QStringLiteral("; ")) +
                QStringLiteral(": accepted leniently, .NET's FromBase64String would reject it");
    *out = std::move(bytes);
    return true;
}

bool bytesToText(const QByteArray &bytes, QString *text, bool *utf16)
{
    if (plausibleUtf16(bytes)) {
        *text = QString::fromUtf16(reinterpret_cast<const char16_t *>(bytes.constData()),
                                   bytes.size() / 2);
        *utf16 = true;
        return true;
    }
    if (plausibleUtf8(bytes)) {
        QByteArray b = bytes;
        if (b.startsWith("\xEF\xBB\xBF"))
            b.remove(0, 3);
        *text = QString::fromUtf8(b);
        *utf16 = false;
        return true;
    }
    return false;
}

bool inflateBytes(const QByteArray &in, bool raw, QByteArray *out, qsizetype maxOut)
{
    z_stream zs{};
    if (inflateInit2(&zs, raw ? -15 : 15 + 16) != Z_OK)
        return false;
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.constData()));
    zs.avail_in = uInt(qMin<qsizetype>(in.size(), std::numeric_limits<uInt>::max()));
    QByteArray result;
    char buffer[16384];
    int rc = Z_OK;
    while (rc == Z_OK && result.size() < maxOut) {
        zs.next_out = reinterpret_cast<Bytef *>(buffer);
        zs.avail_out = sizeof buffer;
        rc = inflate(&zs, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
            break;
        result.append(buffer, qsizetype(sizeof buffer - zs.avail_out));
        if (rc == Z_BUF_ERROR)
            break;
    }
    inflateEnd(&zs);
    if (result.isEmpty() || (rc != Z_STREAM_END && rc != Z_OK && rc != Z_BUF_ERROR))
        return false;
    if (result.size() > maxOut)
        result.truncate(maxOut);
    *out = std::move(result);
    return true;
}

bool parseIpv4Lenient(QStringView s, quint32 *ip)
{
    if (s.isEmpty() || s.size() > 64)
        return false;
    std::array<QStringView, 4> parts;
    int n = 0;
    qsizetype from = 0;
    for (qsizetype i = 0; i <= s.size(); ++i) {
        if (i == s.size() || s[i] == QLatin1Char('.')) {
            if (n == 4)
                return false;
            parts[size_t(n++)] = s.mid(from, i - from);
            from = i + 1;
        }
    }
    quint64 v[4] = {0, 0, 0, 0};
    for (int i = 0; i < n; ++i) {
        const quint64 limit = i < n - 1 ? 255 : (0xFFFFFFFFull >> (8 * (n - 1)));
        if (!parsePart(parts[size_t(i)], limit, &v[i]))
            return false;
    }
    quint64 r = 0;
    for (int i = 0; i < n - 1; ++i)
        r |= v[i] << (24 - 8 * i);
    r |= v[n - 1];
    *ip = quint32(r);
    return true;
}

QString ipv4ToString(quint32 ip)
{
    // By hand: snprintf's format parsing cost more than the rest of a URL's indicators.
    char16_t buf[15];
    int n = 0;
    for (int shift = 24; shift >= 0; shift -= 8) {
        const unsigned octet = (ip >> shift) & 0xFF;
        if (octet >= 100)
            buf[n++] = char16_t('0' + octet / 100);
        if (octet >= 10)
            buf[n++] = char16_t('0' + octet / 10 % 10);
        buf[n++] = char16_t('0' + octet % 10);
        if (shift > 0)
            buf[n++] = '.';
    }
    return QString(reinterpret_cast<const QChar *>(buf), n);
}

bool isInternalIpv4(quint32 ip)
{
    struct Range
    {
        quint32 net;
        int bits;
    };
    static const Range ranges[] = {
        {0x00000000, 8},  {0x0A000000, 8},  {0x64400000, 10}, {0x7F000000, 8},  {0xA9FE0000, 16},
        {0xAC100000, 12}, {0xC0000000, 24}, {0xC0000200, 24}, {0xC0A80000, 16}, {0xC6120000, 15},
        {0xC6336400, 24}, {0xCB007100, 24}, {0xE0000000, 4},  {0xF0000000, 4},
    };
    for (const Range &r : ranges) {
        const quint32 mask = r.bits == 0 ? 0 : ~quint32(0) << (32 - r.bits);
        if ((ip & mask) == r.net)
            return true;
    }
    return false;
}

bool encodedCommandTransform(QStringView text, const LayerScan &scan, TransformOutput *out)
{
    // Cheap pre-check before tokenizing: some switch that could be -e/-ec/-enc... outside the
    // opaque runs ('/' is a base64 character: a 5 MB token is full of "/e").
    if (!scan.hasNoCase('e') || (!scan.hasDash() && !scan.has('/')))
        return false;
    bool candidate = false;
    for (const char16_t lead : {u'-', u'/', u'\u2013', u'\u2014', u'\u2015'}) {
        if (lead >= 0x80 ? !scan.hasNonAscii() : !scan.has(char(lead)))
            continue;
        for (qsizetype i = findUnit(text, lead); i >= 0 && i + 1 < text.size() && !candidate;
             i = findUnit(text, lead, i + 1)) {
            const qsizetype skipTo = scan.opaqueEnd(i);
            if (skipTo >= 0) {
                i = skipTo - 1;
                continue;
            }
            // -e, -ec and -en... (the spellings isEncodedCommandSwitch takes): after the 'e',
            // no letter but c or n. -ExecutionPolicy, on most PowerShell lines, is no candidate.
            const char16_t after = i + 2 < text.size() ? text[i + 2].unicode() : u' ';
            candidate = (text[i + 1].unicode() | 0x20) == 'e' &&
                        (!isAsciiAlpha(after) || (after | 0x20) == 'c' || (after | 0x20) == 'n');
        }
        if (candidate)
            break;
    }
    if (!candidate)
        return false;
    // Token texts are cut at 64 characters: the payload is read from its span below, so a
    // multi-megabyte -enc chain is not copied once more per layer just to find the switch.
    constexpr qsizetype kPeek = 64;
    const TokenList tokens =
        Tokenizer::split(text, Tokenizer::Dialect::Cmd, 4096, &scan.opaque, kPeek);
    for (qsizetype t = 0; t + 1 < tokens.size(); ++t) {
        if (!isEncodedCommandSwitch(tokens[t].text))
            continue;
        const CmdToken &payload = tokens[t + 1];
        QString unescaped;
        QStringView payloadText = payload.text;
        if (payload.text.size() > kPeek) {
            const QStringView span = text.mid(payload.start, payload.end - payload.start);
            if (span.indexOf(QLatin1Char('"')) < 0 && span.indexOf(QLatin1Char('^')) < 0) {
                payloadText = span; // written as is: decode it in place
            } else {
                const TokenList whole = Tokenizer::split(span, Tokenizer::Dialect::Cmd, 2);
                if (!whole.isEmpty())
                    unescaped = whole[0].text.toString();
                payloadText = unescaped;
            }
        }
        if (payloadText.size() < 8)
            continue;
        QByteArray bytes;
        QString note;
        if (!prefixLooksLikeText(payloadText) || !decodeBase64(payloadText, &bytes, &note))
            continue;
        QString decoded;
        bool utf16 = false;
        if (!bytesToText(bytes, &decoded, &utf16))
            continue;
        if (utf16 && bytes.size() % 2 == 1)
            note += (note.isEmpty() ? QString() : QStringLiteral("; ")) +
                    QStringLiteral("odd byte count: last byte dropped");
        out->transform = utf16 ? QStringLiteral("base64-utf16le") : QStringLiteral("base64-ascii");
        if (!utf16)
            note += (note.isEmpty() ? QString() : QStringLiteral("; ")) +
                    QStringLiteral("-EncodedCommand is decoded by PowerShell as UTF-16LE; this "
                                   "payload is ASCII/UTF-8 and would not run as written");
        out->start = payload.start;
        out->end = payload.end;
        out->text = std::move(decoded);
        out->note = note;
        out->edits = 1;
        return true;
    }
    return false;
}

namespace {

// Whether the base64-looking run [start, end) may be a payload: long enough, with mixed-case
// letters (or a long run from the layer scan, checked later), not a switch or path part; a
// short run only as the argument of FromBase64String.
bool plausibleRun(QStringView text, qsizetype start, qsizetype end, bool lettersOk)
{
    if (end - start < 8 || !lettersOk ||
        (start > 0 && (isDash(text[start - 1].unicode()) || text[start - 1] == QLatin1Char('\\'))))
        return false;
    return end - start >= kMinBase64Run ||
           (start >= 2 &&
            findNoCase(text.mid(qMax<qsizetype>(0, start - 40), qMin<qsizetype>(40, start)),
                       QLatin1StringView("frombase64string")) >= 0);
}

// The run decoded to text: base64, then gzip/deflate when the bytes or the line say so. Sets
// the layer's transform and note; false when it is not a payload.
bool decodePayload(QStringView run, bool deflateHint, QString *decoded, QString *transform,
                   QString *note)
{
    QByteArray bytes;
    if (!decodeBase64(run, &bytes, note))
        return false;
    const bool gzipMagic = bytes.size() > 2 && uchar(bytes[0]) == 0x1F && uchar(bytes[1]) == 0x8B;
    bool utf16 = false;
    if (gzipMagic || deflateHint) {
        QByteArray inflated;
        if (!inflateBytes(bytes, !gzipMagic, &inflated, kMaxInflate) ||
            !bytesToText(inflated, decoded, &utf16))
            return false;
        *transform = gzipMagic ? QStringLiteral("gzip") : QStringLiteral("deflate");
        *note = QStringLiteral("base64 then %1").arg(*transform) +
                (note->isEmpty() ? QString() : QStringLiteral("; ") + *note);
        // The analyst sees the cut, never a silently shortened payload.
        if (inflated.size() >= kMaxInflate)
            *note +=
                QStringLiteral("; decompressed payload truncated at %1 bytes").arg(kMaxInflate);
        return true;
    }
    if (!bytesToText(bytes, decoded, &utf16))
        return false;
    // Short runs that decode to a few letters are words, not payloads.
    if (decoded->size() < 6)
        return false;
    *transform = utf16 ? QStringLiteral("base64-utf16le") : QStringLiteral("base64-ascii");
    return true;
}

} // namespace

bool base64Transform(QStringView text, const LayerScan &scan, TransformOutput *out)
{
    // plausibleRun takes a run of 32 characters, or of 8 after FromBase64String: a layer without
    // either has nothing to decode.
    if (scan.longestBase64Run < 8 || (scan.longestBase64Run < kMinBase64Run &&
                                      findNoCase(text, QLatin1StringView("frombase64string")) < 0))
        return false;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        if (!isBase64Char(text[i].unicode()) || text[i] == QLatin1Char('=')) {
            ++i;
            continue;
        }
        const qsizetype start = i;
        const qsizetype opaqueEnd = scan.opaqueEnd(i);
        bool upper = false, lower = false;
        if (opaqueEnd >= 0) {
            // A long run is known from the layer scan; its letters are checked only when its
            // prefix decodes (below): 10 MB of 'A' is not read again.
            i = opaqueEnd;
        } else {
            while (i < n && isBase64Char(text[i].unicode())) {
                const char16_t c = text[i].unicode();
                upper = upper || (c >= 'A' && c <= 'Z');
                lower = lower || (c >= 'a' && c <= 'z');
                ++i;
            }
        }
        const qsizetype end = i;
        const QStringView run = text.mid(start, end - start);
        if (!plausibleRun(text, start, end, opaqueEnd >= 0 || (upper && lower)))
            continue;
        const QStringView around =
            text.mid(qMax<qsizetype>(0, start - 300), qMin<qsizetype>(start, 300) + 0);
        const QStringView after = text.mid(end, qMin<qsizetype>(300, n - end));
        const bool deflateHint = findNoCase(around, QLatin1StringView("deflatestream")) >= 0 ||
                                 findNoCase(after, QLatin1StringView("deflatestream")) >= 0;
        if (!deflateHint && !prefixLooksLikeText(run))
            continue;
        if (opaqueEnd >= 0 && !mixedLetters(run))
            continue;
        QString decoded;
        QString transform;
        QString note;
        if (!decodePayload(run, deflateHint, &decoded, &transform, &note))
            continue;
        QString result;
        result.reserve(n - run.size() + decoded.size());
        result.append(text.left(start));
        result.append(decoded);
        result.append(text.mid(end));
        out->transform = transform;
        out->start = start;
        out->end = end;
        out->text = std::move(result);
        out->note = note;
        out->edits = 1;
        return true;
    }
    return false;
}

bool hexEscapeTransform(QStringView text, const LayerScan &scan, TransformOutput *out)
{
    if (!scan.has('\\'))
        return false;
    // Count first: a path like C:\x64\ must not be "decoded".
    int escapes = 0;
    for (qsizetype i = 0; i + 3 < text.size() && escapes < 3; ++i) {
        if (text[i] == QLatin1Char('\\') && (text[i + 1].unicode() | 0x20) == 'x' &&
            isHexDigit(text[i + 2].unicode()) && isHexDigit(text[i + 3].unicode()))
            ++escapes;
        else if (text[i] == QLatin1Char('\\') && text[i + 1] >= QLatin1Char('0') &&
                 text[i + 1] <= QLatin1Char('3') && text[i + 2] >= QLatin1Char('0') &&
                 text[i + 2] <= QLatin1Char('7') && text[i + 3] >= QLatin1Char('0') &&
                 text[i + 3] <= QLatin1Char('7'))
            ++escapes;
    }
    if (escapes < 3)
        return false;
    QString result;
    result.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] == QLatin1Char('\\') && i + 3 < text.size()) {
            if ((text[i + 1].unicode() | 0x20) == 'x' && isHexDigit(text[i + 2].unicode()) &&
                isHexDigit(text[i + 3].unicode())) {
                result += QChar(char16_t(hexValue(text[i + 2].unicode()) * 16 +
                                         hexValue(text[i + 3].unicode())));
                out->touch(i, i + 4);
                ++out->edits;
                i += 3;
                continue;
            }
            if (text[i + 1] >= QLatin1Char('0') && text[i + 1] <= QLatin1Char('3') &&
                text[i + 2] >= QLatin1Char('0') && text[i + 2] <= QLatin1Char('7') &&
                text[i + 3] >= QLatin1Char('0') && text[i + 3] <= QLatin1Char('7')) {
                result += QChar(char16_t((text[i + 1].unicode() - '0') * 64 +
                                         (text[i + 2].unicode() - '0') * 8 +
                                         (text[i + 3].unicode() - '0')));
                out->touch(i, i + 4);
                ++out->edits;
                i += 3;
                continue;
            }
        }
        result += text[i];
    }
    out->transform = QStringLiteral("hex-escape");
    out->text = std::move(result);
    out->note = QStringLiteral("\\xHH and \\OOO are C/JavaScript escapes; PowerShell and cmd.exe "
                               "do not interpret them");
    return out->edits > 0;
}

bool urlDecodeTransform(QStringView text, const LayerScan &scan, TransformOutput *out)
{
    if (!scan.has('%'))
        return false;
    int count = 0;
    for (qsizetype i = text.indexOf(QLatin1Char('%')); i >= 0 && i + 2 < text.size() && count < 3;
         i = text.indexOf(QLatin1Char('%'), i + 1))
        if (isHexDigit(text[i + 1].unicode()) && isHexDigit(text[i + 2].unicode()))
            ++count;
    if (count < 3)
        return false;
    QString result;
    result.reserve(text.size());
    qsizetype i = 0;
    while (i < text.size()) {
        if (text[i] == QLatin1Char('%') && i + 2 < text.size() &&
            isHexDigit(text[i + 1].unicode()) && isHexDigit(text[i + 2].unicode())) {
            const qsizetype runStart = i;
            QByteArray bytes;
            while (i + 2 < text.size() && text[i] == QLatin1Char('%') &&
                   isHexDigit(text[i + 1].unicode()) && isHexDigit(text[i + 2].unicode())) {
                bytes.append(
                    char(hexValue(text[i + 1].unicode()) * 16 + hexValue(text[i + 2].unicode())));
                i += 3;
            }
            result += QString::fromUtf8(bytes);
            out->touch(runStart, i);
            out->edits += int(bytes.size());
            continue;
        }
        result += text[i++];
    }
    out->transform = QStringLiteral("url-decode");
    out->text = std::move(result);
    return out->edits > 0;
}

bool ipNormaliseTransform(QStringView text, const LayerScan &scan, TransformOutput *out)
{
    QString result;
    qsizetype copied = 0;
    auto consider = [&](qsizetype hostStart) -> qsizetype {
        qsizetype e = hostStart;
        while (e < text.size() && e - hostStart < 64 && !hostEnd(text[e].unicode()))
            ++e;
        const QStringView host = text.mid(hostStart, e - hostStart);
        quint32 ip = 0;
        if (host.isEmpty() || !isHexDigit(host[0].unicode()) || !parseIpv4Lenient(host, &ip))
            return e;
        const QString canonical = ipv4ToString(ip);
        if (canonical == host)
            return e;
        result.append(text.mid(copied, hostStart - copied));
        result.append(canonical);
        copied = e;
        out->touch(hostStart, e);
        ++out->edits;
        return e;
    };
    if (!scan.has('.') && !scan.has(':') && !scan.has('\\'))
        return false;
    // Hosts of URLs and UNC paths: there any inet_aton form is an address.
    qsizetype pos = 0;
    while (scan.has(':') && (pos = findAscii(text, QLatin1StringView("://"), pos)) >= 0) {
        pos = consider(pos + 3);
    }
    for (qsizetype i = scan.has('\\') ? findAscii(text, QLatin1StringView("\\\\")) : -1;
         i >= 0 && i + 2 < text.size(); i = findAscii(text, QLatin1StringView("\\\\"), i + 1)) {
        if ((i == 0 || !(text[i - 1] == QLatin1Char('\\'))) && text[i + 2] != QLatin1Char('\\')) {
            const qsizetype at = i + 2;
            if (at >= copied)
                i = consider(at);
        }
    }
    // Elsewhere only the dotted forms with a hex or octal part (0xC0.0250.1.10).
    const bool dotted = scan.has('.');
    for (qsizetype i = 0; dotted && i + 6 < text.size(); ++i) {
        if (i < copied || !(isDigit(text[i].unicode())) ||
            (i > 0 && (isWordChar(text[i - 1].unicode()) || text[i - 1] == QLatin1Char('.'))))
            continue;
        qsizetype e = i;
        int dots = 0;
        bool odd = false;
        while (e < text.size() &&
               (isHexDigit(text[e].unicode()) || (text[e].unicode() | 0x20) == 'x' ||
                text[e] == QLatin1Char('.'))) {
            if (text[e] == QLatin1Char('.'))
                ++dots;
            if ((text[e].unicode() | 0x20) == 'x' ||
                ((e == i || text[e - 1] == QLatin1Char('.')) && text[e] == QLatin1Char('0') &&
                 e + 1 < text.size() && isDigit(text[e + 1].unicode())))
                odd = true;
            ++e;
        }
        if (dots == 3 && odd && (e >= text.size() || !isWordChar(text[e].unicode()))) {
            quint32 ip = 0;
            const QStringView token = text.mid(i, e - i);
            if (parseIpv4Lenient(token, &ip) && ipv4ToString(ip) != token) {
                result.append(text.mid(copied, i - copied));
                result.append(ipv4ToString(ip));
                copied = e;
                out->touch(i, e);
                ++out->edits;
            }
        }
        i = e;
    }
    if (out->edits == 0)
        return false;
    result.append(text.mid(copied));
    out->transform = QStringLiteral("ip-normalise");
    out->text = std::move(result);
    return true;
}

} // namespace causa::detail
