// Cortex XDR connector against a real HTTP server on loopback: endpoints, bodies, auth headers
// (standard and advanced, recomputed here), retries that never repeat an action, 401/500/timeouts.
#include "connectors/xdrconnector.h"
#include "httptestserver.h"
#include "playbooktestutil.h"
#include "store/actionstore.h"
#include "store/auditlog.h"
#include "testasserts.h"
#include "testutils.h"

#include <QCryptographicHash>
#include <QRegularExpression>

using namespace causa;
using nlohmann::json;

// QCOMPARE cannot print nlohmann::json; compare as JSON and show both sides on failure.
using test::HttpTestServer;

namespace {

const QString kKey = QStringLiteral("s3cr3t-api-key-value-0123456789");

ActionRecord action(const QString &kind, json payload)
{
    ActionRecord a;
    a.id = 7;
    a.caseId = 1;
    a.kind = kind;
    a.target = QStringLiteral("t");
    a.payload = std::move(payload);
    a.state = ActionState::Executing;
    a.idempotencyKey = QStringLiteral("k");
    return a;
}

XdrConnectorSettings settings(const HttpTestServer &server, bool advanced = false)
{
    XdrConnectorSettings s;
    s.baseUrl = QUrl(server.baseUrl());
    s.apiKeyId = QStringLiteral("42");
    s.apiKey = kKey;
    s.advancedKey = advanced;
    s.timeoutMs = 1500;
    s.backoffMs = 10;
    s.statusPolls = 0;
    s.pollIntervalMs = 10;
    return s;
}

HttpTestServer::Response ok(json reply)
{
    HttpTestServer::Response r;
    r.body = QByteArray::fromStdString(json{{"reply", reply}}.dump());
    r.headers.insert("Content-Type", "application/json");
    return r;
}

json bodyOf(const HttpTestServer::Request &r)
{
    return json::parse(r.body.toStdString());
}

} // namespace

class TestXdrConnector : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void endpointsAndBodies_data()
    {
        QTest::addColumn<QByteArray>("kind");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("requestData");
        QTest::newRow("terminate causality")
            << QByteArray("terminate_causality")
            << QByteArray(R"({"agent_id":"a3f1","causality_id":"AdcN3m==","pid":6112})")
            << QByteArray("/public_api/v1/endpoints/terminate_causality/")
            << QByteArray(R"({"agent_id":"a3f1","causality_id":"AdcN3m=="})");
        QTest::newRow("taskkill through run_script")
            << QByteArray("terminate_process") << QByteArray(R"({"agent_id":"a3f1","pid":6112})")
            << QByteArray("/public_api/v1/scripts/run_script/")
            << QByteArray(
                   R"({"filters":[{"field":"endpoint_id_list","operator":"in","value":["a3f1"]}],"parameters_values":{"commands_list":["taskkill /F /PID 6112"]},"script_uid":"a6f7683c8e217d85bd3c398f0d3fb6bf","timeout":600})");
        QTest::newRow("hash blocklist")
            << QByteArray("block_hash")
            << QByteArray(
                   R"({"sha256":"c3337f4290161ceb82d33cf36e4341b815fa7055df07eb83d5545cec8d39c57e","comment":"Causa case 1","incident_id":"4242"})")
            << QByteArray("/public_api/v1/hash_exceptions/blocklist/")
            << QByteArray(
                   R"({"comment":"Causa case 1","hash_list":["c3337f4290161ceb82d33cf36e4341b815fa7055df07eb83d5545cec8d39c57e"],"incident_id":"4242"})");
        QTest::newRow("isolate endpoint")
            << QByteArray("isolate_endpoint") << QByteArray(R"({"agent_id":"a3f1"})")
            << QByteArray("/public_api/v1/endpoints/isolate")
            << QByteArray(R"({"endpoint_id":"a3f1"})");
    }
    void endpointsAndBodies()
    {
        QFETCH(QByteArray, kind);
        QFETCH(QByteArray, payload);
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, requestData);
        HttpTestServer server([](const HttpTestServer::Request &) {
            return ok({{"action_id", 0}});
        });
        XdrConnector c(settings(server));
        const ActionRecord a =
            action(QString::fromLatin1(kind), json::parse(payload.toStdString()));
        const ConnectorOutcome out = c.execute(a);
        QVERIFY2(out.succeeded, out.result.dump().c_str());
        QCOMPARE(server.requestCount(), 1);
        const auto req = server.requests().front();
        QCOMPARE(req.method, QByteArray("POST"));
        QCOMPARE(req.path, path);
        JCOMPARE(req.headers.value("content-type"), QByteArray("application/json"));
        JCOMPARE(bodyOf(req), json({{"request_data", json::parse(requestData.toStdString())}}));
        // The dry run shows exactly this request, without the key.
        auto preview = c.preview(a);
        QVERIFY(preview.ok());
        QCOMPARE(QString::fromStdString(preview.value()["url"].get<std::string>()),
                 server.baseUrl() + QString::fromLatin1(path));
        JCOMPARE(preview.value()["body"], bodyOf(req));
        QVERIFY(!QString::fromStdString(preview.value().dump()).contains(kKey));
    }

    void unsupportedKindsAreRefusedWithoutACall()
    {
        HttpTestServer server([](const HttpTestServer::Request &) { return ok(true); });
        XdrConnector c(settings(server));
        const ConnectorOutcome out =
            c.execute(action(QStringLiteral("block_domain"), {{"domain", "evil.example"}}));
        QVERIFY(!out.succeeded);
        QCOMPARE(server.requestCount(), 0);
        QVERIFY(!c.supports(QStringLiteral("block_ip")));
    }

    void standardAuthHeaders()
    {
        HttpTestServer server([](const HttpTestServer::Request &) { return ok(true); });
        XdrConnector c(settings(server));
        QVERIFY(
            c.execute(action(QStringLiteral("isolate_endpoint"), {{"agent_id", "a"}})).succeeded);
        const auto req = server.requests().front();
        QCOMPARE(req.headers.value("x-xdr-auth-id"), QByteArray("42"));
        QCOMPARE(req.headers.value("authorization"), kKey.toUtf8());
        QVERIFY(!req.headers.contains("x-xdr-nonce"));
    }

    void advancedAuthHeaders()
    {
        HttpTestServer server([](const HttpTestServer::Request &) { return ok(true); });
        XdrConnector c(settings(server, true));
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(
            c.execute(action(QStringLiteral("isolate_endpoint"), {{"agent_id", "a"}})).succeeded);
        const qint64 after = QDateTime::currentMSecsSinceEpoch();
        const auto req = server.requests().front();
        const QByteArray nonce = req.headers.value("x-xdr-nonce");
        const QByteArray ts = req.headers.value("x-xdr-timestamp");
        QVERIFY(QRegularExpression(QStringLiteral("^[A-Za-z0-9]{64}$"))
                    .match(QString::fromLatin1(nonce))
                    .hasMatch());
        QVERIFY(ts.toLongLong() >= before && ts.toLongLong() <= after);
        const QByteArray expected = QCryptographicHash::hash(QByteArray(kKey.toUtf8() + nonce + ts),
                                                             QCryptographicHash::Sha256)
                                        .toHex();
        QCOMPARE(req.headers.value("authorization"), expected);
        QCOMPARE(req.headers.value("x-xdr-auth-id"), QByteArray("42"));
        // A fresh nonce per request.
        QVERIFY(
            c.execute(action(QStringLiteral("isolate_endpoint"), {{"agent_id", "a"}})).succeeded);
        QVERIFY(server.requests().at(1).headers.value("x-xdr-nonce") != nonce);
    }

    void failuresAreNotRepeated_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("delayMs");
        QTest::addColumn<bool>("drop");
        QTest::addColumn<QString>("errorPart");
        QTest::newRow("401 unauthorised") << 401 << 0 << false << QStringLiteral("API key");
        QTest::newRow("403 forbidden") << 403 << 0 << false << QStringLiteral("API key");
        QTest::newRow("500 server error") << 500 << 0 << false << QStringLiteral("HTTP 500");
        QTest::newRow("timeout") << 200 << 4000 << false << QStringLiteral("no answer");
        QTest::newRow("connection dropped") << 200 << 0 << true << QStringLiteral("");
    }
    void failuresAreNotRepeated()
    {
        QFETCH(int, status);
        QFETCH(int, delayMs);
        QFETCH(bool, drop);
        QFETCH(QString, errorPart);
        HttpTestServer server([&](const HttpTestServer::Request &) {
            HttpTestServer::Response r = ok({{"action_id", 5}});
            r.status = status;
            r.delayMs = delayMs;
            r.dropConnection = drop;
            if (status != 200)
                r.body = R"({"reply":{"err_code":)" + QByteArray::number(status) + "}}";
            return r;
        });
        XdrConnectorSettings s = settings(server);
        s.maxAttempts = 4;
        XdrConnector c(s);
        const ConnectorOutcome out = c.execute(action(QStringLiteral("terminate_causality"),
                                                      {{"agent_id", "a"}, {"causality_id", "c"}}));
        QVERIFY(!out.succeeded);
        // The terminate request may have reached XDR: it is sent exactly once, never retried.
        QCOMPARE(server.requestCount(), 1);
        JCOMPARE(out.result["attempts"], json(1));
        const QString text = QString::fromStdString(out.result.dump());
        QVERIFY2(text.contains(errorPart), qPrintable(text));
        QVERIFY(!text.contains(kKey));
        if (status >= 500 || delayMs > 0 || drop)
            JCOMPARE(out.result["outcome_unknown"], json(true));
    }

    void throttledCallIsRetriedWithBackoff()
    {
        int n = 0;
        HttpTestServer server([&](const HttpTestServer::Request &) {
            HttpTestServer::Response r = ok(true);
            if (++n == 1)
                r.status = 429;
            return r;
        });
        XdrConnector c(settings(server));
        const ConnectorOutcome out =
            c.execute(action(QStringLiteral("block_hash"), {{"sha256", std::string(64, 'a')}}));
        QVERIFY(out.succeeded);
        QCOMPARE(server.requestCount(), 2);
        JCOMPARE(out.result["attempts"], json(2));
    }

    void unreachableServerIsRetriedSafely()
    {
        quint16 port = 0;
        {
            HttpTestServer gone([](const HttpTestServer::Request &) { return ok(true); });
            port = gone.port();
        }
        XdrConnectorSettings s;
        s.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
        s.apiKeyId = QStringLiteral("42");
        s.apiKey = kKey;
        s.backoffMs = 5;
        s.maxAttempts = 3;
        XdrConnector c(s);
        const ConnectorOutcome out =
            c.execute(action(QStringLiteral("isolate_endpoint"), {{"agent_id", "a"}}));
        QVERIFY(!out.succeeded);
        // Refused connections never reached XDR, so they may be retried.
        JCOMPARE(out.result["attempts"], json(3));
        QVERIFY(!out.result.contains("outcome_unknown"));
    }

    void refusesToSendTheKeyInClearText()
    {
        XdrConnectorSettings s;
        s.baseUrl = QUrl(QStringLiteral("http://xdr.example.com"));
        s.apiKeyId = QStringLiteral("42");
        s.apiKey = kKey;
        XdrConnector c(s);
        const ConnectorOutcome out =
            c.execute(action(QStringLiteral("isolate_endpoint"), {{"agent_id", "a"}}));
        QVERIFY(!out.succeeded);
        QVERIFY(QString::fromStdString(out.result.dump()).contains(QStringLiteral("https")));
    }

    void statusIsPolledAndReadsAreRetried()
    {
        int statusCalls = 0;
        HttpTestServer server([&](const HttpTestServer::Request &r) {
            if (r.path.endsWith("/actions/get_action_status/")) {
                HttpTestServer::Response resp =
                    ok({{"data",
                         {{"a3f1", ++statusCalls == 1 ? "PENDING" : "COMPLETED_SUCCESSFULLY"}}}});
                if (statusCalls == 1) {
                    resp.status = 500; // a read: safe to retry
                }
                return resp;
            }
            return ok({{"action_id", 991}});
        });
        XdrConnectorSettings s = settings(server);
        s.statusPolls = 2;
        XdrConnector c(s);
        const ConnectorOutcome out = c.execute(action(
            QStringLiteral("terminate_causality"), {{"agent_id", "a3f1"}, {"causality_id", "c"}}));
        QVERIFY2(out.succeeded, out.result.dump().c_str());
        JCOMPARE(out.result["action_id"], json(991));
        JCOMPARE(out.result["status"]["a3f1"], json("COMPLETED_SUCCESSFULLY"));
        int terminates = 0;
        for (const auto &r : server.requests()) {
            terminates += r.path.endsWith("/terminate_causality/") ? 1 : 0;
            if (r.path.endsWith("/get_action_status/"))
                JCOMPARE(bodyOf(r), json({{"request_data", {{"group_action_id", 991}}}}));
        }
        QCOMPARE(terminates, 1);
        QCOMPARE(statusCalls, 2);
    }

    void failedEndpointStatusFailsTheAction()
    {
        HttpTestServer server([&](const HttpTestServer::Request &r) {
            if (r.path.endsWith("/actions/get_action_status/"))
                return ok({{"data", {{"a3f1", "FAILED"}}}});
            return ok({{"action_id", 5}});
        });
        XdrConnectorSettings s = settings(server);
        s.statusPolls = 1;
        const ConnectorOutcome out = XdrConnector(s).execute(
            action(QStringLiteral("terminate_process"), {{"agent_id", "a3f1"}, {"pid", 6112}}));
        QVERIFY(!out.succeeded);
    }

    void approvedActionExecutesExactlyOnceThroughTheEngine()
    {
        int terminates = 0;
        HttpTestServer server([&](const HttpTestServer::Request &r) {
            if (r.path.endsWith("/terminate_causality/")) {
                ++terminates;
                HttpTestServer::Response resp = ok({{"action_id", 1}});
                resp.status = 500; // XDR failed (or did it?): must not be sent again
                return resp;
            }
            return ok({});
        });
        test::TempStore ts;
        const qint64 caseId = test::importSample(ts.store());
        PlaybookEngine engine(ts.store(), test::samplePlaybook(), {});
        XdrConnectorSettings s = settings(server);
        s.maxAttempts = 5;
        engine.setConnectors(std::make_shared<XdrConnector>(s));
        auto run = engine.start(caseId, {}, QStringLiteral("alice"));
        auto v = engine.runAll(run->id, QStringLiteral("alice"));
        QCOMPARE(terminates, 0); // AutoRemediation=false: nothing is sent before approval
        const ActionRecord proposed = v->actions.front();
        QCOMPARE(proposed.kind, QStringLiteral("terminate_causality"));
        JCOMPARE(proposed.payload["agent_id"], json("a3f1c2d4e5b6478899aabbccddeeff01"));
        JCOMPARE(proposed.payload["causality_id"], json("AdcN3mB1c2QAAB2cAAAAAA=="));
        JCOMPARE(proposed.payload["pid"], json(6112));
        auto a = engine.decide(proposed.id, QStringLiteral("bob"), true, QStringLiteral("go"));
        QVERIFY(a.ok());
        QCOMPARE(a->state, ActionState::Failed);
        QCOMPARE(a->connector, QStringLiteral("xdr"));
        JCOMPARE(a->result["http_status"], json(500));
        QVERIFY(!engine.execute(proposed.id, QStringLiteral("bob")).ok());
        QVERIFY(!engine.decide(proposed.id, QStringLiteral("carol"), true, QString()).ok());
        QCOMPARE(terminates, 1);
        const QString body = QString::fromUtf8(server.requests().front().body);
        QVERIFY(body.contains(QStringLiteral("AdcN3mB1c2QAAB2cAAAAAA==")));
        // The key is in no stored row: actions, audit.
        auto entries = audit::entries(ts.store().connection().value(), caseId);
        for (const AuditEntry &e : entries.value())
            QVERIFY(!e.payload.contains(kKey));
        QVERIFY(!QString::fromStdString(
                     toJson(actionstore::action(ts.store(), proposed.id).value()).dump())
                     .contains(kKey));
        QVERIFY(audit::verify(ts.store().connection().value(), caseId)->intact);
    }
};

QTEST_GUILESS_MAIN(TestXdrConnector)
#include "tst_xdrconnector.moc"
