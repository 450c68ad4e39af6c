#include "xdrmapper.h"

#include <cmath>
#include <limits>

#include "core/indicatorutil.h"
#include "core/jsonutil.h"

#include <nlohmann/json.hpp>
// libsimdjson is built with threads on, which changes its parser's layout: see it the same way.
#ifndef SIMDJSON_THREADS_ENABLED
#define SIMDJSON_THREADS_ENABLED 1
#endif
#include <simdjson.h>

#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

namespace causa::xdr {

namespace {

using nlohmann::json;

// Lenient reading of one object's fields as js::str / js::int64 / js::list do, for a document
// nlohmann built.
class JsonObject
{
public:
    explicit JsonObject(const json &obj) : m_obj(obj) {}
    QString str(const char *key) const { return js::str(m_obj, key); }
    qint64 int64(const char *key, qint64 fallback) const { return js::int64(m_obj, key, fallback); }
    QStringList list(const char *key) const { return js::list(m_obj, key); }

private:
    const json &m_obj;
};

QString simdText(simdjson::dom::element v);

// The same reading for an object simdjson parsed. Its fields are indexed once by key; a key
// written twice keeps its last value, as nlohmann does.
class SimdObject
{
public:
    void index(simdjson::dom::object obj)
    {
        // An open-addressing table reused from alert to alert: a slot belongs to this alert when
        // it carries this alert's generation, so nothing is cleared or allocated per alert (the
        // node-based map this replaces allocated and freed one node per field). A hostile
        // alert's large table is not kept for the next one.
        if (m_slots.size() > kKeptSlots || ++m_generation == 0) {
            m_slots.assign(kKeptSlots, Slot{});
            m_generation = 1;
        }
        m_used = 0;
        for (const auto field : obj)
            put(field.key, field.value);
    }
    const simdjson::dom::element *find(const char *key) const
    {
        const std::string_view k(key);
        const size_t mask = m_slots.size() - 1;
        for (size_t i = std::hash<std::string_view>{}(k)&mask;
             m_slots[i].generation == m_generation; i = (i + 1) & mask) {
            if (m_slots[i].key == k)
                return &m_slots[i].value;
        }
        return nullptr;
    }
    QString str(const char *key) const
    {
        const simdjson::dom::element *v = find(key);
        if (!v)
            return {};
        QString s = simdText(*v).trimmed();
        return js::isPlaceholder(s) ? QString() : s;
    }
    qint64 int64(const char *key, qint64 fallback) const
    {
        const simdjson::dom::element *v = find(key);
        if (!v)
            return fallback;
        switch (v->type()) {
        case simdjson::dom::element_type::INT64: return qint64(v->get_int64().value_unsafe());
        case simdjson::dom::element_type::UINT64: {
            const quint64 u = v->get_uint64().value_unsafe();
            return u <= quint64(std::numeric_limits<qint64>::max()) ? qint64(u) : fallback;
        }
        case simdjson::dom::element_type::DOUBLE: {
            // As js::int64: a float outside qint64 is unusable (the cast would be undefined).
            const double d = v->get_double().value_unsafe();
            return std::isfinite(d) && d >= -9.2e18 && d <= 9.2e18 ? qint64(d) : fallback;
        }
        case simdjson::dom::element_type::STRING: {
            bool ok = false;
            const qint64 n = simdText(*v).trimmed().toLongLong(&ok);
            return ok ? n : fallback;
        }
        default: return fallback;
        }
    }
    QStringList list(const char *key) const
    {
        QStringList out;
        const simdjson::dom::element *v = find(key);
        if (!v)
            return out;
        auto addText = [&out](const QString &text) {
            for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
                const QString t = part.trimmed();
                if (!js::isPlaceholder(t) && !out.contains(t))
                    out << t;
            }
        };
        if (v->is_array()) {
            const simdjson::dom::array items = v->get_array().value_unsafe();
            for (const simdjson::dom::element e : items)
                addText(simdText(e));
        } else {
            addText(simdText(*v));
        }
        return out;
    }

private:
    struct Slot
    {
        std::string_view key;
        simdjson::dom::element value;
        quint32 generation = 0; // 0: never used
    };
    static constexpr size_t kKeptSlots = 256; // a power of two, twice a full-width alert's keys

    // Inserts or replaces: a key written twice keeps its last value, as nlohmann does.
    void put(std::string_view key, simdjson::dom::element value)
    {
        if ((m_used + 1) * 2 > m_slots.size())
            grow();
        const size_t mask = m_slots.size() - 1;
        size_t i = std::hash<std::string_view>{}(key)&mask;
        for (; m_slots[i].generation == m_generation; i = (i + 1) & mask) {
            if (m_slots[i].key == key) {
                m_slots[i].value = value;
                return;
            }
        }
        m_slots[i] = {key, value, m_generation};
        ++m_used;
    }
    void grow()
    {
        std::vector<Slot> old = std::exchange(m_slots, std::vector<Slot>(m_slots.size() * 2));
        const quint32 live = m_generation;
        m_generation = 1;
        m_used = 0;
        for (const Slot &slot : old)
            if (slot.generation == live)
                put(slot.key, slot.value);
    }

    std::vector<Slot> m_slots = std::vector<Slot>(kKeptSlots);
    quint32 m_generation = 0;
    size_t m_used = 0;
};

// js::toQString for a simdjson value.
QString simdText(simdjson::dom::element v)
{
    switch (v.type()) {
    case simdjson::dom::element_type::STRING: {
        const std::string_view s = v.get_string().value_unsafe();
        return QString::fromUtf8(s.data(), qsizetype(s.size()));
    }
    case simdjson::dom::element_type::INT64:
        return QString::number(qint64(v.get_int64().value_unsafe()));
    case simdjson::dom::element_type::UINT64:
        return QString::number(quint64(v.get_uint64().value_unsafe()));
    case simdjson::dom::element_type::DOUBLE:
        return QString::number(v.get_double().value_unsafe(), 'g', 17);
    case simdjson::dom::element_type::BOOL:
        return v.get_bool().value_unsafe() ? QStringLiteral("true") : QStringLiteral("false");
    case simdjson::dom::element_type::ARRAY: {
        QStringList parts;
        const simdjson::dom::array items = v.get_array().value_unsafe();
        for (const simdjson::dom::element e : items) {
            const QString s = simdText(e);
            if (!s.isEmpty())
                parts << s;
        }
        return parts.join(QStringLiteral(", "));
    }
    default: return {};
    }
}

// Reads a field from the alert, falling back to its first event (get_alerts_multi_events puts
// process fields on events[]).
template<typename Object>
class Fields
{
public:
    Fields(const Object &alert, const Object *event) : m_alert(alert), m_event(event) {}
    QString str(const char *key) const
    {
        QString v = m_alert.str(key);
        if (v.isEmpty() && m_event)
            v = m_event->str(key);
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
            qint64 v = m_alert.int64(k, INT64_MIN);
            if (v == INT64_MIN && m_event)
                v = m_event->int64(k, INT64_MIN);
            if (v != INT64_MIN)
                return v;
        }
        return fallback;
    }
    QStringList list(std::initializer_list<const char *> keys) const
    {
        for (const char *k : keys) {
            QStringList v = m_alert.list(k);
            if (v.isEmpty() && m_event)
                v = m_event->list(k);
            if (!v.isEmpty())
                return v;
        }
        return {};
    }

private:
    const Object &m_alert;
    const Object *m_event;
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

template<typename F>
std::optional<ProcessRecord> mapProcess(const F &f, const RoleSpec &spec,
                                        const QString &endpointKey, const QString &alertKey)
{
    // "<prefix>_<suffix>", built in place: the names are short ASCII.
    char key[128];
    const size_t prefixLength = std::strlen(spec.prefix);
    std::memcpy(key, spec.prefix, prefixLength);
    key[prefixLength] = '_';
    auto get = [&](const char *suffix) {
        const size_t n = std::min(std::strlen(suffix), sizeof key - prefixLength - 2);
        std::memcpy(key + prefixLength + 1, suffix, n);
        key[prefixLength + 1 + n] = '\0';
        return f.str(key);
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
    if (p.imageName.isEmpty() && p.imagePath.isEmpty() && p.commandLine.isEmpty() &&
        instance.isEmpty())
        return std::nullopt;
    if (!instance.isEmpty())
        p.key = endpointKey + QStringLiteral("|xdr:") + instance;
    else if (p.pid >= 0)
        p.key = endpointKey + QStringLiteral("|pid:") + QString::number(p.pid) + QLatin1Char('|') +
                p.imageName.toLower();
    else
        p.key = endpointKey + QStringLiteral("|alert:") + alertKey + QLatin1Char('|') +
                processRoleName(spec.role);
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
        else if (s.contains(QLatin1String("known_issue")) ||
                 s.contains(QLatin1String("security_testing")))
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
    return p.startsWith(QLatin1String("Prevented"), Qt::CaseInsensitive) ||
           p.startsWith(QLatin1String("Blocked"), Qt::CaseInsensitive);
}

namespace {

// The alert's host addresses, normalised where they parse ("010.0.0.1" -> "10.0.0.1").
template<typename F>
QStringList hostIps(const F &f)
{
    QStringList cleanIps;
    for (const QString &ip : f.list({"host_ip", "host_ip_list", "agent_ip_addresses"})) {
        QString type;
        const QString n = indicator::normaliseIp(ip, &type);
        cleanIps << (n.isEmpty() ? ip : n);
    }
    return cleanIps;
}

// The same process plays two roles (actor == causality is common): the later role completes
// what the earlier one left empty, so both roles show one full process.
void completeProcess(ProcessRecord &prev, const ProcessRecord &p)
{
    auto fill = [](QString &dst, const QString &src) {
        if (dst.isEmpty())
            dst = src;
    };
    fill(prev.imageName, p.imageName);
    fill(prev.imagePath, p.imagePath);
    fill(prev.commandLine, p.commandLine);
    fill(prev.md5, p.md5);
    fill(prev.sha256, p.sha256);
    fill(prev.signatureStatus, p.signatureStatus);
    fill(prev.signatureVendor, p.signatureVendor);
    fill(prev.user, p.user);
    if (prev.pid < 0)
        prev.pid = p.pid;
    if (prev.startedAt == 0)
        prev.startedAt = p.startedAt;
}

// The alert's processes in chain order (causality, actor, action, ...), each the parent of the
// next, with their hashes as indicators.
template<typename F>
void mapProcesses(const F &f, AlertRecord &a)
{
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
            completeProcess(a.processes.back().second, *p);
            ProcessRecord merged = a.processes.back().second;
            a.processes.emplace_back(spec.role, std::move(merged));
            continue;
        }
        previousKey = p->key;
        a.processes.emplace_back(spec.role, std::move(*p));
    }
}

// Indicators beyond the processes' hashes: addresses, the action's file, names, URLs, the user
// and the host.
template<typename F>
void addAlertIndicators(const F &f, AlertRecord &a, const QStringList &remoteIps,
                        const QStringList &hostIps)
{
    for (const QString &ip : remoteIps)
        addIp(a.indicators, ip, QStringLiteral("remote_ip"));
    for (const QString &ip : hostIps)
        addIp(a.indicators, ip, QStringLiteral("host_ip"));
    addHash(a.indicators, f.str("action_file_sha256"), QStringLiteral("file_sha256"));
    addHash(a.indicators, f.str("action_file_md5"), QStringLiteral("file_md5"));
    addDomain(a.indicators, a.externalHostname, QStringLiteral("external_hostname"));
    addDomain(a.indicators, f.str("dns_query_name"), QStringLiteral("dns_query"));
    for (const QString &url : f.list({"malicious_urls"}))
        a.indicators.push_back(
            {QStringLiteral("url"), url, url, QStringLiteral("malicious_url"), false});
    if (!a.user.isEmpty())
        a.indicators.push_back(
            {QStringLiteral("user"), a.user.toLower(), a.user, QStringLiteral("user"), false});
    if (!a.hostName.isEmpty())
        a.indicators.push_back({QStringLiteral("host"), a.hostName.toLower(), a.hostName,
                                QStringLiteral("host"), true});
}

template<typename F>
AlertRecord mapFields(const F &f)
{
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
    a.detectedAt =
        f.int64({"detection_timestamp", "event_timestamp", "source_insert_ts", "local_insert_ts"});
    a.hostName = f.first({"host_name", "agent_hostname", "agent_fqdn"});
    const QStringList cleanIps = hostIps(f);
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
    a.endpoint.key =
        !a.hostName.isEmpty() ? indicator::endpointKey(a.hostName) : a.endpoint.agentId.toLower();
    a.endpoint.ips = cleanIps;
    a.endpoint.os = f.first({"agent_os_type", "agent_os_sub_type"});
    a.endpoint.domain = f.str("agent_device_domain");

    mapProcesses(f, a);
    addAlertIndicators(f, a, remote, cleanIps);
    return a;
}

} // namespace

AlertRecord mapAlert(const json &input)
{
    const json *obj = &input;
    const auto af = input.find("alert_fields");
    if (af != input.end() && af->is_object())
        obj = &*af;
    const JsonObject alert(*obj);
    const auto ev = obj->find("events");
    if (ev != obj->end() && ev->is_array() && !ev->empty() && ev->front().is_object()) {
        const JsonObject event(ev->front());
        return mapFields(Fields<JsonObject>(alert, &event));
    }
    return mapFields(Fields<JsonObject>(alert, nullptr));
}

AlertRecord mapSimdAlert(simdjson::dom::object input)
{
    // One index per thread, reused: building it is most of the cost of reading an alert.
    thread_local SimdObject alert;
    thread_local SimdObject event;
    alert.index(input);
    if (const simdjson::dom::element *af = alert.find("alert_fields"); af && af->is_object())
        alert.index(af->get_object().value_unsafe());
    const simdjson::dom::element *ev = alert.find("events");
    if (ev && ev->is_array()) {
        const simdjson::dom::array events = ev->get_array().value_unsafe();
        if (events.size() > 0 && events.at(0).is_object()) {
            event.index(events.at(0).get_object().value_unsafe());
            return mapFields(Fields<SimdObject>(alert, &event));
        }
    }
    return mapFields(Fields<SimdObject>(alert, nullptr));
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
