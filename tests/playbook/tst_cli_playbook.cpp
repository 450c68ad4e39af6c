// causa-cli run / actions / approve / reject / verify-audit on the bundled sample case, with the
// XDR connector pointed at a real HTTP server on loopback.
#include "httptestserver.h"
#include "playbook/stageservices.h"
#include "testasserts.h"
#include "testutils.h"

#include <QSqlQuery>

#include <nlohmann/json.hpp>

using namespace causa;
using nlohmann::json;

// QCOMPARE cannot print nlohmann::json; compare as JSON and show both sides on failure.
using test::HttpTestServer;

namespace {

json parseOut(const test::CliResult &r)
{
    return json::parse(r.out.toStdString(), nullptr, false);
}

const json *stageOf(const json &view, const char *id)
{
    for (const json &s : view["stages"])
        if (s["stage"] == id)
            return &s;
    return nullptr;
}

} // namespace

class TestCliPlaybook : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_db;

    test::CliResult cli(QStringList args)
    {
        return test::runCli(QStringList{QStringLiteral("--db"), m_db} + args);
    }

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("CAUSA_EXPORT_KEY", "cli-test-export-key-0123456789");
        qputenv("CAUSA_EXPORT_DIR", (m_dir.path() + QStringLiteral("/exports")).toUtf8());
        qputenv("CAUSA_XDR_API_KEY", "cli-secret-key-abcdef");
        qputenv("CAUSA_XDR_API_KEY_ID", "17");
        qputenv("CAUSA_XDR_STATUS_POLLS", "0");
        qputenv("CAUSA_XDR_TIMEOUT_MS", "3000");
    }

    void init()
    {
        m_db = m_dir.path() +
               QStringLiteral("/%1.sqlite").arg(QString::fromLatin1(QTest::currentTestFunction()));
        const auto r = cli(
            {QStringLiteral("import"),
             test::sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-incident.json")});
        QCOMPARE(r.exitCode, 0);
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exit");
        QTest::newRow("run without case") << QStringList{QStringLiteral("run")} << 2;
        QTest::newRow("approve without --by")
            << QStringList{QStringLiteral("approve"), QStringLiteral("1")} << 2;
        QTest::newRow("reject without note")
            << QStringList{QStringLiteral("reject"), QStringLiteral("1"), QStringLiteral("--by"),
                           QStringLiteral("bob")}
            << 2;
        QTest::newRow("bad action id")
            << QStringList{QStringLiteral("approve"), QStringLiteral("x"), QStringLiteral("--by"),
                           QStringLiteral("bob")}
            << 2;
        QTest::newRow("unknown connector")
            << QStringList{QStringLiteral("run"), QStringLiteral("1"),
                           QStringLiteral("--connector"), QStringLiteral("carrier-pigeon")}
            << 2;
        QTest::newRow("bad input")
            << QStringList{QStringLiteral("run"), QStringLiteral("1"), QStringLiteral("--input"),
                           QStringLiteral("MinimumScoreToBlock=9")}
            << 1;
        QTest::newRow("unknown case")
            << QStringList{QStringLiteral("run"), QStringLiteral("999")} << 1;
    }
    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exit);
        const auto r = cli(args);
        QCOMPARE(r.exitCode, exit);
        QVERIFY(!r.err.isEmpty());
    }

    void runApproveThroughXdrAndVerifyAudit()
    {
        int terminates = 0;
        HttpTestServer server([&](const HttpTestServer::Request &req) {
            HttpTestServer::Response resp;
            if (req.path.endsWith("/endpoints/terminate_causality/"))
                ++terminates;
            resp.body = R"({"reply":{"action_id":77}})";
            return resp;
        });
        // The sample IOC feed knows the PsExec-like service binary: enrichment scores it 3.
        auto r =
            cli({QStringLiteral("import"),
                 test::sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-iocs.csv")});
        QCOMPARE(r.exitCode, 0);
        r = cli({QStringLiteral("run"), QStringLiteral("xdr:4242"), QStringLiteral("--json"),
                 QStringLiteral("--by"), QStringLiteral("alice")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        json view = parseOut(r);
        QVERIFY(!view.is_discarded());
        JCOMPARE(view["run"]["state"], json("awaiting_approval"));
        JCOMPARE((*stageOf(view, "triage"))["outputs"]["blocked"], json(false));
        JCOMPARE((*stageOf(view, "containment"))["state"], json("awaiting_approval"));
        // Every evidence stage ran with a real service (none reports "unavailable").
        for (const char *stage : {"enrichment", "cmdline", "endpoint", "hunt"})
            QVERIFY2((*stageOf(view, stage))["state"] != json("unavailable"), stage);
        QCOMPARE(terminates, 0);

        // Dry run shows the exact request; the key is never printed.
        r = cli({QStringLiteral("actions"), QStringLiteral("1"), QStringLiteral("--json"),
                 QStringLiteral("--preview"), QStringLiteral("--connector"), QStringLiteral("xdr"),
                 QStringLiteral("--xdr-url"), server.baseUrl()});
        QCOMPARE(r.exitCode, 0);
        json actions = parseOut(r);
        JCOMPARE(actions[0]["kind"], json("terminate_causality"));
        JCOMPARE(actions[0]["state"], json("awaiting_approval"));
        JCOMPARE(actions[0]["preview"]["url"],
                 json(QString(server.baseUrl() +
                              QStringLiteral("/public_api/v1/endpoints/terminate_causality/"))
                          .toStdString()));
        QVERIFY(!r.out.contains("cli-secret-key"));
        const qint64 id = actions[0]["id"].get<qint64>();

        r = cli({QStringLiteral("approve"), QString::number(id), QStringLiteral("--by"),
                 QStringLiteral("bob"), QStringLiteral("--note"),
                 QStringLiteral("confirmed with the host owner"), QStringLiteral("--connector"),
                 QStringLiteral("xdr"), QStringLiteral("--xdr-url"), server.baseUrl(),
                 QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        JCOMPARE(parseOut(r)["state"], json("succeeded"));
        QCOMPARE(terminates, 1);
        const auto req = server.requests().front();
        QCOMPARE(req.headers.value("x-xdr-auth-id"), QByteArray("17"));
        QCOMPARE(req.headers.value("authorization"), QByteArray("cli-secret-key-abcdef"));

        // Approving again changes nothing and sends nothing.
        r = cli({QStringLiteral("approve"), QString::number(id), QStringLiteral("--by"),
                 QStringLiteral("carol"), QStringLiteral("--connector"), QStringLiteral("xdr"),
                 QStringLiteral("--xdr-url"), server.baseUrl()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("not awaiting approval"));
        QCOMPARE(terminates, 1);

        r = cli({QStringLiteral("actions"), QStringLiteral("1"), QStringLiteral("--json")});
        actions = parseOut(r);
        JCOMPARE(actions[0]["approvals"][0]["who"], json("bob"));
        JCOMPARE(actions[0]["approvals"][0]["note"], json("confirmed with the host owner"));
        QVERIFY(actions[0]["approvals"][0]["when"].get<qint64>() > 0);
        JCOMPARE(actions[0]["connector"], json("xdr"));
        JCOMPARE(actions[0]["result"]["action_id"], json(77));
        QVERIFY(!r.out.contains("cli-secret-key"));

        r = cli({QStringLiteral("verify-audit"), QStringLiteral("1")});
        QCOMPARE(r.exitCode, 0);
        // Tamper with one approval entry: verify-audit catches it.
        {
            StoreLocation loc;
            loc.path = m_db;
            auto store = CaseStore::open(loc);
            QVERIFY(test::dropAuditGuards(store.value()->connection().value()));
            QSqlQuery q(store.value()->connection().value());
            QVERIFY(q.exec(QStringLiteral(
                "UPDATE audit_log SET actor = 'mallory' WHERE kind = 'action.approved'")));
            QCOMPARE(q.numRowsAffected(), 1);
        }
        r = cli({QStringLiteral("verify-audit"), QStringLiteral("1")});
        QCOMPARE(r.exitCode, 1);

        // The sample's PowerShell line (AMSI bypass + download cradle) makes the case malicious and
        // raises its severity from medium to high; remediation then waits for approvals.
        JCOMPARE((*stageOf(view, "verdict"))["outputs"]["verdict"], json("malicious"));
        JCOMPARE((*stageOf(view, "remediation"))["state"], json("awaiting_approval"));
        r = cli({QStringLiteral("actions"), QStringLiteral("1"), QStringLiteral("--json")});
        bool blocksServiceHash = false;
        for (const json &a : parseOut(r))
            blocksServiceHash = blocksServiceHash || (a["kind"] == json("block_hash") &&
                                                      a["state"] == json("awaiting_approval"));
        QVERIFY2(blocksServiceHash,
                 "remediation proposes blocking the service binary's SHA-256, awaiting approval");
        r = cli({QStringLiteral("show"), QStringLiteral("xdr:4242"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        JCOMPARE(parseOut(r)["case"]["severity"], json("high"));
    }

    void rejectRecordsReason()
    {
        auto r = cli({QStringLiteral("run"), QStringLiteral("1")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("Containment: terminate causality"));
        QVERIFY(r.out.contains("awaiting_approval"));
        r = cli({QStringLiteral("actions"), QStringLiteral("1"), QStringLiteral("--json")});
        const qint64 id = parseOut(r)[0]["id"].get<qint64>();
        r = cli({QStringLiteral("reject"), QString::number(id), QStringLiteral("--by"),
                 QStringLiteral("bob"), QStringLiteral("--note"),
                 QStringLiteral("maintenance window <script>")});
        QCOMPARE(r.exitCode, 0);
        r = cli({QStringLiteral("actions"), QStringLiteral("1"), QStringLiteral("--json")});
        const json a = parseOut(r)[0];
        JCOMPARE(a["state"], json("rejected"));
        JCOMPARE(a["approvals"][0]["decision"], json("reject"));
        JCOMPARE(a["approvals"][0]["note"], json("maintenance window <script>"));
        // The run resumes: the malicious verdict proposes isolating the victim endpoint.
        r = cli({QStringLiteral("run"), QStringLiteral("1"), QStringLiteral("--json")});
        json v = parseOut(r);
        JCOMPARE(v["run"]["state"], json("awaiting_approval"));
        qint64 isolate = 0;
        for (const json &act : v["actions"])
            if (act["kind"] == "isolate_endpoint")
                isolate = act["id"].get<qint64>();
        QVERIFY(isolate > 0);
        r = cli({QStringLiteral("reject"), QString::number(isolate), QStringLiteral("--by"),
                 QStringLiteral("bob"), QStringLiteral("--note"),
                 QStringLiteral("isolated by the network team")});
        QCOMPARE(r.exitCode, 0);
        // Stage 7 proposes; the case stays open until the analyst closes it.
        r = cli({QStringLiteral("run"), QStringLiteral("1"), QStringLiteral("--json")});
        v = parseOut(r);
        JCOMPARE(v["run"]["state"], json("awaiting_decision"));
        JCOMPARE((*stageOf(v, "close"))["outputs"]["proposed_resolution"], json("true_positive"));
        r = cli({QStringLiteral("cases"), QStringLiteral("--json")});
        QVERIFY(parseOut(r)[0]["status"] != "closed");
        QCOMPARE(cli({QStringLiteral("checklist"), QStringLiteral("1"), QStringLiteral("--tick"),
                      QStringLiteral("2"), QStringLiteral("--note"),
                      QStringLiteral("svc_backup disabled"), QStringLiteral("--by"),
                      QStringLiteral("carol")})
                     .exitCode,
                 0);
        r = cli({QStringLiteral("checklist"), QStringLiteral("1"), QStringLiteral("--json")});
        JCOMPARE(parseOut(r)[1]["done"], json(true));
        JCOMPARE(parseOut(r)[1]["by"], json("carol"));
        QCOMPARE(cli({QStringLiteral("checklist"), QStringLiteral("1"), QStringLiteral("--tick"),
                      QStringLiteral("9")})
                     .exitCode,
                 2);
        QCOMPARE(cli({QStringLiteral("close"), QStringLiteral("1"), QStringLiteral("--resolution"),
                      QStringLiteral("fixed")})
                     .exitCode,
                 2);
        QCOMPARE(cli({QStringLiteral("close"), QStringLiteral("1"), QStringLiteral("--resolution"),
                      QStringLiteral("sure"), QStringLiteral("--note"), QStringLiteral("n")})
                     .exitCode,
                 2);
        r = cli({QStringLiteral("close"), QStringLiteral("1"), QStringLiteral("--resolution"),
                 QStringLiteral("true_positive"), QStringLiteral("--note"),
                 QStringLiteral("confirmed by the lab"), QStringLiteral("--by"),
                 QStringLiteral("bob")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = cli({QStringLiteral("cases"), QStringLiteral("--json")});
        JCOMPARE(parseOut(r)[0]["status"], json("closed"));
        JCOMPARE(parseOut(r)[0]["verdict"], json("true_positive"));
        QCOMPARE(cli({QStringLiteral("reopen"), QStringLiteral("1")}).exitCode, 2);
        QCOMPARE(
            cli({QStringLiteral("reopen"), QStringLiteral("1"), QStringLiteral("--note"),
                 QStringLiteral("new evidence"), QStringLiteral("--by"), QStringLiteral("bob")})
                .exitCode,
            0);
        r = cli({QStringLiteral("cases"), QStringLiteral("--json")});
        JCOMPARE(parseOut(r)[0]["status"], json("in_progress"));
        // An ad-hoc action waits for approval like the playbook's own.
        r = cli({QStringLiteral("propose"), QStringLiteral("1"), QStringLiteral("--kind"),
                 QStringLiteral("block_ip"), QStringLiteral("--target"),
                 QStringLiteral("203.0.113.9"), QStringLiteral("--reason"),
                 QStringLiteral("C2 in the payload"), QStringLiteral("--by"),
                 QStringLiteral("dave"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        JCOMPARE(parseOut(r)["state"], json("awaiting_approval"));
        QCOMPARE(cli({QStringLiteral("propose"), QStringLiteral("1"), QStringLiteral("--kind"),
                      QStringLiteral("block_ip"), QStringLiteral("--target"),
                      QStringLiteral("not-an-ip"), QStringLiteral("--reason"), QStringLiteral("x")})
                     .exitCode,
                 1);
        QCOMPARE(cli({QStringLiteral("verify-audit"), QStringLiteral("1")}).exitCode, 0);
    }

    void patternsAndAllowlistReachEveryAnalysis()
    {
        const QString line = QStringLiteral("corpupdate.exe --sync-token AAAA --quiet");
        auto r = cli({QStringLiteral("analyze"), QStringLiteral("--json"), line});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(!r.out.contains("custom:corp-sync"));
        r = cli({QStringLiteral("pattern"), QStringLiteral("add"), QStringLiteral("corp-sync"),
                 QStringLiteral("--match"), QStringLiteral("--sync-token"),
                 QStringLiteral("--category"), QStringLiteral("credential_access"),
                 QStringLiteral("--weight"), QStringLiteral("60"), QStringLiteral("--by"),
                 QStringLiteral("erin")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = cli({QStringLiteral("analyze"), QStringLiteral("--json"), line});
        QVERIFY2(r.out.contains("custom:corp-sync:v1"), r.out.constData());
        // A second version replaces the first; findings name the version that fired.
        QCOMPARE(cli({QStringLiteral("pattern"), QStringLiteral("add"), QStringLiteral("corp-sync"),
                      QStringLiteral("--match"), QStringLiteral("sync-token && quiet")})
                     .exitCode,
                 0);
        r = cli({QStringLiteral("analyze"), QStringLiteral("--json"), line});
        QVERIFY2(r.out.contains("custom:corp-sync:v2") && !r.out.contains("custom:corp-sync:v1"),
                 r.out.constData());
        r = cli({QStringLiteral("pattern"), QStringLiteral("list"), QStringLiteral("--all"),
                 QStringLiteral("--json")});
        QCOMPARE(parseOut(r).size(), size_t(2));
        QCOMPARE(
            cli({QStringLiteral("pattern"), QStringLiteral("disable"), QStringLiteral("corp-sync")})
                .exitCode,
            0);
        QCOMPARE(
            cli({QStringLiteral("pattern"), QStringLiteral("disable"), QStringLiteral("corp-sync")})
                .exitCode,
            1);
        r = cli({QStringLiteral("analyze"), QStringLiteral("--json"), line});
        QVERIFY(!r.out.contains("custom:corp-sync"));
        // The sample's PowerShell line allowlisted: the playbook's stage 4a names the entry.
        QCOMPARE(cli({QStringLiteral("allow"), QStringLiteral("add"), QStringLiteral("lab-replay"),
                      QStringLiteral("--match"), QStringLiteral("powershell && -enc")})
                     .exitCode,
                 0);
        r = cli({QStringLiteral("allow"), QStringLiteral("list"), QStringLiteral("--json")});
        JCOMPARE(parseOut(r)[0]["name"], json("lab-replay"));
        r = cli({QStringLiteral("run"), QStringLiteral("1"), QStringLiteral("--json")});
        QVERIFY2(r.out.contains("allowlisted by 'lab-replay' v1"), r.out.left(2000).constData());
        QCOMPARE(
            cli({QStringLiteral("allow"), QStringLiteral("remove"), QStringLiteral("lab-replay")})
                .exitCode,
            0);
        QCOMPARE(
            cli({QStringLiteral("pattern"), QStringLiteral("add"), QStringLiteral("x")}).exitCode,
            2);
    }

    void stepRunsOneStage()
    {
        auto r = cli({QStringLiteral("run"), QStringLiteral("1"), QStringLiteral("--step"),
                      QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        json v = parseOut(r);
        JCOMPARE((*stageOf(v, "triage"))["state"], json("completed"));
        JCOMPARE((*stageOf(v, "containment"))["state"], json("pending"));
        JCOMPARE(v["next_stage"], json("containment"));
        r = cli({QStringLiteral("run"), QStringLiteral("1"), QStringLiteral("--skip"),
                 QStringLiteral("containment"), QStringLiteral("--reason"),
                 QStringLiteral("host already reimaged"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        v = parseOut(r);
        JCOMPARE((*stageOf(v, "containment"))["state"], json("skipped"));
        JCOMPARE((*stageOf(v, "containment"))["reason"], json("host already reimaged"));
    }
};

QTEST_GUILESS_MAIN(TestCliPlaybook)
#include "tst_cli_playbook.moc"
