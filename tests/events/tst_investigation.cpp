// Endpoint investigation (stage 4b) and threat hunting (stage 4c) over a store holding the
// sample case plus a second incident written here around it.
#include "eventtestutil.h"
#include "investigation/endpointinvestigation.h"
#include "investigation/threathunt.h"
#include "store/auditlog.h"

#include <QSqlQuery>

#include <nlohmann/json.hpp>

using namespace causa;

namespace {

constexpr qint64 kMinute = 60 * 1000;
const char *kCausalitySha = "c3337f4290161ceb82d33cf36e4341b815fa7055df07eb83d5545cec8d39c57e";

// A second incident (5000) derived from the sample's first alert, stripped of its processes
// and network fields so that only what each row sets here can match.
QString writeOtherIncident(const QTemporaryDir &dir, qint64 t0)
{
    QFile in(test::sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-incident.json"));
    if (!in.open(QIODevice::ReadOnly))
        qFatal("sample missing");
    nlohmann::json doc = nlohmann::json::parse(in.readAll().toStdString());
    nlohmann::json base = doc["reply"]["alerts"]["data"][0];
    for (auto it = base.begin(); it != base.end();) {
        const std::string k = it.key();
        if (k.find("process") != std::string::npos || k.find("remote") != std::string::npos ||
            k.find("local_ip") != std::string::npos || k == "host_ip" || k == "host_ip_list")
            it = base.erase(it);
        else
            ++it;
    }
    auto make = [&](int id, const char *host, qint64 t, const char *sev, nlohmann::json tactics) {
        nlohmann::json a = base;
        a["alert_id"] = std::to_string(id);
        a["external_id"] = "ext-" + std::to_string(id);
        a["case_id"] = 5000;
        a["host_name"] = host;
        a["endpoint_id"] = std::string("agent-") + host;
        a["detection_timestamp"] = t;
        a["severity"] = sev;
        a["name"] = "related alert " + std::to_string(id);
        a["mitre_tactic_id_and_name"] = tactics;
        return a;
    };
    nlohmann::json alerts = nlohmann::json::array();
    alerts.push_back(make(9001, "FIN-WS-042", t0 + 30 * kMinute, "high", {"TA0003 - Persistence"}));
    alerts.push_back(make(9002, "FIN-WS-042", t0 + 90 * kMinute, "critical",
                          {"TA0011 - Command and Control", "TA0002 - Execution"}));
    alerts.push_back(make(9003, "FIN-WS-042", t0 + 300 * kMinute, "high", {"TA0040 - Impact"}));
    nlohmann::json a4 = make(9004, "OTHER-HOST", t0 + 10 * kMinute, "low", {"TA0007 - Discovery"});
    a4["causality_actor_process_image_name"] = "winupdsvc.exe";
    a4["causality_actor_process_image_sha256"] = kCausalitySha;
    a4["causality_actor_process_causality_id"] = "OTHERCAUSALITY";
    alerts.push_back(a4);
    nlohmann::json a5 =
        make(9005, "OTHER-HOST", t0 + 20 * kMinute, "medium", {"TA0008 - Lateral Movement"});
    a5["action_remote_ip"] = "10.20.30.15";
    alerts.push_back(a5);
    doc["reply"]["incident"]["incident_id"] = "5000";
    doc["reply"]["incident"]["hosts"] = {"FIN-WS-042", "OTHER-HOST"};
    doc["reply"]["alerts"] = {{"total_count", alerts.size()}, {"data", alerts}};
    doc["reply"]["network_artifacts"] = {{"total_count", 0}, {"data", nlohmann::json::array()}};
    doc["reply"]["file_artifacts"] = {{"total_count", 0}, {"data", nlohmann::json::array()}};
    const QString path = dir.filePath(QStringLiteral("incident-5000.json"));
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        qFatal("cannot write");
    out.write(QByteArray::fromStdString(doc.dump()));
    return path;
}

} // namespace

class TestInvestigation : public QObject
{
    Q_OBJECT

private:
    test::TempStore m_store;
    QTemporaryDir m_dir;
    qint64 m_case = 0;
    qint64 m_other = 0;

private Q_SLOTS:
    void initTestCase()
    {
        const QString samples = test::sourceDir() + QStringLiteral("/resources/samples/");
        ImportDispatcher importer(m_store.store());
        QVERIFY(importer.importFile(samples + QStringLiteral("fin-ws-042-incident.json")).ok());
        QVERIFY(importer.importFile(samples + QStringLiteral("fin-ws-042-events.jsonl")).ok());
        auto other = importer.importFile(writeOtherIncident(m_dir, 1795078443000));
        QVERIFY2(other.ok(), other.ok() ? "" : qPrintable(other.error().toString()));
        QCOMPARE(other->alerts, qint64(5));
        m_case = m_store.store().findCase(QStringLiteral("xdr"), QStringLiteral("4242")).value();
        m_other = m_store.store().findCase(QStringLiteral("xdr"), QStringLiteral("5000")).value();
        QVERIFY(m_case > 0 && m_other > 0);
    }

    void endpointInvestigation()
    {
        auto inv = investigateEndpoint(m_store.store(), m_case, 120 * kMinute);
        QVERIFY2(inv.ok(), inv.ok() ? "" : qPrintable(inv.error().toString()));
        // As XSOAR counts: the case's other alert (31338, LSASS dump, high) and, on FIN-WS-042,
        // 9001 (+30 min) and 9002 (+90 min); not 9003 (+5 h), not OTHER-HOST, not the alert
        // being triaged (31337).
        QCOMPARE(inv->primaryAlertId, m_store.store().alertsOfCase(m_case)->front().id);
        QCOMPARE(inv->relatedAlerts, 3);
        QCOMPARE(inv->highAlerts, 2);
        QCOMPARE(inv->criticalAlerts, 1);
        QStringList tactics;
        for (const auto &g : inv->tactics)
            tactics << g.tactic + QLatin1Char('=') + QString::number(g.alerts.size());
        QCOMPARE(tactics,
                 QStringList({QStringLiteral("Execution=1"), QStringLiteral("Persistence=1"),
                              QStringLiteral("Credential Access=1"),
                              QStringLiteral("Command and Control=1")}));
        const nlohmann::json j = toJson(inv.value());
        QCOMPARE(j["related_alerts"].get<int>(), 3);
        QCOMPARE(j["tactics"][1]["tactic_id"].get<std::string>(), std::string("TA0003"));
        QCOMPARE(j["tactics"][2]["alerts"][0]["relation"].get<std::string>(),
                 std::string("same case"));
        // A narrower window keeps the +30 min alert and the case's own LSASS alert.
        auto narrow = investigateEndpoint(m_store.store(), m_case, 60 * kMinute);
        QVERIFY(narrow.ok());
        QCOMPARE(narrow->relatedAlerts, 2);
        QCOMPARE(narrow->tactics.front().tactic, QStringLiteral("Persistence"));
    }

    void splitsTactics()
    {
        QCOMPARE(splitTactic(QStringLiteral("TA0008 - Lateral Movement")).second,
                 QStringLiteral("Lateral Movement"));
        QCOMPARE(splitTactic(QStringLiteral("defense-evasion")).first, QStringLiteral("TA0005"));
        QCOMPARE(splitTactic(QStringLiteral("TA0011")).second,
                 QStringLiteral("Command and Control"));
        QCOMPARE(splitTactic(QString()).second, QStringLiteral("Unknown"));
    }

    void threatHunt()
    {
        auto hunt = huntCase(m_store.store(), m_case);
        QVERIFY2(hunt.ok(), hunt.ok() ? "" : qPrintable(hunt.error().toString()));
        bool ipTerm = false, shaTerm = false;
        for (const auto &t : hunt->terms) {
            ipTerm = ipTerm ||
                     (t.type == QLatin1String("ipv4") && t.value == QLatin1String("10.20.30.15"));
            shaTerm = shaTerm || (t.type == QLatin1String("sha256") &&
                                  t.value == QLatin1String(kCausalitySha));
        }
        QVERIFY(ipTerm && shaTerm);
        int ipAlert = 0, shaAlert = 0, ipEvents = 0, shaEvents = 0, shaProcesses = 0;
        for (const HuntHit &h : hunt->hits) {
            QVERIFY2(!(h.where == QLatin1String("alert") && h.caseId == m_case),
                     "own alert reported");
            const bool ip = h.value == QLatin1String("10.20.30.15");
            const bool sha = h.value == QLatin1String(kCausalitySha);
            if (h.where == QLatin1String("alert")) {
                QCOMPARE(h.caseId, m_other);
                ipAlert += ip;
                shaAlert += sha;
                if (ip)
                    QCOMPARE(h.field, QStringLiteral("remote_ip"));
            } else if (h.where == QLatin1String("event")) {
                ipEvents += ip;
                shaEvents += sha;
                if (ip)
                    QCOMPARE(h.field, QStringLiteral("IpAddress"));
                if (sha)
                    QCOMPARE(h.field, QStringLiteral("Hashes"));
            } else if (h.where == QLatin1String("process")) {
                shaProcesses += sha;
            }
        }
        QCOMPARE(ipAlert, 1);      // 9005 on OTHER-HOST
        QCOMPARE(shaAlert, 1);     // 9004's causality owner
        QCOMPARE(ipEvents, 2);     // 4624 and 5145 from 10.20.30.15
        QCOMPARE(shaEvents, 1);    // Sysmon 1 of winupdsvc.exe (upper-case Hashes)
        QCOMPARE(shaProcesses, 2); // the Sysmon process row and 9004's XDR causality process
        // Evidence is what lies beyond the case's own chain: the two alerts of case 5000 and
        // 9004's causality process on OTHER-HOST. FIN-WS-042's own logs (the logon, the share
        // access, winupdsvc.exe's process) are context, each saying why.
        int counting = 0;
        for (const HuntHit &h : hunt->hits) {
            QVERIFY(!h.why.isEmpty());
            counting += h.counts ? 1 : 0;
            if (h.where == QLatin1String("event"))
                QVERIFY2(!h.counts, qPrintable(h.why));
        }
        QCOMPARE(counting, 3);
        QCOMPARE(toJson(hunt.value())["hit_count"].get<int>(), counting);

        auto added = recordHuntHits(m_store.store(), hunt.value(), QStringLiteral("tester"));
        QVERIFY(added.ok());
        QCOMPARE(added.value(), counting);
        auto again = recordHuntHits(m_store.store(), hunt.value(), QStringLiteral("tester"));
        QVERIFY(again.ok());
        QCOMPARE(again.value(), 0);
        auto db = m_store.store().connection();
        QSqlQuery q(db.value());
        QVERIFY(q.exec(
            QStringLiteral("SELECT COUNT(*) FROM evidence WHERE case_id = %1 AND kind = 'hunt_hit' "
                           "AND label = 'Found additional evidence'")
                .arg(m_case)));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), counting);
        auto verified = audit::verify(db.value(), m_case);
        QVERIFY(verified.ok());
    }
};

QTEST_GUILESS_MAIN(TestInvestigation)
#include "tst_investigation.moc"
