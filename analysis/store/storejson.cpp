#include "storejson.h"

#include "core/jsonutil.h"

namespace causa {

using nlohmann::json;

json toJson(const QString &s)
{
    return js::toStd(s);
}

json toJson(const QStringList &list)
{
    json a = json::array();
    for (const QString &s : list)
        a.push_back(js::toStd(s));
    return a;
}

json toJson(const CaseSummary &c)
{
    return json{{"id", c.id},
                {"source", toJson(c.source)},
                {"source_ref", toJson(c.sourceRef)},
                {"title", toJson(c.title)},
                {"severity", toJson(severityName(c.severity))},
                {"status", toJson(c.status)},
                {"verdict", toJson(c.verdict)},
                {"assignee", toJson(c.assignee)},
                {"tlp", toJson(c.tlp)},
                {"hosts", toJson(c.hosts)},
                {"users", toJson(c.users)},
                {"alert_count", c.alertCount},
                {"created_at", c.createdAt},
                {"updated_at", c.updatedAt},
                {"row_version", c.rowVersion}};
}

json toJson(const StoredAlert &s)
{
    const AlertRecord &a = s.alert;
    return json{{"id", s.id},
                {"case_id", s.caseId},
                {"alert_id", toJson(a.alertId)},
                {"external_id", toJson(a.externalId)},
                {"name", toJson(a.name)},
                {"category", toJson(a.category)},
                {"source", toJson(a.source)},
                {"severity", toJson(severityName(a.severity))},
                {"action", toJson(a.action)},
                {"action_pretty", toJson(a.actionPretty)},
                {"blocked", a.blocked},
                {"rule_id", toJson(a.ruleId)},
                {"detected_at", a.detectedAt},
                {"host_name", toJson(a.hostName)},
                {"host_ip", toJson(a.hostIp)},
                {"endpoint_id", toJson(a.endpoint.agentId)},
                {"user_name", toJson(a.user)},
                {"mitre_tactics", toJson(a.mitreTactics)},
                {"mitre_techniques", toJson(a.mitreTechniques)},
                {"remote_ip", toJson(a.remoteIp)},
                {"remote_port", a.remotePort},
                {"local_ip", toJson(a.localIp)},
                {"external_hostname", toJson(a.externalHostname)}};
}

json toJson(const StoredProcess &s)
{
    const ProcessRecord &p = s.process;
    return json{{"id", s.id},
                {"key", toJson(p.key)},
                {"parent_key", toJson(p.parentKey)},
                {"image", toJson(p.imageName)},
                {"image_path", toJson(p.imagePath)},
                {"command_line", toJson(p.commandLine)},
                {"pid", p.pid},
                {"user", toJson(p.user)},
                {"started_at", p.startedAt},
                {"md5", toJson(p.md5)},
                {"sha256", toJson(p.sha256)},
                {"signature_status", toJson(p.signatureStatus)},
                {"signature_vendor", toJson(p.signatureVendor)},
                {"roles", toJson(s.roles)}};
}

json toJson(const CaseIndicator &i)
{
    json j{{"id", i.indicatorId},
           {"type", toJson(i.type)},
           {"value", toJson(i.value)},
           {"as_written", toJson(i.asWritten)},
           {"contexts", toJson(i.contexts)},
           {"internal", i.internal}};
    if (i.manualScore >= 0)
        j["manual_score"] = i.manualScore;
    return j;
}

json toJson(const StoreStats &s)
{
    return json{{"cases", s.cases},         {"alerts", s.alerts}, {"endpoints", s.endpoints},
                {"processes", s.processes}, {"events", s.events}, {"indicators", s.indicators},
                {"actions", s.actions}};
}

json toJson(const ImportCounts &c)
{
    return json{{"cases", c.cases},     {"alerts", c.alerts},         {"processes", c.processes},
                {"events", c.events},   {"indicators", c.indicators}, {"intel", c.intel},
                {"skipped", c.skipped}, {"rejected", c.rejected}};
}

} // namespace causa
