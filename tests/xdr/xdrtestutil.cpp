#include "xdrtestutil.h"

#include "store/storejson.h"
#include "testutils.h"

#include <QFile>

namespace causa::test {

using nlohmann::json;

json dumpCases(CaseStore &store)
{
    json out = json::array();
    auto cases = store.cases();
    if (!cases)
        qFatal("cases: %s", qPrintable(cases.error().toString()));
    for (const CaseSummary &c : cases.value()) {
        json one = {{"case", toJson(c)}};
        json alerts = json::array();
        const auto storedAlerts = store.alertsOfCase(c.id);
        const auto storedProcesses = store.processesOfCase(c.id);
        const auto storedIndicators = store.indicatorsOfCase(c.id);
        if (!storedAlerts || !storedProcesses || !storedIndicators)
            qFatal("reading case %lld failed", c.id);
        for (const StoredAlert &a : storedAlerts.value())
            alerts.push_back(toJson(a));
        json processes = json::array();
        for (const StoredProcess &p : storedProcesses.value())
            processes.push_back(toJson(p));
        json indicators = json::array();
        for (const CaseIndicator &i : storedIndicators.value())
            indicators.push_back(toJson(i));
        one["alerts"] = alerts;
        one["processes"] = processes;
        one["indicators"] = indicators;
        out.push_back(one);
    }
    return out;
}

QByteArray readFixture(const QString &relativePath)
{
    QFile f(fixturesDir() + QStringLiteral("/") + relativePath);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read fixture %s", qPrintable(f.fileName()));
    return f.readAll();
}

void addSyntheticAlerts(XdrTenantServer &server, const QString &host, int n, qint64 startMs,
                        qint64 stepMs, int firstId)
{
    const json tmpl =
        json::parse(readFixture(QStringLiteral("xdr/alert-fields-template.json")).toStdString());
    static const char *const tactics[] = {"TA0007 - Discovery", "TA0003 - Persistence",
                                          "TA0011 - Command and Control"};
    static const char *const severities[] = {"SEV_020_LOW", "SEV_030_MEDIUM", "SEV_040_HIGH"};
    for (int i = 0; i < n; ++i) {
        json a = tmpl;
        json &f = a["alert_fields"];
        const qint64 t = startMs + i * stepMs;
        f["internal_id"] = firstId + i;
        f["external_id"] = "ext-" + std::to_string(firstId + i);
        f["agent_hostname"] = host.toStdString();
        f["source_insert_ts"] = t;
        f["local_insert_ts"] = t + 50;
        f["events"][0]["event_timestamp"] = t;
        f["mitre_tactic_id_and_name"] = json::array({tactics[i % 3]});
        f["severity"] = severities[i % 3];
        f["case_id"] = 8000 + (i % 4);
        server.addAlert(a);
    }
}

void useFileSecrets(const QString &dir)
{
    qputenv("CAUSA_SECRET_STORE", "file");
    qputenv("CAUSA_SECRETS_FILE", QString(dir + QStringLiteral("/secrets.json")).toUtf8());
    // The analyst's tenant confirmations live beside the keys, never in the real profile.
    qputenv("CAUSA_TENANT_PINS_FILE", QString(dir + QStringLiteral("/tenant-pins.json")).toUtf8());
}

} // namespace causa::test
