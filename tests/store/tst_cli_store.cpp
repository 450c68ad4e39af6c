// causa-cli end to end: import, stats, cases, show, exit codes (SPEC §11).
#include "testutils.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace causa;

class TestCliStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    test::TempStore m_store;
    QStringList store() const { return m_store.cliArgs(); }
    QJsonObject statsJson()
    {
        auto r =
            test::runCli(store() + QStringList{QStringLiteral("stats"), QStringLiteral("--json")});
        if (r.exitCode != 0)
            return {};
        return QJsonDocument::fromJson(r.out).object();
    }

private Q_SLOTS:
    void version()
    {
        auto r = test::runCli({QStringLiteral("--version")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith("causa-cli "));
    }

    void usageErrors()
    {
        QCOMPARE(test::runCli({}).exitCode, 2);
        QCOMPARE(test::runCli(store() + QStringList{QStringLiteral("frobnicate")}).exitCode, 2);
        QCOMPARE(test::runCli(store() + QStringList{QStringLiteral("import")}).exitCode, 2);
        QCOMPARE(test::runCli(store() + QStringList{QStringLiteral("show")}).exitCode, 2);
    }

    void importSharedFixturesTwice()
    {
        CAUSA_REQUIRE_SHARED_DATA(QStringLiteral("xdr"));
        const QString x = test::sharedDataDir() + QStringLiteral("/xdr/");
        const QStringList files{x + QStringLiteral("get_incident_extra_data.json"),
                                x + QStringLiteral("raw_fetched_incident.json"),
                                x + QStringLiteral("get_extra_data_all_alerts.json")};
        auto r = test::runCli(store() + QStringList{QStringLiteral("import")} + files);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject first = statsJson();
        // 1 + 3 + 3 distinct alerts (alert 94077 appears twice with different external ids).
        QCOMPARE(first.value(QStringLiteral("alerts")).toInt(), 7);
        QCOMPARE(first.value(QStringLiteral("cases")).toInt(), 2);
        for (const char *key :
             {"cases", "alerts", "endpoints", "processes", "events", "indicators", "actions"})
            QVERIFY2(first.contains(QLatin1String(key)), key);
        r = test::runCli(store() + QStringList{QStringLiteral("import")} + files);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(statsJson(), first);

        // A truncated copy: exit 1, message names the file and the byte, counts unchanged.
        QFile src(x + QStringLiteral("get_extra_data_all_alerts.json"));
        QVERIFY(src.open(QIODevice::ReadOnly));
        const QByteArray all = src.readAll();
        const QString truncated = m_dir.path() + QStringLiteral("/truncated.json");
        QFile t(truncated);
        QVERIFY(t.open(QIODevice::WriteOnly));
        t.write(all.left(all.size() / 2));
        t.close();
        r = test::runCli(store() + QStringList{QStringLiteral("import"), truncated});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("truncated.json") && r.err.contains("byte "), r.err.constData());
        QCOMPARE(statsJson(), first);

        // cases --json lists the contract's fields.
        r = test::runCli(store() + QStringList{QStringLiteral("cases"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray cases = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(cases.size(), 2);
        for (const char *key : {"id", "source_ref", "title", "severity", "status", "verdict",
                                "hosts", "users", "alert_count"})
            QVERIFY2(cases.first().toObject().contains(QLatin1String(key)), key);
    }

    void showSampleCase()
    {
        const QString sample =
            test::sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-incident.json");
        auto r = test::runCli(store() + QStringList{QStringLiteral("import"), sample});
        QCOMPARE(r.exitCode, 0);
        r = test::runCli(store() + QStringList{QStringLiteral("show"), QStringLiteral("xdr:4242"),
                                               QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j.value(QStringLiteral("alerts")).toArray().size(), 2);
        QCOMPARE(j.value(QStringLiteral("case"))
                     .toObject()
                     .value(QStringLiteral("hosts"))
                     .toArray()
                     .first()
                     .toString(),
                 QStringLiteral("FIN-WS-042"));
        r = test::runCli(store() + QStringList{QStringLiteral("show"), QStringLiteral("99999")});
        QCOMPARE(r.exitCode, 1);
        r = test::runCli(store() +
                         QStringList{QStringLiteral("verify-audit"), QStringLiteral("xdr:4242")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("intact"));
    }
};

QTEST_GUILESS_MAIN(TestCliStore)
#include "tst_cli_store.moc"
