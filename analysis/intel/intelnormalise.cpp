#include "intelnormalise.h"

#include "core/indicatorutil.h"

#include <QDateTime>
#include <QUrl>

namespace causa::intel {

QString canonicalType(const QString &feedType)
{
    QString t = feedType.trimmed().toLower();
    t.remove(QLatin1Char('\''));
    t.remove(QLatin1Char('"'));
    static const std::pair<const char *, const char *> aliases[] = {
        {"sha256", "sha256"},
        {"sha-256", "sha256"},
        {"filehash-sha256", "sha256"},
        {"hash_sha256", "sha256"},
        {"file:sha256", "sha256"},
        {"sha1", "sha1"},
        {"sha-1", "sha1"},
        {"filehash-sha1", "sha1"},
        {"hash_sha1", "sha1"},
        {"md5", "md5"},
        {"filehash-md5", "md5"},
        {"hash_md5", "md5"},
        {"ipv4", "ipv4"},
        {"ip", "ip"},
        {"ipv4-addr", "ipv4"},
        {"ip-src", "ip"},
        {"ip-dst", "ip"},
        {"ip_address", "ip"},
        {"ipaddress", "ip"},
        {"ipv6", "ipv6"},
        {"ipv6-addr", "ipv6"},
        {"domain", "domain"},
        {"domain-name", "domain"},
        {"hostname", "domain"},
        {"fqdn", "domain"},
        {"url", "url"},
        {"uri", "url"},
        {"link", "url"},
        {"hash", "hash"},
        {"filehash", "hash"},
    };
    for (const auto &[from, to] : aliases)
        if (t == QLatin1String(from))
            return QLatin1String(to);
    return {};
}

namespace {

bool isDomain(const QString &d)
{
    if (d.size() < 3 || d.size() > 253 || !d.contains(QLatin1Char('.')))
        return false;
    for (const QString &label : d.split(QLatin1Char('.'))) {
        if (label.isEmpty() || label.size() > 63)
            return false;
        for (QChar c : label)
            if (!(c.isLetterOrNumber() || c == QLatin1Char('-') || c == QLatin1Char('_')))
                return false;
    }
    return true;
}

// value as a hash of type t ("hash": any of them).
QString normaliseHashAs(const QString &value, const QString &t, QString *type, QString *problem)
{
    QString ht;
    const QString h = indicator::normaliseHash(value, &ht);
    if (h.isEmpty() || (t != QLatin1String("hash") && ht != t)) {
        *problem = QStringLiteral("'%1' is not a valid %2").arg(value.left(80), t);
        return {};
    }
    *type = ht;
    return h;
}

// value as an address of type t ("ip": either family).
QString normaliseIpAs(const QString &value, const QString &t, QString *type, QString *problem)
{
    QString v = value;
    // MISP "ip-dst|port" values and "1.2.3.4:443" are an address plus a port.
    if (v.contains(QLatin1Char('|')))
        v = v.section(QLatin1Char('|'), 0, 0);
    QString it;
    QString ip = indicator::normaliseIp(v, &it);
    if (ip.isEmpty() && v.count(QLatin1Char(':')) == 1)
        ip = indicator::normaliseIp(v.section(QLatin1Char(':'), 0, 0), &it);
    if (ip.isEmpty() || (t != QLatin1String("ip") && it != t)) {
        *problem = QStringLiteral("'%1' is not a valid %2 address")
                       .arg(value.left(80), t == QLatin1String("ip") ? QStringLiteral("IP") : t);
        return {};
    }
    *type = it;
    return ip;
}

QString normaliseDomain(const QString &value, QString *type, QString *problem)
{
    QString d = value.toLower();
    while (d.endsWith(QLatin1Char('.')))
        d.chop(1);
    if (!isDomain(d)) {
        *problem = QStringLiteral("'%1' is not a valid domain name").arg(value.left(80));
        return {};
    }
    *type = QStringLiteral("domain");
    return d;
}

QString normaliseUrl(const QString &value, QString *type, QString *problem)
{
    const QUrl u(value, QUrl::StrictMode);
    if (!u.isValid() || u.scheme().isEmpty() || u.host().isEmpty()) {
        *problem = QStringLiteral("'%1' is not a valid URL").arg(value.left(80));
        return {};
    }
    *type = QStringLiteral("url");
    return value;
}

} // namespace

QString normaliseValue(const QString &raw, QString *type, QString *problem)
{
    const QString value = raw.trimmed();
    if (value.isEmpty()) {
        *problem = QStringLiteral("empty value");
        return {};
    }
    if (value.contains(QChar(0))) {
        *problem = QStringLiteral("the value holds a NUL byte");
        return {};
    }
    if (value.size() > 8192) {
        *problem = QStringLiteral("the value is %1 characters long (limit 8192)").arg(value.size());
        return {};
    }
    QString t = type->isEmpty() ? QString() : canonicalType(*type);
    if (!type->isEmpty() && t.isEmpty()) {
        *problem = QStringLiteral("unsupported indicator type '%1'").arg(type->left(64));
        return {};
    }
    if (t.isEmpty()) {
        // Infer: hash, IP, URL, domain in that order.
        QString ht;
        if (QString h = indicator::normaliseHash(value, &ht); !h.isEmpty()) {
            *type = ht;
            return h;
        }
        QString it;
        if (QString ip = indicator::normaliseIp(value, &it); !ip.isEmpty()) {
            *type = it;
            return ip;
        }
        if (value.contains(QLatin1String("://")))
            t = QStringLiteral("url");
        else
            t = QStringLiteral("domain");
    }
    if (t == QLatin1String("sha256") || t == QLatin1String("sha1") || t == QLatin1String("md5") ||
        t == QLatin1String("hash"))
        return normaliseHashAs(value, t, type, problem);
    if (t == QLatin1String("ip") || t == QLatin1String("ipv4") || t == QLatin1String("ipv6"))
        return normaliseIpAs(value, t, type, problem);
    if (t == QLatin1String("domain"))
        return normaliseDomain(value, type, problem);
    if (t == QLatin1String("url"))
        return normaliseUrl(value, type, problem);
    *problem = QStringLiteral("unsupported indicator type '%1'").arg(t);
    return {};
}

int parseScore(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t.isEmpty())
        return -1;
    bool ok = false;
    const int n = t.toInt(&ok);
    if (ok)
        return n >= 0 && n <= 3 ? n : -1;
    if (t == QLatin1String("malicious") || t == QLatin1String("bad") ||
        t == QLatin1String("malware"))
        return 3;
    if (t == QLatin1String("suspicious") || t == QLatin1String("anomalous"))
        return 2;
    if (t == QLatin1String("good") || t == QLatin1String("benign") || t == QLatin1String("allow") ||
        t == QLatin1String("allowed") || t == QLatin1String("whitelisted") ||
        t == QLatin1String("clean"))
        return 1;
    if (t == QLatin1String("unknown") || t == QLatin1String("none"))
        return 0;
    return -1;
}

qint64 parseTime(const QString &text)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return 0;
    bool ok = false;
    const qint64 n = t.toLongLong(&ok);
    if (ok)
        return n > 100000000000LL ? n : n * 1000; // seconds or milliseconds
    QDateTime d = QDateTime::fromString(t, Qt::ISODateWithMs);
    if (!d.isValid())
        d = QDateTime::fromString(t, Qt::ISODate);
    if (!d.isValid())
        return -1;
    if (d.timeSpec() == Qt::LocalTime && !t.contains(QLatin1Char('+')) &&
        !t.endsWith(QLatin1Char('Z')))
        d.setTimeSpec(Qt::UTC); // feeds without a zone mean UTC
    return d.toMSecsSinceEpoch();
}

QString parseTlp(const QString &text)
{
    QString t = text.trimmed().toUpper();
    if (t.startsWith(QLatin1String("TLP:")))
        t = t.mid(4);
    else if (t.startsWith(QLatin1String("TLP-")) || t.startsWith(QLatin1String("TLP_")))
        t = t.mid(4);
    t.remove(QLatin1Char('"'));
    if (t == QLatin1String("WHITE") || t == QLatin1String("CLEAR"))
        return QStringLiteral("CLEAR");
    if (t == QLatin1String("GREEN") || t == QLatin1String("AMBER") || t == QLatin1String("RED"))
        return t;
    if (t == QLatin1String("AMBER+STRICT") || t == QLatin1String("AMBER-STRICT") ||
        t == QLatin1String("AMBER STRICT"))
        return QStringLiteral("AMBER+STRICT");
    return {};
}

QString parsePap(const QString &text)
{
    QString t = text.trimmed().toUpper();
    if (t.startsWith(QLatin1String("PAP:")))
        t = t.mid(4);
    if (t == QLatin1String("WHITE") || t == QLatin1String("CLEAR") || t == QLatin1String("GREEN") ||
        t == QLatin1String("AMBER") || t == QLatin1String("RED"))
        return t == QLatin1String("WHITE") ? QStringLiteral("CLEAR") : t;
    return {};
}

} // namespace causa::intel
