#include "endpointinvestigation.h"

#include "core/errorcodes.h"
#include "core/jsonutil.h"
#include "store/casestore.h"

#include <QRegularExpression>
#include <QSet>

#include <map>

#include <nlohmann/json.hpp>

namespace causa {

namespace {

// Kill-chain order used to list the groups (and to name tactics given only by id).
const std::vector<std::pair<QString, QString>> &tacticOrder()
{
    static const std::vector<std::pair<QString, QString>> order = {
        {QStringLiteral("TA0043"), QStringLiteral("Reconnaissance")},
        {QStringLiteral("TA0042"), QStringLiteral("Resource Development")},
        {QStringLiteral("TA0001"), QStringLiteral("Initial Access")},
        {QStringLiteral("TA0002"), QStringLiteral("Execution")},
        {QStringLiteral("TA0003"), QStringLiteral("Persistence")},
        {QStringLiteral("TA0004"), QStringLiteral("Privilege Escalation")},
        {QStringLiteral("TA0005"), QStringLiteral("Defense Evasion")},
        {QStringLiteral("TA0006"), QStringLiteral("Credential Access")},
        {QStringLiteral("TA0007"), QStringLiteral("Discovery")},
        {QStringLiteral("TA0008"), QStringLiteral("Lateral Movement")},
        {QStringLiteral("TA0009"), QStringLiteral("Collection")},
        {QStringLiteral("TA0011"), QStringLiteral("Command and Control")},
        {QStringLiteral("TA0010"), QStringLiteral("Exfiltration")},
        {QStringLiteral("TA0040"), QStringLiteral("Impact")},
    };
    return order;
}

int orderOf(const QString &name)
{
    const auto &order = tacticOrder();
    for (size_t i = 0; i < order.size(); ++i)
        if (order[i].second.compare(name, Qt::CaseInsensitive) == 0)
            return int(i);
    return int(order.size());
}

} // namespace

std::pair<QString, QString> splitTactic(const QString &text)
{
    QString t = text.trimmed();
    QString id;
    static const QRegularExpression idRe(QStringLiteral("^(TA\\d{4})\\s*[-:–]?\\s*(.*)$"),
                                         QRegularExpression::CaseInsensitiveOption);
    const auto m = idRe.match(t);
    if (m.hasMatch()) {
        id = m.captured(1).toUpper();
        t = m.captured(2).trimmed();
    }
    if (t.contains(QLatin1Char('-')) && !t.contains(QLatin1Char(' ')))
        t.replace(QLatin1Char('-'), QLatin1Char(' '));
    for (const auto &[tid, name] : tacticOrder()) {
        if ((!id.isEmpty() && tid == id) || name.compare(t, Qt::CaseInsensitive) == 0)
            return {tid, name};
    }
    return {id, t.isEmpty() ? QStringLiteral("Unknown") : t};
}

namespace {

void addToGroups(std::map<std::pair<int, QString>, EndpointInvestigation::TacticGroup> &groups,
                 const AlertBrief &a)
{
    QStringList tactics = a.tactics;
    if (tactics.isEmpty())
        tactics << QStringLiteral("Unknown");
    QSet<QString> seen;
    for (const QString &t : tactics) {
        const auto [id, name] = splitTactic(t);
        if (seen.contains(name))
            continue;
        seen.insert(name);
        auto &g = groups[{orderOf(name), name}];
        g.tactic = name;
        g.tacticId = id;
        g.alerts.push_back(a);
        if (a.severity == Severity::High)
            ++g.high;
        if (a.severity == Severity::Critical)
            ++g.critical;
    }
}

} // namespace

Result<EndpointInvestigation> investigateEndpoint(CaseStore &store, qint64 caseId, qint64 windowMs)
{
    EndpointInvestigation inv;
    inv.caseId = caseId;
    inv.windowMs = windowMs;
    auto own = eventq::alertsOfCase(store, caseId);
    if (!own)
        return own.error();
    const AlertBrief *primary = eventq::primaryAlertOf(own.value());
    if (!primary)
        return makeError(errc::kNotFound, QStringLiteral("case %1 has no alerts").arg(caseId));
    inv.primaryAlertId = primary->id;
    QList<qint64> endpoints;
    for (const AlertBrief &a : own.value()) {
        if (a.endpointId > 0 && !endpoints.contains(a.endpointId))
            endpoints << a.endpointId;
        if (!a.hostName.isEmpty() && !inv.hosts.contains(a.hostName))
            inv.hosts << a.hostName;
    }
    // As XSOAR counts them: the case's other alerts, and other alerts on the same endpoint
    // within ±window of the alert being triaged.
    std::vector<AlertBrief> related;
    QSet<qint64> taken{primary->id};
    for (const AlertBrief &a : own.value())
        if (!taken.contains(a.id)) {
            taken.insert(a.id);
            related.push_back(a);
            related.back().relation = QStringLiteral("same case");
        }
    if (primary->detectedAt > 0 && primary->endpointId > 0) {
        auto nearby =
            eventq::alertsOnEndpoints(store, {primary->endpointId}, primary->detectedAt - windowMs,
                                      primary->detectedAt + windowMs);
        if (!nearby)
            return nearby.error();
        for (AlertBrief &a : nearby.value())
            if (!taken.contains(a.id)) {
                taken.insert(a.id);
                a.relation = QStringLiteral("same endpoint within the window");
                related.push_back(std::move(a));
            }
    }
    std::map<std::pair<int, QString>, EndpointInvestigation::TacticGroup> groups;
    for (const AlertBrief &a : related) {
        ++inv.relatedAlerts;
        inv.highAlerts += a.severity == Severity::High ? 1 : 0;
        inv.criticalAlerts += a.severity == Severity::Critical ? 1 : 0;
        addToGroups(groups, a);
    }
    for (auto &[key, g] : groups)
        inv.tactics.push_back(std::move(g));
    return inv;
}

nlohmann::json toJson(const EndpointInvestigation &inv)
{
    nlohmann::json tactics = nlohmann::json::array();
    for (const auto &g : inv.tactics) {
        nlohmann::json alerts = nlohmann::json::array();
        for (const AlertBrief &a : g.alerts)
            alerts.push_back({{"id", a.id},
                              {"case_id", a.caseId},
                              {"name", js::toStd(a.name)},
                              {"severity", js::toStd(severityName(a.severity))},
                              {"detected_at", a.detectedAt},
                              {"host", js::toStd(a.hostName)},
                              {"relation", js::toStd(a.relation)}});
        tactics.push_back({{"tactic", js::toStd(g.tactic)},
                           {"tactic_id", js::toStd(g.tacticId)},
                           {"count", g.alerts.size()},
                           {"high", g.high},
                           {"critical", g.critical},
                           {"alerts", alerts}});
    }
    nlohmann::json hosts = nlohmann::json::array();
    for (const QString &h : inv.hosts)
        hosts.push_back(js::toStd(h));
    return {{"case_id", inv.caseId},
            {"primary_alert_id", inv.primaryAlertId},
            {"window_ms", inv.windowMs},
            {"hosts", hosts},
            {"related_alerts", inv.relatedAlerts},
            {"high_alerts", inv.highAlerts},
            {"critical_alerts", inv.criticalAlerts},
            {"tactics", tactics}};
}

} // namespace causa
