// Threat-intel import: IOC CSV, allowlists, MISP, STIX 2.1; idempotence and hostile files (SPEC §4.3).
#include "testutils.h"

#include "import/importdispatcher.h"
#include "store/intelstore.h"

#include <QDateTime>
#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>

using namespace causa;

namespace {

QString fixture(const char *name)
{
    return test::fixturesDir() + QStringLiteral("/intel/") + QLatin1String(name);
}

struct Imported
{
    Result<ImportCounts> counts = ImportCounts{};
    QStringList warnings;
};

Imported importInto(CaseStore &store, const QString &path)
{
    Imported out;
    ImportOptions options;
    options.warn = [&out](const QString &w) { out.warnings << w; };
    out.counts = ImportDispatcher(store).importFile(path, options);
    return out;
}

std::vector<IntelEntry> lookup(CaseStore &store, const QString &type, const QString &value)
{
    auto db = store.connection();
    if (!db)
        return {};
    auto r = intelstore::lookup(db.value(), type, value);
    return r ? r.value() : std::vector<IntelEntry>{};
}

qint64 intelCount(CaseStore &store)
{
    auto r = intelstore::count(store.connection().value());
    return r ? r.value() : -1;
}

} // namespace

class TestIntelImport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void detectsFormats_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("format");
        QTest::newRow("sample ioc csv")
            << test::sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-iocs.csv")
            << QStringLiteral("intel-csv");
        QTest::newRow("semicolon csv with aliases")
            << fixture("iocs-variants.csv") << QStringLiteral("intel-csv");
        QTest::newRow("plain allowlist") << fixture("allowlist.txt") << QStringLiteral("intel-csv");
        QTest::newRow("misp event") << fixture("misp-event.json") << QStringLiteral("misp");
        QTest::newRow("misp feed reply") << fixture("misp-feed.json") << QStringLiteral("misp");
        QTest::newRow("stix bundle") << fixture("stix-bundle.json") << QStringLiteral("stix");
        QTest::newRow("xdr incident") << fixture("case-public.json") << QStringLiteral("xdr");
    }
    void detectsFormats()
    {
        QFETCH(QString, file);
        QFETCH(QString, format);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(ImportDispatcher::detectFormat(file, f.read(64 * 1024)), format);
    }

    void sampleFeedIsIdempotent()
    {
        test::TempStore ts;
        const QString feed =
            test::sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-iocs.csv");
        auto first = importInto(ts.store(), feed);
        QVERIFY2(first.counts.ok(),
                 qPrintable(first.counts.ok() ? QString() : first.counts.error().toString()));
        QCOMPARE(first.counts->intel, 2);
        QCOMPARE(first.counts->rejected, 0);
        auto e = lookup(
            ts.store(), QStringLiteral("sha256"),
            QStringLiteral("c3337f4290161ceb82d33cf36e4341b815fa7055df07eb83d5545cec8d39c57e"));
        QCOMPARE(e.size(), size_t(1));
        QCOMPARE(e[0].score, 3);
        QCOMPARE(e[0].confidence, 90);
        QCOMPARE(e[0].tlp, QStringLiteral("AMBER"));
        QCOMPARE(e[0].kind, QStringLiteral("ioc"));
        auto second = importInto(ts.store(), feed);
        QVERIFY(second.counts.ok());
        QCOMPARE(second.counts->intel, 0);
        QCOMPARE(second.counts->skipped, 2);
        QCOMPARE(intelCount(ts.store()), 2);
    }

    void csvVariants()
    {
        test::TempStore ts;
        auto r = importInto(ts.store(), fixture("iocs-variants.csv"));
        QVERIFY(r.counts.ok());
        QCOMPARE(r.counts->intel, 3);
        QCOMPARE(r.counts->rejected, 0);
        auto d = lookup(ts.store(), QStringLiteral("domain"), QStringLiteral("c2.bad-domain.org"));
        QCOMPARE(d.size(), size_t(1));
        QCOMPARE(d[0].score, 3);
        QCOMPARE(d[0].confidence, 80);
        QCOMPARE(d[0].description, QStringLiteral("C2; seen 2026"));
        QVERIFY(d[0].validFrom > 0);
        QVERIFY(d[0].validUntil > d[0].validFrom);
        auto ip = lookup(ts.store(), QStringLiteral("ipv4"), QStringLiteral("91.215.85.17"));
        QCOMPARE(ip.size(), size_t(1));
        QCOMPARE(ip[0].score, 2);
        QCOMPARE(ip[0].tlp, QStringLiteral("GREEN"));
        auto url = lookup(ts.store(), QStringLiteral("url"),
                          QStringLiteral("http://c2.bad-domain.org/a?b=1"));
        QCOMPARE(url.size(), size_t(1));
        QCOMPARE(url[0].tlp, QStringLiteral("RED"));
        QCOMPARE(url[0].description, QStringLiteral("quoted \"comment\""));
    }

    void allowlists_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("value");
        QTest::newRow("plain list with # allowlist comment")
            << fixture("allowlist.txt") << QStringLiteral("sha256")
            << QStringLiteral("de96a6e69944335375dc1ac238336066889d9ffc7d73628ef4fe1b1b160ab32c");
        QTest::newRow("plain list domain") << fixture("allowlist.txt") << QStringLiteral("domain")
                                           << QStringLiteral("windowsupdate.com");
        QTest::newRow("csv named allowlist")
            << fixture("corp-allowlist.csv") << QStringLiteral("ipv4")
            << QStringLiteral("45.137.21.9");
    }
    void allowlists()
    {
        QFETCH(QString, file);
        QFETCH(QString, type);
        QFETCH(QString, value);
        test::TempStore ts;
        auto r = importInto(ts.store(), file);
        QVERIFY2(r.counts.ok(),
                 qPrintable(r.counts.ok() ? QString() : r.counts.error().toString()));
        QCOMPARE(r.counts->rejected, 0);
        auto e = lookup(ts.store(), type, value);
        QCOMPARE(e.size(), size_t(1));
        QCOMPARE(e[0].kind, QStringLiteral("allowlist"));
        QCOMPARE(e[0].score, 1);
    }

    void badCsvRowsAreReportedAndTheRestKept()
    {
        test::TempStore ts;
        auto r = importInto(ts.store(), fixture("iocs-bad.csv"));
        QVERIFY(r.counts.ok());
        QCOMPARE(r.counts->intel, 2);
        QCOMPARE(r.counts->rejected, 7);
        QCOMPARE(r.warnings.size(), 7);
        const QString all = r.warnings.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QStringLiteral("iocs-bad.csv: line 3: field 'value'")),
                 qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("line 4: field 'score'")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("line 5: a quoted field is not closed")),
                 qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("line 6: field 'confidence'")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("line 7: field 'tlp'")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("line 8: field 'type'")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("line 9: 8 fields")), qPrintable(all));
        QCOMPARE(lookup(ts.store(), QStringLiteral("md5"),
                        QStringLiteral("25334458c0790a8b1d3bc49b77c4e9c5"))
                     .size(),
                 size_t(1));
    }

    void hostileCsvLines()
    {
        QTemporaryDir dir;
        const QString path = dir.path() + QStringLiteral("/hostile-iocs.csv");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("type,value,score\n");
        f.write("ipv4,45.137.21.9,3\n");
        f.write("domain,nul\0byte.example-bad.net,3\n", 34);
        f.write("domain,");
        f.write(QByteArray(10 * 1024 * 1024, 'a')); // a 10 MB line
        f.write(",3\n");
        f.write("domain,<script>alert(1)</script>,3\n");
        f.write("md5,25334458c0790a8b1d3bc49b77c4e9c5,3\n");
        f.close();
        test::TempStore ts;
        auto r = importInto(ts.store(), path);
        QVERIFY(r.counts.ok());
        QCOMPARE(r.counts->intel, 2);
        QCOMPARE(r.counts->rejected, 3);
        const QString all = r.warnings.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QStringLiteral("line 3: the line holds a NUL byte")),
                 qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("line 4: the line is longer than")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("line 5: field 'value'")), qPrintable(all));
        QCOMPARE(intelCount(ts.store()), 2);
    }

    void mispEvent()
    {
        test::TempStore ts;
        auto r = importInto(ts.store(), fixture("misp-event.json"));
        QVERIFY2(r.counts.ok(),
                 qPrintable(r.counts.ok() ? QString() : r.counts.error().toString()));
        // ip-dst, ip-dst|port, domain, hostname, url, filename|sha256, md5, object sha1.
        QCOMPARE(r.counts->intel, 8);
        QCOMPARE(r.counts->rejected, 1);
        QVERIFY(r.warnings.value(0).contains(QStringLiteral("Attribute[8]: field 'value'")));
        auto ip = lookup(ts.store(), QStringLiteral("ipv4"), QStringLiteral("45.137.21.9"));
        QCOMPARE(ip.size(), size_t(1));
        QCOMPARE(ip[0].score, 3);
        QCOMPARE(ip[0].tlp, QStringLiteral("GREEN"));
        QCOMPARE(ip[0].creator, QStringLiteral("Causa Test ISAC"));
        auto port = lookup(ts.store(), QStringLiteral("ipv4"), QStringLiteral("91.215.85.17"));
        QCOMPARE(port.size(), size_t(1));
        QCOMPARE(port[0].pap, QStringLiteral("RED"));
        auto url = lookup(ts.store(), QStringLiteral("url"),
                          QStringLiteral("http://c2.bad-domain.org/stage2.ps1"));
        QCOMPARE(url.size(), size_t(1));
        QCOMPARE(url[0].tlp, QStringLiteral("RED"));
        QCOMPARE(lookup(ts.store(), QStringLiteral("domain"), QStringLiteral("c2.bad-domain.org"))
                     .size(),
                 size_t(1));
        auto host =
            lookup(ts.store(), QStringLiteral("domain"), QStringLiteral("files.bad-domain.org"));
        QCOMPARE(host.size(), size_t(1));
        QCOMPARE(host[0].score, 2); // to_ids = false
        QCOMPARE(lookup(ts.store(), QStringLiteral("sha256"),
                        QStringLiteral(
                            "c3337f4290161ceb82d33cf36e4341b815fa7055df07eb83d5545cec8d39c57e"))
                     .size(),
                 size_t(1));
        QCOMPARE(lookup(ts.store(), QStringLiteral("sha1"),
                        QStringLiteral("3395856ce81f2b7382dee72602f798b642f14140"))
                     .size(),
                 size_t(1));
        // deleted
        QCOMPARE(lookup(ts.store(), QStringLiteral("sha256"), QString(64, QLatin1Char('0'))).size(),
                 size_t(0));
        auto again = importInto(ts.store(), fixture("misp-event.json"));
        QVERIFY(again.counts.ok());
        QCOMPARE(again.counts->intel, 0);
    }

    void mispFeedReply()
    {
        test::TempStore ts;
        auto r = importInto(ts.store(), fixture("misp-feed.json"));
        QVERIFY(r.counts.ok());
        QCOMPARE(r.counts->intel, 3); // sha256 + domain|ip as domain and ip
        auto sha = lookup(
            ts.store(), QStringLiteral("sha256"),
            QStringLiteral("de96a6e69944335375dc1ac238336066889d9ffc7d73628ef4fe1b1b160ab32c"));
        QCOMPARE(sha.size(), size_t(1));
        QCOMPARE(sha[0].tlp, QStringLiteral("CLEAR"));
        QCOMPARE(lookup(ts.store(), QStringLiteral("ipv4"), QStringLiteral("203.0.113.99")).size(),
                 size_t(1));
    }

    void stixBundle()
    {
        test::TempStore ts;
        auto r = importInto(ts.store(), fixture("stix-bundle.json"));
        QVERIFY2(r.counts.ok(),
                 qPrintable(r.counts.ok() ? QString() : r.counts.error().toString()));
        QCOMPARE(r.counts->intel, 6);    // ip, sha256 + md5, red ip, domain, expired url
        QCOMPARE(r.counts->rejected, 3); // CIDR, sigma, process-only pattern
        QCOMPARE(r.warnings.size(), 3);
        QVERIFY(r.warnings.join(QLatin1Char('\n'))
                    .contains(QStringLiteral("objects[7] (indicator--1a2b3c4d-0006")));
        auto ip = lookup(ts.store(), QStringLiteral("ipv4"), QStringLiteral("45.137.21.9"));
        QCOMPARE(ip.size(), size_t(1));
        QCOMPARE(ip[0].score, 3);
        QCOMPARE(ip[0].confidence, 85);
        QCOMPARE(ip[0].creator, QStringLiteral("Causa Test CTI"));
        QCOMPARE(ip[0].tlp, QStringLiteral("AMBER"));
        QCOMPARE(ip[0].validFrom,
                 QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch());
        auto sha = lookup(
            ts.store(), QStringLiteral("sha256"),
            QStringLiteral("c3337f4290161ceb82d33cf36e4341b815fa7055df07eb83d5545cec8d39c57e"));
        QCOMPARE(sha.size(), size_t(1));
        QCOMPARE(sha[0].score, 3);
        QCOMPARE(lookup(ts.store(), QStringLiteral("md5"),
                        QStringLiteral("25334458c0790a8b1d3bc49b77c4e9c5"))
                     .size(),
                 size_t(1));
        auto red = lookup(ts.store(), QStringLiteral("ipv4"), QStringLiteral("91.215.85.17"));
        QCOMPARE(red.size(), size_t(1));
        QCOMPARE(red[0].tlp, QStringLiteral("RED"));
        auto dom = lookup(ts.store(), QStringLiteral("domain"),
                          QStringLiteral("cdn-update.example-bad.net"));
        QCOMPARE(dom.size(), size_t(1));
        QCOMPARE(dom[0].score, 2);
        QCOMPARE(dom[0].tlp, QStringLiteral("GREEN"));
        auto url = lookup(ts.store(), QStringLiteral("url"),
                          QStringLiteral("http://cdn-update.example-bad.net/a.ps1"));
        QCOMPARE(url.size(), size_t(1));
        QVERIFY(url[0].validUntil > 0);
        QCOMPARE(lookup(ts.store(), QStringLiteral("url"),
                        QStringLiteral("http://revoked.example-bad.net/x"))
                     .size(),
                 size_t(0));
    }

    void hostileJsonLosesNothing_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("suffix");
        QTest::addColumn<QString>("expected");
        QFile stix(fixture("stix-bundle.json"));
        stix.open(QIODevice::ReadOnly);
        const QByteArray bundle = stix.readAll();
        QFile misp(fixture("misp-event.json"));
        misp.open(QIODevice::ReadOnly);
        const QByteArray event = misp.readAll();
        QTest::newRow("truncated stix") << bundle.left(bundle.size() / 2)
                                        << QStringLiteral("stix.json") << QStringLiteral("byte");
        QTest::newRow("truncated misp") << event.left(event.size() - 20)
                                        << QStringLiteral("misp.json") << QStringLiteral("byte");
        QByteArray nul = bundle;
        nul.insert(200, '\0');
        QTest::newRow("nul byte in stix")
            << nul << QStringLiteral("nul.json") << QStringLiteral("NUL byte");
        QTest::newRow("stix objects not an array")
            << QByteArray(R"({"type": "bundle", "id": "bundle--1", "objects": {"a": 1}})")
            << QStringLiteral("o.json") << QStringLiteral("objects array");
        QTest::newRow("stix object not an object")
            << QByteArray(
                   R"({"type": "bundle", "id": "bundle--1", "objects": [{"type": "indicator", "pattern": "[ipv4-addr:value = '45.137.21.9']"}, 7]})")
            << QStringLiteral("o7.json") << QStringLiteral("objects[1]");
        QTest::newRow("misp attribute list is a string")
            << QByteArray(R"({"Event": {"info": "x", "Attribute": "ip-dst 1.2.3.4"}})")
            << QStringLiteral("m.json") << QStringLiteral("Attribute is not an array");
        QTest::newRow("deep nesting")
            << QByteArray("{\"type\": \"bundle\", \"objects\": ") + QByteArray(100000, '[')
            << QStringLiteral("deep.json") << QStringLiteral("nesting");
    }
    void hostileJsonLosesNothing()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, suffix);
        QFETCH(QString, expected);
        test::TempStore ts;
        // Something already in the store must survive a failed import untouched.
        auto base =
            importInto(ts.store(), test::sourceDir() +
                                       QStringLiteral("/resources/samples/fin-ws-042-iocs.csv"));
        QVERIFY(base.counts.ok());
        QTemporaryDir dir;
        const QString path = dir.path() + QLatin1Char('/') + suffix;
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();
        auto r = importInto(ts.store(), path);
        QVERIFY(!r.counts.ok());
        const QString err = r.counts.error().toString();
        QVERIFY2(err.contains(expected), qPrintable(err));
        QVERIFY2(err.contains(suffix), qPrintable(err));
        QCOMPARE(intelCount(ts.store()), 2);
    }

    void cliImportsIntel()
    {
        QTemporaryDir dir;
        const QString db = dir.path() + QStringLiteral("/cli.sqlite");
        auto r = test::runCli({QStringLiteral("--db"), db, QStringLiteral("import"),
                               fixture("stix-bundle.json"), fixture("misp-event.json"),
                               fixture("allowlist.txt")});
        // Rejected records make the exit code 1 (bad input) while the good ones are kept.
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(
            r.out.contains(
                "stix-bundle.json: 0 new cases, 0 new alerts, 0 processes, 0 events, 0 indicators, 6 intel entries"),
            r.out.constData());
        QVERIFY2(
            r.out.contains(
                "allowlist.txt: 0 new cases, 0 new alerts, 0 processes, 0 events, 0 indicators, 2 intel entries"),
            r.out.constData());
        QVERIFY2(r.err.contains("warning: "), r.err.constData());
        auto again = test::runCli(
            {QStringLiteral("--db"), db, QStringLiteral("import"), fixture("allowlist.txt")});
        QCOMPARE(again.exitCode, 0);
        QVERIFY2(again.out.contains("2 already present"), again.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestIntelImport)
#include "tst_intelimport.moc"
