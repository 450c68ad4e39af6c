// Live pull from a Cortex XDR tenant on loopback: both auth schemes (hash recomputed by the
// server), request bodies, paging over 1,000 alerts, 401/429/500/timeouts, one transaction per
// pull, and "a pulled incident is exactly the case its reply gives when imported from a file".
#include "import/importdispatcher.h"
#include "playbook/stageservices.h"
#include "secrets/secretstore.h"
#include "store/tenantstore.h"
#include "testutils.h"
#include "xdr/xdrpull.h"
#include "xdr/xdrtenants.h"
#include "xdrtestutil.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTcpServer>
#include <QTemporaryDir>

using namespace causa;
using nlohmann::json;
using test::XdrTenantServer;

namespace {

const QString kKeyId = QStringLiteral("17");
const QString kKey = QStringLiteral("K3y-for-tests-0123456789abcdefABCDEF");
const qint64 kIncidentTime = 1795100000000; // first alert of incident-7001.json

XdrEndpoint endpointFor(const XdrTenantServer &server, bool advanced, int timeoutMs = 3000)
{
    XdrEndpoint e;
    e.baseUrl = QUrl(server.baseUrl());
    e.apiKeyId = kKeyId;
    e.apiKey = kKey;
    e.advancedKey = advanced;
    e.timeoutMs = timeoutMs;
    return e;
}

XdrClientOptions fastRetries()
{
    XdrClientOptions o;
    o.backoffMs = 5;
    o.maxBackoffMs = 50;
    return o;
}

StoreStats statsOf(CaseStore &s)
{
    auto r = s.stats();
    if (!r)
        qFatal("stats: %s", qPrintable(r.error().toString()));
    return r.value();
}

json statsJson(CaseStore &s)
{
    const StoreStats st = statsOf(s);
    return {st.cases, st.alerts, st.processes, st.indicators, st.endpoints, st.events};
}

} // namespace

class TestXdrPull : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_secrets.isValid());
        test::useFileSecrets(m_secrets.path());
    }

    void authSchemes_data()
    {
        QTest::addColumn<bool>("advanced");
        QTest::newRow("standard key") << false;
        QTest::newRow("advanced key, sha256(key+nonce+timestamp)") << true;
    }
    void authSchemes()
    {
        QFETCH(bool, advanced);
        XdrTenantServer server(kKeyId, kKey, advanced);
        server.addIncident(QStringLiteral("7001"),
                           test::readFixture(QStringLiteral("xdr/incident-7001.json")));
        test::TempStore ts;
        XdrClient client(endpointFor(server, advanced), fastRetries());
        auto out = XdrPuller(ts.store(), client, QStringLiteral("lab"))
                       .pullIncident(QStringLiteral("7001"), false, 0);
        QVERIFY2(out.ok(), out.ok() ? "" : qPrintable(out.error().toString()));
        QVERIFY2(server.violations().isEmpty(),
                 qPrintable(server.violations().join(QLatin1Char('\n'))));
        QCOMPARE(out->counts.alerts, qint64(2));
        QVERIFY(out->caseId > 0);
        QCOMPARE(ts.store().findCase(QStringLiteral("xdr"), QStringLiteral("7001")).value(),
                 out->caseId);
        const QList<json> bodies = server.bodies(QStringLiteral("get_incident_extra_data"));
        QCOMPARE(bodies.size(), 1);
        const json expected = {{"request_data", {{"incident_id", "7001"}, {"alerts_limit", 1000}}}};
        QVERIFY2(bodies.first() == expected, bodies.first().dump().c_str());

        // The wrong scheme is refused by the server and reported as an auth failure, not retried.
        XdrClient wrong(endpointFor(server, !advanced), fastRetries());
        auto bad = wrong.incidentExtraData(QStringLiteral("7001"));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, QStringLiteral("xdr-auth"));
        QVERIFY2(bad.error().message.contains(QLatin1String("HTTP 401")),
                 qPrintable(bad.error().message));
        QCOMPARE(server.requests(QStringLiteral("get_incident_extra_data")), 2);
    }

    void pulledEqualsImported_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("incident");
        QTest::addColumn<bool>("shared");
        QTest::newRow("own fixture, two alerts with artifacts") << "xdr/incident-7001.json"
                                                                << "7001" << false;
        QTest::newRow("shared: get_incident_extra_data") << "xdr/get_incident_extra_data.json"
                                                         << "1" << true;
        QTest::newRow("shared: full-width extra data") << "xdr/get_extra_data_all_alerts.json"
                                                       << "" << true;
    }
    void pulledEqualsImported()
    {
        QFETCH(QString, file);
        QFETCH(QString, incident);
        QFETCH(bool, shared);
        QString path = test::fixturesDir() + QLatin1Char('/') + file;
        if (shared) {
            CAUSA_REQUIRE_SHARED_DATA(file);
            path = test::sharedDataDir() + QLatin1Char('/') + file;
        }
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray reply = f.readAll();
        if (incident.isEmpty())
            incident = QString::fromStdString(
                json::parse(reply.toStdString())["reply"]["incident"]["incident_id"]
                    .get<std::string>());

        test::TempStore fromFile;
        auto imported = ImportDispatcher(fromFile.store()).importFile(path);
        QVERIFY2(imported.ok(), imported.ok() ? "" : qPrintable(imported.error().toString()));

        XdrTenantServer server(kKeyId, kKey, true);
        server.addIncident(incident, reply);
        test::TempStore pulled;
        XdrClient client(endpointFor(server, true), fastRetries());
        auto out = XdrPuller(pulled.store(), client, QStringLiteral("lab"))
                       .pullIncident(incident, false, 0);
        QVERIFY2(out.ok(), out.ok() ? "" : qPrintable(out.error().toString()));
        QCOMPARE(out->counts.alerts, imported->alerts);
        QCOMPARE(out->counts.processes, imported->processes);
        QCOMPARE(out->counts.indicators, imported->indicators);

        const json a = test::dumpCases(fromFile.store());
        const json b = test::dumpCases(pulled.store());
        QVERIFY(!a.empty());
        QVERIFY2(a == b, ("file:\n" + a.dump(1) + "\npulled:\n" + b.dump(1)).c_str());

        // Same idempotency as files: pulling again adds nothing.
        auto again = XdrPuller(pulled.store(), client, QStringLiteral("lab"))
                         .pullIncident(incident, false, 0);
        QVERIFY(again.ok());
        QCOMPARE(again->counts.alerts, qint64(0));
        QVERIFY(test::dumpCases(pulled.store()) == b);
    }

    // 1,234 alerts on the host inside the window (13 pages of 100), plus alerts outside the
    // window and on another host that must not come back.
    void relatedAlertsPaging()
    {
        XdrTenantServer server(kKeyId, kKey, false);
        server.addIncident(QStringLiteral("7001"),
                           test::readFixture(QStringLiteral("xdr/incident-7001.json")));
        const qint64 window = 2 * 3600 * 1000;
        test::addSyntheticAlerts(server, QStringLiteral("LAB-WS-7"), 1234,
                                 kIncidentTime - window + 1000, 5000, 100000);
        test::addSyntheticAlerts(server, QStringLiteral("LAB-WS-7"), 7, kIncidentTime - 3 * window,
                                 1000, 200000);
        test::addSyntheticAlerts(server, QStringLiteral("OTHER-HOST"), 9, kIncidentTime, 1000,
                                 300000);
        test::TempStore ts;
        XdrClient client(endpointFor(server, false), fastRetries());
        auto out = XdrPuller(ts.store(), client, QStringLiteral("lab"))
                       .pullIncident(QStringLiteral("7001"), true, window);
        QVERIFY2(out.ok(), out.ok() ? "" : qPrintable(out.error().toString()));
        QVERIFY2(server.violations().isEmpty(),
                 qPrintable(server.violations().join(QLatin1Char('\n'))));
        QCOMPARE(out->alertsTotal, qint64(1234));
        QCOMPARE(out->alertsFetched, qint64(1234));
        QCOMPARE(out->hosts, QStringList{QStringLiteral("LAB-WS-7")});
        QCOMPARE(out->counts.alerts, qint64(1234 + 2));
        QCOMPARE(statsOf(ts.store()).alerts, qint64(1236));

        const QList<json> pages = server.bodies(QStringLiteral("get_alerts_by_filter_data"));
        QCOMPARE(pages.size(), 13);
        for (int i = 0; i < pages.size(); ++i) {
            const json &fd = pages[i]["request_data"]["filter_data"];
            QCOMPARE(fd["paging"]["from"].get<qint64>(), qint64(i) * 100);
            QCOMPARE(fd["paging"]["to"].get<qint64>(), qint64(i + 1) * 100);
        }
        const json expectedFilter = {
            {"AND", json::array({{{"OR", json::array({{{"SEARCH_FIELD", "agent_hostname"},
                                                       {"SEARCH_TYPE", "EQ"},
                                                       {"SEARCH_VALUE", "LAB-WS-7"}}})}},
                                 {{"SEARCH_FIELD", "source_insert_ts"},
                                  {"SEARCH_TYPE", "RANGE"},
                                  {"SEARCH_VALUE",
                                   {{"from", kIncidentTime - window},
                                    {"to", kIncidentTime + 120000 + window}}}}})}};
        const json &filter = pages[0]["request_data"]["filter_data"]["filter"];
        QVERIFY2(filter == expectedFilter, filter.dump().c_str());
        QCOMPARE(pages[0]["request_data"]["filter_data"]["sort"][0]["FIELD"].get<std::string>(),
                 std::string("source_insert_ts"));

        // Re-pulling the same incident with its related alerts adds nothing.
        auto again = XdrPuller(ts.store(), client, QStringLiteral("lab"))
                         .pullIncident(QStringLiteral("7001"), true, window);
        QVERIFY(again.ok());
        QCOMPARE(again->counts.alerts, qint64(0));
        QCOMPARE(again->counts.skipped, qint64(1236));
    }

    void huntByHashAndIp()
    {
        XdrTenantServer server(kKeyId, kKey, true);
        json hit = json::parse(
            test::readFixture(QStringLiteral("xdr/alert-fields-template.json")).toStdString());
        hit["alert_fields"]["internal_id"] = 555;
        hit["alert_fields"]["agent_hostname"] = "LAB-SRV-2";
        hit["alert_fields"]["action_remote_ip"] = "10.9.1.50";
        hit["alert_fields"]["source_insert_ts"] = kIncidentTime;
        server.addAlert(hit);
        json byHash = hit;
        byHash["alert_fields"]["internal_id"] = 556;
        byHash["alert_fields"].erase("action_remote_ip");
        byHash["alert_fields"]["causality_actor_process_image_sha256"] = std::string(64, 'a');
        server.addAlert(byHash);
        test::addSyntheticAlerts(server, QStringLiteral("LAB-SRV-3"), 5, kIncidentTime, 1000,
                                 400000);
        test::TempStore ts;
        XdrClient client(endpointFor(server, true), fastRetries());
        XdrAlertQuery q;
        q.sha256 << QString(64, QLatin1Char('a'));
        q.ips << QStringLiteral("10.9.1.50");
        auto out = XdrPuller(ts.store(), client, QStringLiteral("lab"))
                       .pullAlerts(q, QStringLiteral("hunt"));
        QVERIFY2(out.ok(), out.ok() ? "" : qPrintable(out.error().toString()));
        QVERIFY2(server.violations().isEmpty(),
                 qPrintable(server.violations().join(QLatin1Char('\n'))));
        QCOMPARE(out->alertsFetched, qint64(2));
        QCOMPARE(out->counts.alerts, qint64(2));
        const json filter =
            server.bodies(QStringLiteral("alerts"))[0]["request_data"]["filter_data"]["filter"];
        QCOMPARE(filter["AND"].size(), size_t(1));
        QCOMPARE(filter["AND"][0]["OR"].size(), size_t(4 + 3)); // 4 hash fields + 3 IP fields
    }

    void failures_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("times");
        QTest::addColumn<int>("skip");
        QTest::addColumn<bool>("related");
        QTest::addColumn<QString>("code"); // empty = succeeds after retries
        QTest::addColumn<int>("incidentRequests");
        QTest::newRow("401 is not retried")
            << "get_incident" << 401 << 99 << 0 << false << "xdr-auth" << 1;
        QTest::newRow("429 twice then OK") << "get_incident" << 429 << 2 << 0 << false << "" << 3;
        QTest::newRow("429 always: rate limited after 4 attempts")
            << "get_incident" << 429 << 99 << 0 << false << "xdr-rate-limited" << 4;
        QTest::newRow("500 once then OK") << "get_incident" << 500 << 1 << 0 << false << "" << 2;
        QTest::newRow("500 always")
            << "get_incident" << 500 << 99 << 0 << false << "xdr-server" << 4;
        QTest::newRow("500 on related page 3: nothing imported")
            << "get_alerts_by_filter" << 500 << 99 << 2 << true << "xdr-server" << 1;
        QTest::newRow("401 on related page 2: nothing imported")
            << "get_alerts_by_filter" << 401 << 99 << 1 << true << "xdr-auth" << 1;
        QTest::newRow("dropped connection always")
            << "get_incident" << -1 << 99 << 0 << false << "xdr-unreachable" << 4;
        QTest::newRow("malformed JSON reply")
            << "get_incident" << 200 << 99 << 0 << false << "xdr-bad-reply" << 1;
        QTest::newRow("truncated reply JSON")
            << "get_incident" << 201 << 99 << 0 << false << "bad-json" << 1;
    }
    void failures()
    {
        QFETCH(QString, path);
        QFETCH(int, status);
        QFETCH(int, times);
        QFETCH(int, skip);
        QFETCH(bool, related);
        QFETCH(QString, code);
        QFETCH(int, incidentRequests);
        XdrTenantServer server(kKeyId, kKey, false);
        const QByteArray incident = test::readFixture(QStringLiteral("xdr/incident-7001.json"));
        server.addIncident(QStringLiteral("7001"), incident);
        test::addSyntheticAlerts(server, QStringLiteral("LAB-WS-7"), 450, kIncidentTime, 1000,
                                 100000);
        test::HttpTestServer::Response fault;
        if (status == -1) {
            fault.dropConnection = true;
        } else if (status == 200) {
            fault.body = "<html>gateway says hello</html>";
        } else if (status == 201) {
            fault.status = 200;
            fault.body = incident.left(incident.size() / 2); // valid start, cut in the middle
        } else {
            fault = XdrTenantServer::reply(
                status, {{"reply", {{"err_code", status}, {"err_msg", "injected"}}}});
            if (status == 429)
                fault.headers.insert("Retry-After", "0");
        }
        server.injectFault(path, times, fault, skip);
        test::TempStore ts;
        const json before = statsJson(ts.store());
        XdrClient client(endpointFor(server, false), fastRetries());
        auto out = XdrPuller(ts.store(), client, QStringLiteral("lab"))
                       .pullIncident(QStringLiteral("7001"), related, 3600000);
        QCOMPARE(server.requests(QStringLiteral("get_incident")), incidentRequests);
        if (code.isEmpty()) {
            QVERIFY2(out.ok(), out.ok() ? "" : qPrintable(out.error().toString()));
            QCOMPARE(out->counts.alerts, qint64(2));
            return;
        }
        QVERIFY(!out.ok());
        QCOMPARE(out.error().code, code);
        QVERIFY(!out.error().message.isEmpty());
        if (status == 500)
            QVERIFY2(out.error().message.contains(QLatin1String("HTTP 500: injected")),
                     qPrintable(out.error().message));
        // nothing half-imported
        QVERIFY2(statsJson(ts.store()) == before, statsJson(ts.store()).dump().c_str());
    }

    void retryAfterIsHonoured()
    {
        XdrTenantServer server(kKeyId, kKey, false);
        server.addIncident(QStringLiteral("7001"),
                           test::readFixture(QStringLiteral("xdr/incident-7001.json")));
        auto fault = XdrTenantServer::reply(
            429, {{"reply", {{"err_code", 429}, {"err_msg", "Too many requests"}}}});
        fault.headers.insert("Retry-After", "1");
        server.injectFault(QStringLiteral("get_incident"), 1, fault);
        XdrClientOptions o = fastRetries();
        o.maxBackoffMs = 5000;
        QStringList said;
        o.status = [&said](const QString &s) { said << s; };
        XdrClient client(endpointFor(server, false), o);
        QElapsedTimer t;
        t.start();
        auto r = client.incidentExtraData(QStringLiteral("7001"));
        QVERIFY(r.ok());
        // The server asked for one second; the 5 ms backoff alone would have retried at once.
        QVERIFY2(t.elapsed() >= 900, qPrintable(QString::number(t.elapsed())));
        QVERIFY2(said.join(QLatin1Char('\n')).contains(QLatin1String("retrying in 1 s")),
                 qPrintable(said.join(QLatin1Char('\n'))));
    }

    void timeoutAndUnreachable()
    {
        XdrTenantServer server(kKeyId, kKey, false);
        server.addIncident(QStringLiteral("7001"),
                           test::readFixture(QStringLiteral("xdr/incident-7001.json")));
        test::HttpTestServer::Response slow =
            XdrTenantServer::reply(200, {{"reply", json::object()}});
        slow.delayMs = 1500;
        server.injectFault(QStringLiteral("get_incident"), 99, slow);
        XdrClientOptions o = fastRetries();
        o.maxAttempts = 2;
        auto r =
            XdrClient(endpointFor(server, false, 300), o).incidentExtraData(QStringLiteral("7001"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("xdr-timeout"));
        QVERIFY2(r.error().message.contains(QLatin1String("2 attempts")),
                 qPrintable(r.error().message));

        QTcpServer probe; // a port nobody listens on
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        XdrEndpoint closed = endpointFor(server, false, 1000);
        closed.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
        auto u = XdrClient(closed, o).testConnection();
        QVERIFY(!u.ok());
        QCOMPARE(u.error().code, QStringLiteral("xdr-unreachable"));
    }

    void refusesPlainHttpToRemoteHosts()
    {
        XdrEndpoint e;
        e.baseUrl = QUrl(QStringLiteral("http://api-lab.xdr.example.com"));
        e.apiKeyId = kKeyId;
        e.apiKey = kKey;
        auto r = XdrClient(e).incidentExtraData(QStringLiteral("1"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("xdr-refused"));
    }

    void cancelBeforeImportLeavesStoreUntouched()
    {
        XdrTenantServer server(kKeyId, kKey, false);
        server.addIncident(QStringLiteral("7001"),
                           test::readFixture(QStringLiteral("xdr/incident-7001.json")));
        test::addSyntheticAlerts(server, QStringLiteral("LAB-WS-7"), 300, kIncidentTime, 1000,
                                 100000);
        std::atomic_bool cancel{false};
        XdrClientOptions o = fastRetries();
        o.cancel = &cancel;
        o.status = [&cancel](const QString &s) {
            if (s.startsWith(QLatin1String("alerts 200")))
                cancel = true;
        };
        test::TempStore ts;
        XdrClient client(endpointFor(server, false), o);
        ImportOptions io;
        io.cancel = &cancel;
        auto out = XdrPuller(ts.store(), client, QStringLiteral("lab"))
                       .pullIncident(QStringLiteral("7001"), true, 3600000, io);
        QVERIFY(!out.ok());
        QCOMPARE(out.error().code, QStringLiteral("cancelled"));
        QCOMPARE(statsOf(ts.store()).alerts, qint64(0));
    }

    // Stages 4b/4c ask the tenant when one is configured and say where the answer came from.
    void playbookStagesUseTenant()
    {
        XdrTenantServer server(kKeyId, kKey, true);
        const QByteArray incident = test::readFixture(QStringLiteral("xdr/incident-7001.json"));
        test::addSyntheticAlerts(server, QStringLiteral("LAB-WS-7"), 150, kIncidentTime - 600000,
                                 1000, 100000);
        json hunted = json::parse(
            test::readFixture(QStringLiteral("xdr/alert-fields-template.json")).toStdString());
        hunted["alert_fields"]["internal_id"] = 777;
        hunted["alert_fields"]["agent_hostname"] = "LAB-SRV-9";
        hunted["alert_fields"]["action_remote_ip"] = "10.9.1.50";
        hunted["alert_fields"]["source_insert_ts"] = kIncidentTime;
        server.addAlert(hunted);

        test::TempStore ts;
        QTemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral("incident.json")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(incident);
        f.close();
        QVERIFY(ImportDispatcher(ts.store()).importFile(f.fileName()).ok());
        const qint64 caseId =
            ts.store().findCase(QStringLiteral("xdr"), QStringLiteral("7001")).value();

        // No tenant: the local store answers and says so.
        StageServices local = composeStageServices(ts.store());
        auto inv0 = local.investigateEndpoint(caseId, 2 * 3600 * 1000);
        QVERIFY(inv0.ok());
        QCOMPARE(inv0.value()["source"].get<std::string>(), std::string("local store"));
        // The incident's other alert (same case) is related; nothing else is stored yet.
        QCOMPARE(inv0.value()["alerts"].size(), size_t(1));
        QCOMPARE(server.requests(QStringLiteral("alerts")), 0);

        TenantProfile p;
        p.name = QStringLiteral("lab");
        p.apiUrl = server.baseUrl();
        p.keyId = kKeyId;
        p.advancedKey = true;
        QVERIFY(xdrtenants::save(ts.store(), p).ok());
        QVERIFY(secrets::write(p.secretName(), kKey).ok());

        StageServiceOptions opts;
        opts.retryBackoffMs = 5;
        StageServices withTenant = composeStageServices(ts.store(), opts);
        auto inv = withTenant.investigateEndpoint(caseId, 2 * 3600 * 1000);
        QVERIFY2(inv.ok(), inv.ok() ? "" : qPrintable(inv.error().toString()));
        QVERIFY2(server.violations().isEmpty(),
                 qPrintable(server.violations().join(QLatin1Char('\n'))));
        QCOMPARE(inv.value()["source"].get<std::string>(), std::string("tenant lab"));
        QCOMPARE(inv.value()["tenant_alerts_fetched"].get<qint64>(), qint64(150));
        QCOMPARE(inv.value()["alerts"].size(), size_t(150 + 1));
        QVERIFY(inv.value()["by_tactic"].contains("Discovery"));

        auto hunt = withTenant.huntCase(caseId);
        QVERIFY2(hunt.ok(), hunt.ok() ? "" : qPrintable(hunt.error().toString()));
        QCOMPARE(hunt.value()["source"].get<std::string>(), std::string("tenant lab"));
        bool found = false;
        for (const json &h : hunt.value()["hits"])
            found |= h["detail"].get<std::string>().find("LAB-SRV-9") != std::string::npos ||
                     h["value"].get<std::string>() == "10.9.1.50";
        QVERIFY2(found, hunt.value().dump(1).c_str());

        // A failing tenant is reported and the stage still answers from the store.
        server.injectFault(QStringLiteral("alerts"), 99,
                           XdrTenantServer::reply(401, {{"reply", {{"err_msg", "no"}}}}));
        auto inv2 = withTenant.investigateEndpoint(caseId, 2 * 3600 * 1000);
        QVERIFY(inv2.ok());
        QCOMPARE(inv2.value()["source"].get<std::string>(), std::string("local store"));
        QVERIFY(inv2.value()["tenant_error"].get<std::string>().find("401") != std::string::npos);
        QCOMPARE(inv2.value()["alerts"].size(), size_t(150 + 1));
    }

private:
    QTemporaryDir m_secrets;
};

QTEST_GUILESS_MAIN(TestXdrPull)
#include "tst_xdrpull.moc"
