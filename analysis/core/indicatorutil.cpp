#include "indicatorutil.h"

#include <QHostAddress>

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
    const QString t = text.trimmed().toLower();
    if (isSha256(t))
        *type = QStringLiteral("sha256");
    else if (isSha1(t))
        *type = QStringLiteral("sha1");
    else if (isMd5(t))
        *type = QStringLiteral("md5");
    else
        return {};
    return t;
}

QString normaliseIp(const QString &text, QString *type)
{
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

bool isInternalIp(const QString &ip)
{
    QHostAddress a(ip);
    if (a.isNull())
        return false;
    if (a.isLoopback() || a.isLinkLocal() || a.isMulticast() || a.isBroadcast() ||
        a.isUniqueLocalUnicast() || a.isSiteLocal())
        return true;
    static const std::pair<const char *, int> ranges[] = {
        {"0.0.0.0", 8},      {"10.0.0.0", 8},    {"100.64.0.0", 10},   {"127.0.0.0", 8},
        {"169.254.0.0", 16}, {"172.16.0.0", 12}, {"192.0.0.0", 24},    {"192.0.2.0", 24},
        {"192.168.0.0", 16}, {"198.18.0.0", 15}, {"198.51.100.0", 24}, {"203.0.113.0", 24},
        {"224.0.0.0", 4},    {"240.0.0.0", 4},   {"::", 128},          {"fc00::", 7},
        {"fe80::", 10},      {"2001:db8::", 32},
    };
    for (const auto &[net, bits] : ranges) {
        if (a.isInSubnet(QHostAddress(QString::fromLatin1(net)), bits))
            return true;
    }
    return false;
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
