// The indicator normalisation every importer uses (core/indicatorutil): the fast paths for
// canonical dotted quads and lower-case hashes must answer exactly what the general path, built
// on QHostAddress, answers. The reference functions below are that general path, kept here as
// the oracle.
#include "core/indicatorutil.h"

#include <QHostAddress>
#include <QRandomGenerator>
#include <QTest>

using namespace causa;

namespace {

QString referenceIp(const QString &text, QString *type)
{
    QString t = text.trimmed();
    while (t.endsWith(QLatin1Char('.')))
        t.chop(1);
    if (t.startsWith(QLatin1Char('[')) && t.endsWith(QLatin1Char(']')))
        t = t.mid(1, t.size() - 2);
    if (t.isEmpty())
        return {};
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

bool referenceInternal(const QString &ip)
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
    for (const auto &[net, bits] : ranges)
        if (a.isInSubnet(QHostAddress(QString::fromLatin1(net)), bits))
            return true;
    return false;
}

QString referenceHash(const QString &text, QString *type)
{
    const QString t = text.trimmed().toLower();
    if (indicator::isSha256(t))
        *type = QStringLiteral("sha256");
    else if (indicator::isSha1(t))
        *type = QStringLiteral("sha1");
    else if (indicator::isMd5(t))
        *type = QStringLiteral("md5");
    else
        return {};
    return t;
}

QString quad(quint32 v)
{
    return QStringLiteral("%1.%2.%3.%4")
        .arg(v >> 24)
        .arg((v >> 16) & 255)
        .arg((v >> 8) & 255)
        .arg(v & 255);
}

// Addresses at and around the edges of every reserved IPv4 range, and a spread of others.
QList<quint32> interestingIpv4()
{
    QList<quint32> out;
    const quint32 edges[] = {0x00000000, 0x0A000000, 0x64400000, 0x7F000000, 0xA9FE0000,
                             0xAC100000, 0xC0000000, 0xC0000200, 0xC0A80000, 0xC6120000,
                             0xC6336400, 0xCB007100, 0xE0000000, 0xF0000000, 0xFFFFFFFF};
    const int bits[] = {8, 8, 10, 8, 16, 12, 24, 24, 16, 15, 24, 24, 4, 4, 32};
    for (int i = 0; i < int(std::size(edges)); ++i) {
        const quint32 size = bits[i] == 32 ? 1u : (1u << (32 - bits[i]));
        for (const quint32 v : {edges[i] - 1, edges[i], edges[i] + 1, edges[i] + size - 1,
                                edges[i] + size, edges[i] + size / 2})
            out << v;
    }
    QRandomGenerator rng(19);
    for (int i = 0; i < 20000; ++i)
        out << rng.generate();
    return out;
}

} // namespace

class TestIndicatorUtil : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ipv4AsTheGeneralPathSaysIt()
    {
        for (const quint32 v : interestingIpv4()) {
            const QString text = quad(v);
            QString type, refType;
            QCOMPARE(indicator::normaliseIp(text, &type), referenceIp(text, &refType));
            QCOMPARE(type, refType);
            QVERIFY2(indicator::isInternalIp(text) == referenceInternal(text), qPrintable(text));
        }
    }

    void writtenFormsAsTheGeneralPathSaysThem()
    {
        const QStringList forms = {
            QStringLiteral("10.0.0.1"),
            QStringLiteral(" 10.0.0.1 "),
            QStringLiteral("10.0.0.1."),
            QStringLiteral("10.0.0.1.."),
            QStringLiteral("010.0.0.1"),
            QStringLiteral("10.00.0.1"),
            QStringLiteral("10.0.0.01"),
            QStringLiteral("1.2.3"),
            QStringLiteral("1.2.3.4.5"),
            QStringLiteral("256.1.1.1"),
            QStringLiteral("1.2.3.256"),
            QStringLiteral("1.2.3.1000"),
            QStringLiteral("+1.2.3.4"),
            QStringLiteral("-1.2.3.4"),
            QStringLiteral("1..3.4"),
            QStringLiteral(".1.2.3.4"),
            QStringLiteral("1.2.3.4a"),
            QStringLiteral("0x7f.0.0.1"),
            QStringLiteral("127.1"),
            QStringLiteral(""),
            QStringLiteral("."),
            QStringLiteral("[::1]"),
            QStringLiteral("::1"),
            QStringLiteral("::ffff:10.0.0.1"),
            QStringLiteral("::ffff:8.8.8.8"),
            QStringLiteral("FE80::1"),
            QStringLiteral("fd12:3456::1"),
            QStringLiteral("2001:db8::5"),
            QStringLiteral("2001:4860::8888"),
            QStringLiteral("fec0::1"),
            QStringLiteral("ff02::1"),
            QStringLiteral("::"),
            QString::fromUtf8("\xd9\xa1.\xd9\xa2.\xd9\xa3.\xd9\xa4"), // Arabic-Indic digits
            QStringLiteral("1.2.3.4") + QChar(0),
            QStringLiteral("<b>1.2.3.4</b>"),
            QString(1 << 20, QLatin1Char('1')),
        };
        for (const QString &text : forms) {
            QString type, refType;
            QCOMPARE(indicator::normaliseIp(text, &type), referenceIp(text, &refType));
            QCOMPARE(type, refType);
            QVERIFY2(indicator::isInternalIp(text) == referenceInternal(text),
                     qPrintable(text.left(40)));
        }
    }

    void hashesAsTheGeneralPathSaysThem()
    {
        QRandomGenerator rng(7);
        QStringList forms = {QString(), QStringLiteral(" "), QStringLiteral("abc"),
                             QString(64, QLatin1Char('g')), QString(64, QChar(0))};
        const QString digits = QStringLiteral("0123456789abcdefABCDEF");
        for (int len : {31, 32, 33, 39, 40, 41, 63, 64, 65}) {
            for (int i = 0; i < 50; ++i) {
                QString h;
                for (int k = 0; k < len; ++k)
                    h += digits.at(int(rng.bounded(i % 2 ? 16 : 22)));
                forms << h << QStringLiteral(" %1\t").arg(h) << h.toUpper();
            }
        }
        for (const QString &text : std::as_const(forms)) {
            QString type, refType;
            QCOMPARE(indicator::normaliseHash(text, &type), referenceHash(text, &refType));
            QCOMPARE(type, refType);
        }
    }
};

QTEST_GUILESS_MAIN(TestIndicatorUtil)
#include "tst_indicatorutil.moc"
