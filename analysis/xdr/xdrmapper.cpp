#include "xdrmapper.h"

#include "core/indicatorutil.h"
#include "core/jsonutil.h"

#include <nlohmann/json.hpp>

namespace causa::xdr {

namespace {

using nlohmann::json;

// Reads a field from the alert, falling back to its first event (get_alerts_multi_events puts
// process fields on events[]).
class Fields
{
public:
    explicit Fields(const json &alert) : m_alert(alert)
    {
        const auto ev = alert.find("events");
        if (ev != alert.end() && ev->is_array() && !ev->empty() && ev->front().is_object())
            m_event = &ev->front();
    }
    QString str(const char *key) const
    {
        QString v = js::str(m_alert, key);
        if (v.isEmpty() && m_event)
            v = js::str(*m_event, key);
        return v;
    }
    QString first(std::initializer_list<const char *> keys) const
    {
        for (const char *k : keys) {
            QString v = str(k);
            if (!v.isEmpty())
                return v;
        }
        return {};
    }
    qint64 int64(std::initializer_list<const char *> keys, qint64 fallback = 0) const
    {
        for (const char *k : keys) {
            qint64 v = js::int64(m_alert, k, INT64_MIN);
            if (v == INT64_MIN && m_event)
                v = js::int64(*m_event, k, INT64_MIN);
            if (v != INT64_MIN)
                return v;
        }
        return fallback;
    }
    QStringList list(std::initializer_list<const char *> keys) const
    {
        for (const char *k : keys) {
            QStringList v = js::list(m_alert, k);
            if (v.isEmpty() && m_event)
                v = js::list(*m_event, k);
            if (!v.isEmpty())
                return v;
        }
        return {};
    }

private:
    const json &m_alert;
    const json *m_event = nullptr;
};

struct RoleSpec
{
    ProcessRole role;
    const char *prefix;
    const char *instanceFallback;
    const char *userField;
};

const RoleSpec kRoles[] = {
    {ProcessRole::Causality, "causality_actor_process", "causality_actor_causality_id", nullptr},
    {ProcessRole::Actor, "actor_process", nullptr, "actor_effective_username"},
    {ProcessRole::OsActor, "os_actor_process", nullptr, "os_actor_effective_username"},
    {ProcessRole::Action, "action_process", nullptr, nullptr},
};

QString roleField(const char *prefix, const char *suffix)
{
    return QString::fromLatin1(prefix) + QLatin1Char('_') + QString::fromLatin1(suffix);
}

std::optional<ProcessRecord> mapProcess(const Fields &f, const RoleSpec &spec,
                                        const QString &endpointKey, const QString &alertKey)
{
    auto get = [&](const char *suffix) {
        const QByteArray key = roleField(spec.prefix, suffix).toLatin1();
        return f.str(key.constData());
    };
    ProcessRecord p;
    p.source = QStringLiteral("xdr");
    p.endpointKey = endpointKey;
    p.imageName = get("image_name");
    p.imagePath = get("image_path");
    p.commandLine = get("command_line");
    if (p.commandLine.isEmpty())
        p.commandLine = get("image_command_line");
    QString hashType;
    p.md5 = indicator::normaliseHash(get("image_md5"), &hashType);
    p.sha256 = indicator::normaliseHash(get("image_sha256"), &hashType);
    if (hashType != QLatin1String("sha256"))
        p.sha256.clear();
    bool ok = false;
    const qint64 pid = get("os_pid").toLongLong(&ok);
    p.pid = ok ? pid : -1;
    p.signatureStatus = get("signature_status");
    p.signatureVendor = get("signature_vendor");
    p.causalityId = get("causality_id");
    p.startedAt = get("execution_time").toLongLong();
    if (spec.userField)
        p.user = f.str(spec.userField);
    QString instance = get("instance_id");
    if (instance.isEmpty() && spec.instanceFallback)
        instance = f.str(spec.instanceFallback);
    if (p.imageName.isEmpty() && !p.imagePath.isEmpty())
        p.imageName = p.imagePath.section(QLatin1Char('\\'), -1).section(QLatin1Char('/'), -1);
    if (p.imageName.isEmpty() && p.imagePath.isEmpty() && p.commandLine.isEmpty() && instance.isEmpty())
        return std::nullopt;
    if (!instance.isEmpty())
        p.key = endpointKey + QStringLiteral("|xdr:") + instance;
    else if (p.pid >= 0)
        p.key = endpointKey + QStringLiteral("|pid:") + QString::number(p.pid) + QLatin1Char('|')
                + p.imageName.toLower();
    else
        p.key = endpointKey + QStringLiteral("|alert:") + alertKey + QLatin1Char('|')
                + processRoleName(spec.role);
    return p;
}

void addHash(std::vector<IndicatorRecord> &out, const QString &value, const QString &context)
{
    QString type;
    const QString norm = indicator::normaliseHash(value, &type);
    if (norm.isEmpty())
        return;
    out.push_back({type, norm, value, context, false});
}

void addIp(std::vector<IndicatorRecord> &out, const QString &value, const QString &context)
{
    QString type;
    const QString norm = indicator::normaliseIp(value, &type);
    if (norm.isEmpty())
        return;
    out.push_back({type, norm, value, context, indicator::isInternalIp(norm)});
}

void addDomain(std::vector<IndicatorRecord> &out, const QString &value, const QString &context)
{
    const QString v = value.trimmed().toLower();
    // A domain has a dot, no spaces and is not an address.
    if (v.isEmpty() || !v.contains(QLatin1Char('.')) || v.contains(QLatin1Char(' ')))
        return;
    QString ipType;
    if (!indicator::normaliseIp(v, &ipType).isEmpty())
        return;
    out.push_back({QStringLiteral("domain"), v, value, context, false});
}

QString caseStatus(const QString &xdrStatus, QString *verdict)
{
    const QString s = xdrStatus.toLower();
    if (s.startsWith(QLatin1String("resolved"))) {
        if (s.contains(QLatin1String("true_positive")))
            *verdict = QStringLiteral("true_positive");
        else if (s.contains(QLatin1String("false_positive")))
            *verdict = QStringLiteral("false_positive");
        else if (s.contains(QLatin1String("known_issue")) || s.contains(QLatin1String("security_testing")))
            *verdict = QStringLiteral("benign");
        return QStringLiteral("closed");
    }
    if (s == QLatin1String("under_investigation"))
        return QStringLiteral("in_progress");
    return QStringLiteral("new");
}

} // namespace

bool isBlocked(const QString &action, const QString &actionPretty)
{
    const QString a = action.trimmed().toUpper();
    if (a.startsWith(QLatin1String("BLOCKED")) || a.startsWith(QLatin1String("PREVENTED")))
        return true;
    const QString p = actionPretty.trimmed();
    return p.startsWith(QLatin1String("Prevented"), Qt::CaseInsensitive)
           || p.startsWith(QLatin1String("Blocked"), Qt::CaseInsensitive);
}

AlertRecord mapAlert(const json &input)
{
    const json *obj = &input;
    const auto af = input.find("alert_fields");
    if (af != input.end() && af->is_object())
        obj = &*af;
    const Fields f(*obj);
    AlertRecord a;
    a.alertId = f.first({"alert_id", "internal_id"});
    a.externalId = f.str("external_id");
    a.key = QStringLiteral("xdr|") + a.alertId + QLatin1Char('|') + a.externalId;
    a.source = f.first({"source", "alert_source"});
    a.name = f.first({"name", "alert_name"});
    a.category = f.first({"category", "alert_category"});
    a.description = f.first({"description", "alert_description"});
    a.severity = severityFromString(f.str("severity"));
    a.action = f.first({"action", "alert_action_status"});
    a.actionPretty = f.first({"action_pretty", "alert_action_status_readable"});
    a.blocked = isBlocked(a.action, a.actionPretty);
    a.ruleId = f.first({"matching_service_rule_id", "rule_id"});
    a.detectedAt = f.int64({"detection_timestamp", "event_timestamp", "source_insert_ts", "local_insert_ts"});
    a.hostName = f.first({"host_name", "agent_hostname", "agent_fqdn"});
    QStringList ips = f.list({"host_ip", "host_ip_list", "agent_ip_addresses"});
    QStringList cleanIps;
    for (const QString &ip : ips) {
        QString type;
        const QString n = indicator::normaliseIp(ip, &type);
        cleanIps << (n.isEmpty() ? ip : n);
    }
    a.hostIp = cleanIps.join(QStringLiteral(", "));
    a.user = f.first({"user_name", "actor_effective_username", "os_actor_effective_username"});
    a.mitreTactics = f.list({"mitre_tactic_id_and_name", "mitre_tactic_ids_and_names"});
    a.mitreTechniques = f.list({"mitre_technique_id_and_name", "mitre_technique_ids_and_names"});
    const QStringList remote = f.list({"action_remote_ip", "action_remote_ip_v6"});
    a.remoteIp = remote.value(0);
    a.remotePort = int(f.int64({"action_remote_port"}));
    a.localIp = f.list({"action_local_ip"}).value(0);
    a.externalHostname = f.str("action_external_hostname");
    a.incidentRef = f.first({"case_id", "incident_id"});

    a.endpoint.agentId = f.first({"endpoint_id", "agent_id"});
    a.endpoint.hostName = a.hostName;
    a.endpoint.key = !a.hostName.isEmpty() ? indicator::endpointKey(a.hostName) : a.endpoint.agentId.toLower();
    a.endpoint.ips = cleanIps;
    a.endpoint.os = f.first({"agent_os_type", "agent_os_sub_type"});
    a.endpoint.domain = f.str("agent_device_domain");

    QString previousKey;
    for (const RoleSpec &spec : kRoles) {
        auto p = mapProcess(f, spec, a.endpoint.key, a.key);
        if (!p)
            continue;
        if (p->key != previousKey)
            p->parentKey = previousKey;
        if (p->user.isEmpty() && spec.role == ProcessRole::Action)
            p->user = a.user;
        const QString role = processRoleName(spec.role);
        addHash(a.indicators, p->sha256, role + QStringLiteral("_sha256"));
        addHash(a.indicators, p->md5, role + QStringLiteral("_md5"));
        if (p->key == previousKey && !a.processes.empty()) {
            // The same process plays two roles (actor == causality is common): complete what the
            // earlier role left empty, so both roles show one full process.
            ProcessRecord &prev = a.processes.back().second;
            auto fill = [](QString &dst, const QString &src) { if (dst.isEmpty()) dst = src; };
            fill(prev.imageName, p->imageName);
            fill(prev.imagePath, p->imagePath);
            fill(prev.commandLine, p->commandLine);
            fill(prev.md5, p->md5);
            fill(prev.sha256, p->sha256);
            fill(prev.signatureStatus, p->signatureStatus);
            fill(prev.signatureVendor, p->signatureVendor);
            fill(prev.user, p->user);
            if (prev.pid < 0)
                prev.pid = p->pid;
            if (prev.startedAt == 0)
                prev.startedAt = p->startedAt;
            ProcessRecord merged = prev;
            merged.parentKey = prev.parentKey;
            a.processes.emplace_back(spec.role, std::move(merged));
            continue;
        }
        previousKey = p->key;
        a.processes.emplace_back(spec.role, std::move(*p));
    }
    for (const QString &ip : remote)
        addIp(a.indicators, ip, QStringLiteral("remote_ip"));
    for (const QString &ip : cleanIps)
        addIp(a.indicators, ip, QStringLiteral("host_ip"));
    addHash(a.indicators, f.str("action_file_sha256"), QStringLiteral("file_sha256"));
    addHash(a.indicators, f.str("action_file_md5"), QStringLiteral("file_md5"));
    addDomain(a.indicators, a.externalHostname, QStringLiteral("external_hostname"));
    addDomain(a.indicators, f.str("dns_query_name"), QStringLiteral("dns_query"));
    for (const QString &url : f.list({"malicious_urls"}))
        a.indicators.push_back({QStringLiteral("url"), url, url, QStringLiteral("malicious_url"), false});
    if (!a.user.isEmpty())
        a.indicators.push_back({QStringLiteral("user"), a.user.toLower(), a.user, QStringLiteral("user"), false});
    if (!a.hostName.isEmpty())
        a.indicators.push_back({QStringLiteral("host"), a.hostName.toLower(), a.hostName, QStringLiteral("host"), true});
    return a;
}

CaseRecord mapIncident(const json &inc)
{
    CaseRecord c;
    c.source = QStringLiteral("xdr");
    c.sourceRef = js::str(inc, "incident_id");
    c.description = js::str(inc, "description");
    c.title = js::str(inc, "incident_name");
    if (c.title.isEmpty())
        c.title = js::str(inc, "manual_description");
    if (c.title.isEmpty())
        c.title = c.description;
    if (c.title.isEmpty())
        c.title = QStringLiteral("XDR incident %1").arg(c.sourceRef);
    c.severity = severityFromString(js::str(inc, "manual_severity"));
    if (c.severity == Severity::Unknown)
        c.severity = severityFromString(js::str(inc, "severity"));
    c.status = caseStatus(js::str(inc, "status"), &c.verdict);
    c.assignee = js::str(inc, "assigned_user_pretty_name");
    if (c.assignee.isEmpty())
        c.assignee = js::str(inc, "assigned_user_mail");
    c.sourceUrl = js::str(inc, "xdr_url");
    c.createdAt = js::int64(inc, "creation_time");
    c.updatedAt = js::int64(inc, "modification_time");
    return c;
}

std::vector<IndicatorRecord> mapArtifacts(const json &fileArtifacts, const json &networkArtifacts)
{
    std::vector<IndicatorRecord> out;
    auto rows = [](const json &v) -> const json * {
        if (v.is_array())
            return &v;
        if (v.is_object()) {
            const auto d = v.find("data");
            if (d != v.end() && d->is_array())
                return &*d;
        }
        return nullptr;
    };
    if (const json *files = rows(fileArtifacts)) {
        for (const json &f : *files)
            addHash(out, js::str(f, "file_sha256"), QStringLiteral("file_artifact"));
    }
    if (const json *nets = rows(networkArtifacts)) {
        for (const json &n : *nets) {
            addIp(out, js::str(n, "network_remote_ip"), QStringLiteral("network_artifact"));
            addDomain(out, js::str(n, "network_domain"), QStringLiteral("network_artifact"));
        }
    }
    return out;
}

} // namespace causa::xdr
