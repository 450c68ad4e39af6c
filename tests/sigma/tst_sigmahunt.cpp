// causa-cli hunt end to end on a real SQLite store (and, as tst_sigmahunt_pg, on a PostgreSQL
// server): real events imported (JSON lines, nested regression JSON, .evtx), XDR alerts, rules
// from the project's pack and SigmaHQ's, JSON and text output, exit codes.
#include "testutils.h"

#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include <set>

using namespace causa;

namespace {

QString packDir()
{
    return test::sourceDir() + QStringLiteral("/resources/sigma");
}

nlohmann::json parse(const test::CliResult &r)
{
    return nlohmann::json::parse(r.out.toStdString());
}

bool writeRule(const QString &path, const QByteArray &id, const QByteArray &detection)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) &&
           f.write(
               "title: alert rule " + id + "\nid: " + id +
               "\nauthor: Test\nlevel: high\n"
               "logsource:\n    product: windows\n    category: process_creation\ndetection:\n" +
               detection) > 0;
}

// The rules of the XDR alert test: the sample case's first alert (powershell -enc started by
// cmd.exe, SHA-256 de96a6e6…), its second (rundll32 comsvcs MiniDump), and two that no alert
// matches (another parent; a field the store does not keep for alerts).
const char *const kEncodedPowershell = "00000000-0000-4000-8000-0000000000a1";
const char *const kComsvcsDump = "00000000-0000-4000-8000-0000000000a2";
const char *const kOtherParent = "00000000-0000-4000-8000-0000000000a3";
const char *const kIntegrityLevel = "00000000-0000-4000-8000-0000000000a4";

bool writeAlertRules(const QString &dir)
{
    return writeRule(
               dir + QStringLiteral("/a1.yml"), kEncodedPowershell,
               "    sel:\n        Image|endswith: '\\powershell.exe'\n        ParentImage|endswith: '\\cmd.exe'\n"
               "        CommandLine|contains: ' -enc '\n        User: 'CORP\\svc_backup'\n"
               "        Hashes|contains: 'SHA256=DE96A6E69944335375DC1AC238336066889D9FFC7D73628EF4FE1B1B160AB32C'\n"
               "        Computer: 'FIN-WS-042'\n    condition: sel\n") &&
           writeRule(
               dir + QStringLiteral("/a2.yml"), kComsvcsDump,
               "    sel:\n        Image|endswith: '\\rundll32.exe'\n        CommandLine|contains|all:\n"
               "            - 'comsvcs'\n            - 'MiniDump'\n        ParentCommandLine|contains: 'cmd.exe /c'\n"
               "    condition: sel\n") &&
           writeRule(
               dir + QStringLiteral("/a3.yml"), kOtherParent,
               "    sel:\n        Image|endswith: '\\powershell.exe'\n        ParentImage|endswith: '\\explorer.exe'\n"
               "    condition: sel\n") &&
           writeRule(
               dir + QStringLiteral("/a4.yml"), kIntegrityLevel,
               "    sel:\n        Image|endswith: '\\powershell.exe'\n        IntegrityLevel: 'System'\n"
               "    condition: sel\n");
}

} // namespace

class TestSigmaHunt : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void psexecOnWorkstation5()
    {
        const QString shared = test::sharedDataDir();
        if (shared.isEmpty())
            QSKIP("shared data absent");
        test::TempStore store;
        const QStringList db = store.cliArgs();
        const QString otrf =
            shared +
            QStringLiteral(
                "/events/otrf-security-datasets/cmd_psexec_lsa_secrets_dump_2020-10-1903305471.json");
        QCOMPARE(test::runCli(db + QStringList{QStringLiteral("import"), otrf}).exitCode, 0);
        auto r = test::runCli(db + QStringList{QStringLiteral("hunt"), QStringLiteral("--sigma"),
                                               packDir(), QStringLiteral("--host"),
                                               QStringLiteral("WORKSTATION5"),
                                               QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto j = parse(r);
        QCOMPARE(j["rules_loaded"].get<int>(), 6);
        QVERIFY(j["rules_skipped"].empty());
        // 286 lines, 277 distinct records (the export repeats a few): all WORKSTATION5's.
        QCOMPARE(j["events_scanned"].get<int>(), 277);
        std::multiset<std::string> rules;
        std::set<qint64> eventIds;
        for (const auto &m : j["matches"]) {
            rules.insert(m["rule_id"].get<std::string>());
            QCOMPARE(m["host"].get<std::string>(), std::string("WORKSTATION5"));
            QVERIFY(m["event"].get<qint64>() > 0);
            eventIds.insert(m["event"].get<qint64>());
            QVERIFY(m["ts"].get<std::string>().starts_with("2020-10-19T"));
            QCOMPARE(m["credit"].get<std::string>(),
                     std::string("rule by Causa, Causa project rule pack"));
            QVERIFY(!m["tags"].empty());
            QVERIFY(!m["fields"].empty());
            for (const char *k :
                 {"title", "level", "author", "channel", "event_code", "rule_path", "target"})
                QVERIFY2(m.contains(k), k);
        }
        // 7045 + 4697 PSEXESVC, eight \PSEXESVC* pipe events, PSEXESVC.exe -> reg.exe.
        QCOMPARE(rules.count("3541253c-a03d-4735-9fc0-98d97f878081"), size_t(1));
        QCOMPARE(rules.count("090f08da-e18f-4fc9-b744-c705abfaecb8"), size_t(1));
        QCOMPARE(rules.count("56826b0c-4777-45c7-9987-b8b0f4146366"), size_t(8));
        // Sysmon 1 and 4688
        QCOMPARE(rules.count("459b7e1d-884a-4e6a-b48c-7a0b466af9a3"), size_t(2));
        QCOMPARE(eventIds.size(), j["matches"].size());

        auto text = test::runCli(
            db + QStringList{QStringLiteral("hunt"), QStringLiteral("--sigma"), packDir()});
        QCOMPARE(text.exitCode, 0);
        const QString out = QString::fromUtf8(text.out);
        QVERIFY2(out.startsWith(QLatin1String(
                     "rules loaded: 6, skipped: 0, events scanned: 277, matches: 12")),
                 qPrintable(out.left(200)));
        QVERIFY(out.contains(
            QLatin1String("[high] PsExec-Like Remote Execution Service Installed (System 7045)")));
        QVERIFY(out.contains(QLatin1String("ServiceName contains 'PSEXESVC' <- PSEXESVC")));
    }

    // The case's XDR alerts are hunted too, read as process creations: the alert's action
    // process as Image/CommandLine/User/Hashes, its OS parent as ParentImage/ParentCommandLine.
    void xdrAlertsMatchByTheirProcessFields()
    {
        test::TempStore store;
        qInfo("hunting XDR alerts in a %s store", store.isPostgres() ? "PostgreSQL" : "SQLite");
        const QStringList db = store.cliArgs();
        const QString incident =
            test::sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-incident.json");
        QCOMPARE(test::runCli(db + QStringList{QStringLiteral("import"), incident}).exitCode, 0);
        QTemporaryDir rules;
        QVERIFY(rules.isValid() && writeAlertRules(rules.path()));
        const auto cases = parse(
            test::runCli(db + QStringList{QStringLiteral("cases"), QStringLiteral("--json")}));
        QCOMPARE(cases.size(), size_t(1));
        const QString caseId = QString::number(cases[0]["id"].get<qint64>());
        for (const QStringList &scope :
             {QStringList{QStringLiteral("--case"), caseId},
              QStringList{QStringLiteral("--host"), QStringLiteral("FIN-WS-042")}, QStringList{}}) {
            auto r = test::runCli(db +
                                  QStringList{QStringLiteral("hunt"), QStringLiteral("--sigma"),
                                              rules.path(), QStringLiteral("--json")} +
                                  scope);
            QVERIFY2(r.exitCode == 0, r.err.constData());
            const auto j = parse(r);
            QCOMPARE(j["rules_loaded"].get<int>(), 4);
            QCOMPARE(j["events_scanned"].get<int>(), 0);
            QCOMPARE(j["alerts_scanned"].get<int>(), 2);
            std::multiset<std::string> rulesHit;
            for (const auto &m : j["matches"]) {
                rulesHit.insert(m["rule_id"].get<std::string>());
                QCOMPARE(m["source"].get<std::string>(), std::string("alert"));
                QCOMPARE(m["event"].get<qint64>(), qint64(0));
                QVERIFY(m["alert_row"].get<qint64>() > 0);
                QCOMPARE(m["host"].get<std::string>(), std::string("FIN-WS-042"));
                QCOMPARE(m["target"].get<std::string>(), std::string("xdr alert"));
                const std::string alert = m["rule_id"] == kEncodedPowershell ? "31337" : "31338";
                QCOMPARE(m["alert"].get<std::string>(), alert);
            }
            QCOMPARE(rulesHit.count(kEncodedPowershell), size_t(1));
            QCOMPARE(rulesHit.count(kComsvcsDump), size_t(1));
            QCOMPARE(rulesHit.count(kOtherParent), size_t(0));
            QCOMPARE(rulesHit.count(kIntegrityLevel), size_t(0));
            QCOMPARE(j["matches"].size(), size_t(2));
        }
        auto text = test::runCli(
            db + QStringList{QStringLiteral("hunt"), QStringLiteral("--sigma"), rules.path()});
        QCOMPARE(text.exitCode, 0);
        const QString out = QString::fromUtf8(text.out);
        QVERIFY2(out.contains(QLatin1String("alerts scanned: 2")), qPrintable(out.left(300)));
        QVERIFY(out.contains(QLatin1String("host FIN-WS-042  XDR alert 31337")));
        QVERIFY(out.contains(QLatin1String(
            "sel: ParentImage endswith '\\cmd.exe' <- C:\\Windows\\System32\\cmd.exe")));
    }

    void sigmaHqRulesOverImportedRegressionEvents()
    {
        const QString shared = test::sharedDataDir();
        if (shared.isEmpty())
            QSKIP("shared data absent");
        test::TempStore store;
        const QStringList db = store.cliArgs();
        const QString caseDir =
            shared +
            QStringLiteral("/sigma/regression_data/rules-emerging-threats/2026/Exploits/RedSun/");
        // The nested JSON of one case and the .evtx of another, through the importer.
        QStringList files{
            caseDir +
            QStringLiteral(
                "pipe_created_win_exploit_redsun_named_pipe/9b4e7c2a-3f6d-4a8b-b5e9-1c7d3f2e6a4b.json")};
        const bool evtx = QFile::exists(
            caseDir +
            QStringLiteral(
                "file_event_win_exploit_redsun_indicators/f2e4b7d9-5c3a-4f8b-9e1d-7a6c2b3f4e5d.evtx"));
        auto imp = test::runCli(db + QStringList{QStringLiteral("import")} + files);
        QVERIFY2(imp.exitCode == 0, imp.err.constData());
        auto impEvtx = test::runCli(
            db +
            QStringList{
                QStringLiteral("import"),
                caseDir +
                    QStringLiteral(
                        "file_event_win_exploit_redsun_indicators/f2e4b7d9-5c3a-4f8b-9e1d-7a6c2b3f4e5d.evtx")});
        const bool evtxImported = evtx && impEvtx.exitCode == 0;
        auto r = test::runCli(
            db + QStringList{QStringLiteral("hunt"), QStringLiteral("--sigma"),
                             shared + QStringLiteral("/sigma/rules-emerging-threats"),
                             shared + QStringLiteral("/sigma/rules"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto j = parse(r);
        QVERIFY(j["rules_loaded"].get<int>() > 2000);
        QVERIFY(!j["rules_skipped"].empty());
        for (const auto &s : j["rules_skipped"])
            QVERIFY(!s["path"].get<std::string>().empty() &&
                    !s["reason"].get<std::string>().empty());
        std::set<std::string> rules;
        for (const auto &m : j["matches"]) {
            rules.insert(m["rule_id"].get<std::string>());
            QVERIFY(m["credit"].get<std::string>().ends_with(", SigmaHQ, DRL 1.1"));
        }
        QVERIFY(rules.count("9b4e7c2a-3f6d-4a8b-b5e9-1c7d3f2e6a4b"));
        if (evtxImported)
            QVERIFY(rules.count("f2e4b7d9-5c3a-4f8b-9e1d-7a6c2b3f4e5d"));
    }

    void exitCodes_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        const QString pack = packDir();
        QTest::newRow("no --sigma") << QStringList{QStringLiteral("hunt")} << 2;
        QTest::newRow("--sigma without path")
            << QStringList{QStringLiteral("hunt"), QStringLiteral("--sigma")} << 2;
        QTest::newRow("case and host") << QStringList{QStringLiteral("hunt"),
                                                      QStringLiteral("--sigma"),
                                                      pack,
                                                      QStringLiteral("--case"),
                                                      QStringLiteral("1"),
                                                      QStringLiteral("--host"),
                                                      QStringLiteral("x")}
                                       << 2;
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("hunt"), QStringLiteral("--sigma"), pack,
                           QStringLiteral("--fast")}
            << 2;
        QTest::newRow("missing rule path")
            << QStringList{QStringLiteral("hunt"), QStringLiteral("--sigma"),
                           QStringLiteral("/nonexistent/rules")}
            << 1;
        QTest::newRow("unknown host")
            << QStringList{QStringLiteral("hunt"), QStringLiteral("--sigma"), pack,
                           QStringLiteral("--host"), QStringLiteral("nosuchhost")}
            << 1;
        QTest::newRow("unknown case")
            << QStringList{QStringLiteral("hunt"), QStringLiteral("--sigma"), pack,
                           QStringLiteral("--case"), QStringLiteral("999")}
            << 1;
        QTest::newRow("empty store")
            << QStringList{QStringLiteral("hunt"), QStringLiteral("--sigma"), pack,
                           QStringLiteral("--json")}
            << 0;
    }

    void exitCodes()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        test::TempStore store;
        const auto r = test::runCli(store.cliArgs() + args);
        QVERIFY2(r.exitCode == exitCode, r.err.constData());
        if (exitCode == 0)
            QCOMPARE(parse(r)["matches"].size(), size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestSigmaHunt)
#include "tst_sigmahunt.moc"
