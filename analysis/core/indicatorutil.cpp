#include "indicatorutil.h"

#include <QHostAddress>

#include <algorithm>

namespace causa::indicator {

bool isHex(QStringView s)
{
    for (QChar c : s) {
        const char16_t u = c.unicode();
        if (!((u >= '0' && u <= '9') || (u >= 'a' && u <= 'f') || (u >= 'A' && u <= 'F')))
            return false;
    }
    return !s.isEmpty();
}

bool isMd5(QStringView s)
{
    return s.size() == 32 && isHex(s);
}
bool isSha1(QStringView s)
{
    return s.size() == 40 && isHex(s);
}
bool isSha256(QStringView s)
{
    return s.size() == 64 && isHex(s);
}

QString normaliseHash(const QString &text, QString *type)
{
    const QStringView t = QStringView(text).trimmed();
    if (!isHex(t))
        return {};
    switch (t.size()) {
    case 64: *type = QStringLiteral("sha256"); break;
    case 40: *type = QStringLiteral("sha1"); break;
    case 32: *type = QStringLiteral("md5"); break;
    default: return {};
    }
    // Hashes mostly come lower-case and untrimmed already: then the text itself is shared.
    const bool lower =
        std::none_of(t.begin(), t.end(), [](QChar c) { return c >= u'A' && c <= u'F'; });
    if (lower && t.size() == text.size())
        return text;
    return t.toString().toLower();
}

namespace {

// A dotted quad written canonically ("10.1.0.7": four decimal parts 0-255, no leading zero, no
// sign), the form QHostAddress would print it in; its value in *out.
bool canonicalDottedQuad(QStringView s, quint32 *out)
{
    quint32 value = 0;
    int parts = 0;
    qsizetype i = 0;
    while (parts < 4) {
        const qsizetype start = i;
        quint32 part = 0;
        while (i < s.size() && s[i] >= u'0' && s[i] <= u'9' && i - start < 3)
            part = part * 10 + quint32(s[i++].unicode() - u'0');
        const qsizetype len = i - start;
        if (len == 0 || part > 255 || (len > 1 && s[start] == u'0'))
            return false;
        value = (value << 8) | part;
        ++parts;
        if (parts < 4) {
            if (i >= s.size() || s[i] != u'.')
                return false;
            ++i;
        }
    }
    if (i != s.size())
        return false;
    *out = value;
    return true;
}

} // namespace

QString normaliseIp(const QString &text, QString *type)
{
    quint32 v4 = 0;
    if (canonicalDottedQuad(text, &v4)) {
        *type = QStringLiteral("ipv4");
        return text; // already the form QHostAddress would print
    }
    QString t = text.trimmed();
    while (t.endsWith(QLatin1Char('.')))
        t.chop(1);
    if (t.startsWith(QLatin1Char('[')) && t.endsWith(QLatin1Char(']')))
        t = t.mid(1, t.size() - 2);
    if (t.isEmpty())
        return {};
    // QHostAddress accepts "127.1" and "0x7f.1"; we only take canonical dotted quads and IPv6 here:
    // obfuscated forms are the command-line analyser's job, which records how they were written.
    if (!t.contains(QLatin1Char(':'))) {
        const auto parts = t.split(QLatin1Char('.'));
        if (parts.size() != 4)
            return {};
        for (const QString &p : parts) {
            bool ok = false;
            const int v = p.toInt(&ok, 10);
            if (!ok || v < 0 || v > 255 || p.isEmpty() || p.size() > 3)
                return {};
        }
    }
    QHostAddress addr;
    if (!addr.setAddress(t))
        return {};
    if (addr.protocol() == QAbstractSocket::IPv4Protocol) {
        *type = QStringLiteral("ipv4");
        return addr.toString();
    }
    *type = QStringLiteral("ipv6");
    return addr.toString().toLower();
}

namespace {

struct Ipv4Range
{
    quint32 net;
    int bits;
};
// Private, loopback, link-local, CGNAT, multicast, documentation and other reserved IPv4 ranges
// (broadcast 255.255.255.255 is in 240.0.0.0/4).
constexpr Ipv4Range kInternalIpv4[] = {
    {0x00000000, 8},  {0x0A000000, 8},  {0x64400000, 10}, {0x7F000000, 8},  {0xA9FE0000, 16},
    {0xAC100000, 12}, {0xC0000000, 24}, {0xC0000200, 24}, {0xC0A80000, 16}, {0xC6120000, 15},
    {0xC6336400, 24}, {0xCB007100, 24}, {0xE0000000, 4},  {0xF0000000, 4},
};

bool internalIpv4(quint32 ip)
{
    return std::any_of(
        std::begin(kInternalIpv4), std::end(kInternalIpv4),
        [ip](const Ipv4Range &r) { return (ip >> (32 - r.bits)) == (r.net >> (32 - r.bits)); });
}

} // namespace

bool isInternalIp(const QString &ip)
{
    quint32 v4 = 0;
    if (canonicalDottedQuad(ip, &v4))
        return internalIpv4(v4);
    QHostAddress a(ip);
    if (a.isNull())
        return false;
    if (a.protocol() == QAbstractSocket::IPv4Protocol)
        return internalIpv4(a.toIPv4Address());
    if (a.isLoopback() || a.isLinkLocal() || a.isMulticast() || a.isUniqueLocalUnicast() ||
        a.isSiteLocal())
        return true;
    static const std::pair<QHostAddress, int> ranges[] = {
        {QHostAddress(QStringLiteral("::")), 128},
        {QHostAddress(QStringLiteral("fc00::")), 7},
        {QHostAddress(QStringLiteral("fe80::")), 10},
        {QHostAddress(QStringLiteral("2001:db8::")), 32},
    };
    return std::any_of(std::begin(ranges), std::end(ranges),
                       [&a](const auto &r) { return a.isInSubnet(r.first, r.second); });
}

QString endpointKey(const QString &hostName)
{
    QString h = hostName.trimmed().toLower();
    QString type;
    if (!normaliseIp(h, &type).isEmpty())
        return h;
    const qsizetype dot = h.indexOf(QLatin1Char('.'));
    return dot > 0 ? h.left(dot) : h;
}

} // namespace causa::indicator
