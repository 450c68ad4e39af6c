// Store-wide settings (settings table) and the workbench's team settings on top of them; runs
// on SQLite and, as tst_settingsstore_pg, on PostgreSQL.
#include "enrichment/enrichmentsettings.h"
#include "import/importdispatcher.h"
#include "playbook/playbookengine.h"
#include "playbook/workbenchsettings.h"
#include "store/settingsstore.h"
#include "testutils.h"

#include <QtTest>

using namespace causa;

class TestSettingsStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keyValuesUpsertAndPrefix()
    {
        test::TempStore ts;
        QVERIFY(settingsstore::values(ts.store())->empty());
        QVERIFY(
            settingsstore::setValues(ts.store(), {{QStringLiteral("a.b"), QStringLiteral("1")},
                                                  {QStringLiteral("a.c"), QStringLiteral("two")},
                                                  {QStringLiteral("a%_"), QStringLiteral("wild")},
                                                  {QStringLiteral("b"), QString()}})
                .ok());
        QVERIFY(settingsstore::setValues(
                    ts.store(), {{QStringLiteral("a.b"), QStringLiteral("ünïcödé 'quoted' \"x\"")}})
                    .ok());
        auto all = settingsstore::values(ts.store());
        QVERIFY(all.ok());
        QCOMPARE(int(all->size()), 4);
        QCOMPARE(all->at(QStringLiteral("a.b")), QStringLiteral("ünïcödé 'quoted' \"x\""));
        QCOMPARE(all->at(QStringLiteral("b")), QString());
        // A prefix is literal: '%' and '_' in it are not wildcards.
        auto dotted = settingsstore::values(ts.store(), QStringLiteral("a."));
        QCOMPARE(int(dotted->size()), 2);
        auto wild = settingsstore::values(ts.store(), QStringLiteral("a%"));
        QCOMPARE(int(wild->size()), 1);
        QVERIFY(settingsstore::remove(ts.store(), QStringLiteral("a.c")).ok());
        QCOMPARE(int(settingsstore::values(ts.store(), QStringLiteral("a."))->size()), 1);
        // An empty key is refused and nothing of the batch is written.
        auto bad =
            settingsstore::setValues(ts.store(), {{QStringLiteral("a.z"), QStringLiteral("1")},
                                                  {QStringLiteral(" "), QStringLiteral("x")}});
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, QStringLiteral("bad-setting"));
        QVERIFY(!settingsstore::values(ts.store())->count(QStringLiteral("a.z")));
    }

    void workbenchSettingsRoundTrip()
    {
        test::TempStore ts;
        auto loaded = WorkbenchSettings::load(ts.store());
        QVERIFY(loaded.ok());
        QCOMPARE(loaded.value(), WorkbenchSettings()); // nothing stored: defaults
        WorkbenchSettings s;
        s.playbookInputs = {{QStringLiteral("TwoPersonRule"), QStringLiteral("true")},
                            {QStringLiteral("RelatedAlertsWindow"), QStringLiteral("90m")},
                            {QStringLiteral("VerdictRule"), QStringLiteral("xsoar-flags")}};
        s.offline = true;
        s.virusTotalEnabled = false;
        s.abuseIpDbTtlHours = 48;
        s.reportTlp = QStringLiteral("AMBER+STRICT");
        s.reportPap = QStringLiteral("RED");
        s.connector = QStringLiteral("xdr");
        QVERIFY(s.save(ts.store()).ok());
        auto back = WorkbenchSettings::load(ts.store());
        QVERIFY(back.ok());
        QCOMPARE(back.value(), s);
        QCOMPARE(back->playbookAssignments(),
                 QStringList({QStringLiteral("RelatedAlertsWindow=90m"),
                              QStringLiteral("TwoPersonRule=true"),
                              QStringLiteral("VerdictRule=xsoar-flags")}));
        EnrichmentSettings e;
        back->applyTo(e);
        QVERIFY(e.offline);
        QVERIFY(!e.virusTotal.enabled);
        QVERIFY(e.abuseIpDb.enabled);
        QCOMPARE(e.abuseIpDb.ttlMs, 48LL * 3600 * 1000);
    }

    void invalidSettingsAreRefused_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("tlp");
        QTest::newRow("bad duration") << QStringLiteral("RelatedAlertsWindow")
                                      << QStringLiteral("soon") << QStringLiteral("AMBER");
        QTest::newRow("unknown input")
            << QStringLiteral("NoSuchInput") << QStringLiteral("1") << QStringLiteral("AMBER");
        QTest::newRow("enum value") << QStringLiteral("VerdictRule") << QStringLiteral("<script>")
                                    << QStringLiteral("AMBER");
        QTest::newRow("score out of range") << QStringLiteral("MinimumScoreToBlock")
                                            << QStringLiteral("9") << QStringLiteral("AMBER");
        QTest::newRow("unknown TLP") << QStringLiteral("TwoPersonRule") << QStringLiteral("true")
                                     << QStringLiteral("PURPLE");
    }
    void invalidSettingsAreRefused()
    {
        QFETCH(QString, name);
        QFETCH(QString, value);
        QFETCH(QString, tlp);
        test::TempStore ts;
        WorkbenchSettings s;
        s.playbookInputs[name] = value;
        s.reportTlp = tlp;
        QVERIFY(!s.validate().ok());
        QVERIFY(!s.save(ts.store()).ok());
        QVERIFY(settingsstore::values(ts.store())->empty()); // nothing half-written
    }

    void teamDefaultsReachNewRunsInEngineAndCli()
    {
        test::TempStore ts;
        QVERIFY(ImportDispatcher(ts.store())
                    .importFile(test::sourceDir() +
                                QStringLiteral("/resources/samples/fin-ws-042-incident.json"))
                    .ok());
        const qint64 caseId = ts.store().cases()->front().id;
        WorkbenchSettings team;
        team.playbookInputs = {{QStringLiteral("TwoPersonRule"), QStringLiteral("true")},
                               {QStringLiteral("RelatedAlertsWindow"), QStringLiteral("90m")}};
        QVERIFY(team.save(ts.store()).ok());
        auto def = PlaybookDefinition::load(QStringLiteral("remote-psexec-lolbin"));
        QVERIFY(def.ok());
        {
            PlaybookEngine engine(ts.store(), def.value(), composeStageServices(ts.store()));
            engine.setInputDefaults(team.playbookAssignments());
            // The run's own inputs win over the team's defaults.
            auto run = engine.start(caseId, {QStringLiteral("RelatedAlertsWindow=3h")},
                                    QStringLiteral("alice"));
            QVERIFY(run.ok());
            QVERIFY(run->inputs["TwoPersonRule"] == nlohmann::json(true));
            QVERIFY(run->inputs["RelatedAlertsWindow"] == nlohmann::json("3h"));
            QVERIFY(run->inputs["MinimumScoreToBlock"] == nlohmann::json(3)); // untouched default
            // Stale team defaults (e.g. after a playbook change) are reported, not ignored.
            engine.setInputDefaults({QStringLiteral("NoLongerAnInput=1")});
            auto stale = engine.start(caseId, {}, QStringLiteral("alice"));
            QVERIFY(!stale.ok());
            QVERIFY(stale.error().message.contains(QStringLiteral("settings")));
        }
        if (ts.isPostgres())
            return; // the CLI half runs once, on SQLite
        // causa-cli run starts its run with the store's defaults too.
        const auto cli = test::runCli(
            ts.cliArgs() + QStringList{QStringLiteral("run"), QString::number(caseId),
                                       QStringLiteral("--step"), QStringLiteral("--json"),
                                       QStringLiteral("--input"),
                                       QStringLiteral("VerdictRule=xsoar-flags")});
        QVERIFY2(cli.exitCode == 0, cli.err.constData());
        PlaybookEngine reader(ts.store(), def.value(), composeStageServices(ts.store()));
        auto last = reader.latestRun(caseId);
        QVERIFY(last.ok() && last->has_value());
        const nlohmann::json inputs = last->value().inputs;
        QVERIFY(inputs["TwoPersonRule"] == nlohmann::json(true));
        QVERIFY(inputs["RelatedAlertsWindow"] == nlohmann::json("90m"));
        QVERIFY(inputs["VerdictRule"] == nlohmann::json("xsoar-flags"));
    }

    void storedGarbageFallsBackToDefaults()
    {
        test::TempStore ts;
        QVERIFY(settingsstore::setValues(
                    ts.store(),
                    {{QStringLiteral("enrichment.offline"), QStringLiteral("maybe")},
                     {QStringLiteral("enrichment.virustotal.ttl_hours"), QStringLiteral("-5")},
                     {QStringLiteral("report.tlp"), QStringLiteral("NOT-A-TLP")},
                     {QStringLiteral("response.connector"), QStringLiteral("ftp")}})
                    .ok());
        auto s = WorkbenchSettings::load(ts.store());
        QVERIFY(s.ok());
        QCOMPARE(s.value(), WorkbenchSettings());
    }
};

QTEST_GUILESS_MAIN(TestSettingsStore)
#include "tst_settingsstore.moc"
