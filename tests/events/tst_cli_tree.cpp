// causa-cli tree: text and JSON on the sample case and by host; usage errors.
#include "testutils.h"

#include <nlohmann/json.hpp>

using namespace causa;

class TestCliTree : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sampleCase()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("cases.sqlite"));
        const QString samples = test::sourceDir() + QStringLiteral("/resources/samples/");
        auto imp = test::runCli({QStringLiteral("--db"), db, QStringLiteral("import"),
                                 samples + QStringLiteral("fin-ws-042-incident.json"),
                                 samples + QStringLiteral("fin-ws-042-events.jsonl")});
        QCOMPARE(imp.exitCode, 0);
        auto json = test::runCli({QStringLiteral("--db"), db, QStringLiteral("tree"),
                                  QStringLiteral("xdr:4242"), QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 0);
        const auto j = nlohmann::json::parse(json.out.toStdString());
        QCOMPARE(j.size(), size_t(1));
        const auto &services = j[0];
        QCOMPARE(services["image"].get<std::string>(), std::string("services.exe"));
        const auto &svc = services["children"][0];
        QCOMPARE(svc["image"].get<std::string>(), std::string("winupdsvc.exe"));
        QCOMPARE(svc["pid"].get<int>(), 3320);
        QCOMPARE(svc["signature_status"].get<std::string>(), std::string("SIGNATURE_UNSIGNED"));
        for (const char *k : {"user", "start_time", "command_line", "signature_vendor", "badges",
                              "alerts", "network", "pipes", "files", "children"})
            QVERIFY2(svc.contains(k), k);
        QVERIFY(std::find(svc["badges"].begin(), svc["badges"].end(), "psexec_service") !=
                svc["badges"].end());
        bool sawNet = false;
        std::function<void(const nlohmann::json &)> walk = [&](const nlohmann::json &n) {
            for (const auto &c : n["network"])
                sawNet = sawNet || c["remote_ip"] == "185.220.101.42";
            for (const auto &c : n["children"])
                walk(c);
        };
        walk(services);
        QVERIFY(sawNet);

        auto text =
            test::runCli({QStringLiteral("--db"), db, QStringLiteral("tree"),
                          QStringLiteral("--host"), QStringLiteral("FIN-WS-042.corp.example")});
        QCOMPARE(text.exitCode, 0);
        const QString out = QString::fromUtf8(text.out);
        QVERIFY2(out.contains(QLatin1String("\n  winupdsvc.exe [3320]")), qPrintable(out));
        QVERIFY(out.contains(QLatin1String("\n      powershell.exe [7344]")));
        QVERIFY(out.contains(QLatin1String("185.220.101.42")));
        // The service install names the event that reported it (7045 and 4697 often both do).
        QVERIFY2(out.contains(QLatin1String(
                     "\n      service (7045): WinUpdSvc: %SystemRoot%\\winupdsvc.exe")),
                 qPrintable(out));

        QCOMPARE(test::runCli({QStringLiteral("--db"), db, QStringLiteral("tree")}).exitCode, 2);
        QCOMPARE(test::runCli({QStringLiteral("--db"), db, QStringLiteral("tree"),
                               QStringLiteral("--host"), QStringLiteral("nosuchhost")})
                     .exitCode,
                 1);
    }
};

QTEST_GUILESS_MAIN(TestCliTree)
#include "tst_cli_tree.moc"
