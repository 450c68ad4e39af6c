#include "reportexporters.h"
#include "reportformat.h"

#include "core/jsonutil.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QUuid>

#include <map>
#include <set>

namespace causa::report {

using nlohmann::json;

namespace {

// STIX 2.1 §2.9: SCO ids are UUIDv5 in this namespace over their id-contributing properties.
const QUuid kScoNamespace(QStringLiteral("00abedb4-aa42-466c-9c01-fed23315a9b7"));
// Causa's own namespace for the SDOs it derives from a case.
const QUuid kCausaNamespace(QStringLiteral("5f1d3c1e-7a52-4c8e-9b0f-2b6f0ca5a042"));

QString uuidText(const QUuid &u)
{
    return u.toString(QUuid::WithoutBraces);
}

std::string sdoId(const char *type, const QString &name)
{
    return std::string(type) + "--" +
           uuidText(QUuid::createUuidV5(kCausaNamespace,
                                        QString::fromLatin1(type) + QLatin1Char('|') + name))
               .toStdString();
}

std::string scoId(const char *type, const json &contributing)
{
    return std::string(type) + "--" +
           uuidText(
               QUuid::createUuidV5(kScoNamespace, QByteArray::fromStdString(contributing.dump())))
               .toStdString();
}

QString patternLiteral(const QString &v)
{
    QString e = v;
    e.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    e.replace(QLatin1Char('\''), QLatin1String("\\'"));
    return QLatin1Char('\'') + e + QLatin1Char('\'');
}

// The SCO that an indicator value describes (type, id-contributing properties), or null.
std::pair<const char *, json> scoOf(const QString &type, const QString &value)
{
    const std::string v = js::toStd(value);
    if (type == QLatin1String("sha256"))
        return {"file", {{"hashes", {{"SHA-256", v}}}}};
    if (type == QLatin1String("sha1"))
        return {"file", {{"hashes", {{"SHA-1", v}}}}};
    if (type == QLatin1String("md5"))
        return {"file", {{"hashes", {{"MD5", v}}}}};
    if (type == QLatin1String("ipv4"))
        return {"ipv4-addr", {{"value", v}}};
    if (type == QLatin1String("ipv6"))
        return {"ipv6-addr", {{"value", v}}};
    if (type == QLatin1String("domain"))
        return {"domain-name", {{"value", v}}};
    if (type == QLatin1String("url"))
        return {"url", {{"value", v}}};
    if (type == QLatin1String("user"))
        return {"user-account", {{"account_login", v}}};
    return {nullptr, json()};
}

const char *indicatorType(int score)
{
    switch (score) {
    case 3: return "malicious-activity";
    case 2: return "anomalous-activity";
    case 1: return "benign";
    default: return "unknown";
    }
}

// TLP 1.0 marking definitions predefined by STIX 2.1 (§7.2.1.4); TLP 2.0 CLEAR maps to WHITE and
// AMBER+STRICT to AMBER, the nearest the standard objects express.
json tlpMarking(const QString &tlp)
{
    const char *id = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";
    const char *name = "amber";
    if (tlp.startsWith(QLatin1String("RED"))) {
        id = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed";
        name = "red";
    } else if (tlp.startsWith(QLatin1String("GREEN"))) {
        id = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
        name = "green";
    } else if (tlp.startsWith(QLatin1String("CLEAR")) || tlp.startsWith(QLatin1String("WHITE"))) {
        id = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9";
        name = "white";
    }
    return {{"type", "marking-definition"},
            {"spec_version", "2.1"},
            {"id", id},
            {"created", "2017-01-20T00:00:00.000Z"},
            {"definition_type", "tlp"},
            {"name", std::string("TLP:") + QString::fromLatin1(name).toUpper().toStdString()},
            {"definition", {{"tlp", name}}}};
}

} // namespace

QString stixPattern(const QString &type, const QString &value)
{
    const QString lit = patternLiteral(value);
    if (type == QLatin1String("sha256"))
        return QStringLiteral("[file:hashes.'SHA-256' = %1]").arg(lit);
    if (type == QLatin1String("sha1"))
        return QStringLiteral("[file:hashes.'SHA-1' = %1]").arg(lit);
    if (type == QLatin1String("md5"))
        return QStringLiteral("[file:hashes.MD5 = %1]").arg(lit);
    if (type == QLatin1String("ipv4"))
        return QStringLiteral("[ipv4-addr:value = %1]").arg(lit);
    if (type == QLatin1String("ipv6"))
        return QStringLiteral("[ipv6-addr:value = %1]").arg(lit);
    if (type == QLatin1String("domain"))
        return QStringLiteral("[domain-name:value = %1]").arg(lit);
    if (type == QLatin1String("url"))
        return QStringLiteral("[url:value = %1]").arg(lit);
    if (type == QLatin1String("user"))
        return QStringLiteral("[user-account:account_login = %1]").arg(lit);
    if (type == QLatin1String("path"))
        return QStringLiteral("[file:name = %1]").arg(patternLiteral(QFileInfo(value).fileName()));
    return {};
}

namespace {

// Builds the bundle in a fixed order (marking, producer, hosts, indicators, attack patterns,
// per-alert observed data with sightings and relationships, observables, report), so that the
// same case always gives the same bundle.
class StixBundleBuilder
{
public:
    explicit StixBundleBuilder(const ReportData &d) : m_d(d)
    {
        const CaseSummary &c = d.summary;
        m_caseName = c.source + QLatin1Char(':') + c.sourceRef;
        // Deterministic timestamps: the case's own times, never "now".
        m_stamp = c.createdAt > 0 ? c.createdAt : 0;
        for (const StoredAlert &a : d.alerts)
            if (m_stamp == 0 || (a.alert.detectedAt > 0 && a.alert.detectedAt < m_stamp))
                m_stamp = a.alert.detectedAt;
        m_created = js::toStd(isoTime(m_stamp));
        m_modified = js::toStd(isoTime(std::max(m_stamp, c.updatedAt)));
        const json marking = tlpMarking(c.tlp);
        m_markingRefs = json::array({marking["id"]});
        m_objects.push_back(marking);
        m_producer = sdoId("identity", QStringLiteral("causa"));
        m_objects.push_back({{"type", "identity"},
                             {"spec_version", "2.1"},
                             {"id", m_producer},
                             {"created", m_created},
                             {"modified", m_created},
                             {"name", "Causa"},
                             {"identity_class", "system"},
                             {"description", "Causa investigation workbench (report producer)"}});
    }

    json build()
    {
        addHosts();
        addIndicators();
        addAttackPatterns();
        for (const StoredAlert &sa : m_d.alerts)
            addAlert(sa.alert);
        for (auto &[id, o] : m_scos) {
            m_reportRefs.push_back(id);
            m_objects.push_back(o);
        }
        const CaseSummary &c = m_d.summary;
        json rep = sdo("report", QStringLiteral("report"));
        rep["name"] =
            js::toStd(c.title.isEmpty() ? QStringLiteral("Case %1").arg(m_caseName) : c.title);
        rep["report_types"] = json::array({"threat-report"});
        rep["published"] = m_modified;
        rep["description"] = js::toStd(m_d.detail.description);
        rep["object_refs"] = m_reportRefs.empty() ? json::array({m_producer}) : json(m_reportRefs);
        m_objects.push_back(rep);
        return json{{"type", "bundle"},
                    {"id", sdoId("bundle", m_caseName + QStringLiteral("|bundle"))},
                    {"objects", m_objects}};
    }

private:
    json sdo(const char *type, const QString &key) const
    {
        return json{{"type", type},
                    {"spec_version", "2.1"},
                    {"id", sdoId(type, m_caseName + QLatin1Char('|') + key)},
                    {"created", m_created},
                    {"modified", m_modified},
                    {"created_by_ref", m_producer},
                    {"object_marking_refs", m_markingRefs}};
    }

    void add(const json &o)
    {
        m_reportRefs.push_back(o["id"]);
        m_objects.push_back(o);
    }

    // Hosts where things were seen (not in the report's refs: sightings point at them).
    void addHosts()
    {
        for (const StoredAlert &a : m_d.alerts) {
            const QString host = a.alert.hostName;
            if (host.isEmpty() || m_hostIdentity.count(host))
                continue;
            json h = sdo("identity", QStringLiteral("host|") + host);
            h["name"] = js::toStd(host);
            h["identity_class"] = "system";
            m_hostIdentity[host] = h["id"];
            m_objects.push_back(h);
        }
    }

    void addIndicators()
    {
        const auto verdicts = indicatorVerdicts(m_d);
        for (const CaseIndicator &i : m_d.indicators) {
            const QString pattern = stixPattern(i.type, i.value);
            if (pattern.isEmpty())
                continue;
            json ind = sdo("indicator", i.type + QLatin1Char('|') + i.value);
            const int score = verdicts.value(i.indicatorId).score;
            ind["name"] = js::toStd(i.type + QLatin1Char(' ') + i.value);
            ind["pattern"] = js::toStd(pattern);
            ind["pattern_type"] = "stix";
            ind["pattern_version"] = "2.1";
            ind["valid_from"] = m_created;
            ind["indicator_types"] = json::array({indicatorType(score)});
            ind["description"] =
                js::toStd(QStringLiteral("Seen in case %1 as %2")
                              .arg(m_caseName, i.contexts.join(QStringLiteral(", "))));
            if (i.internal)
                ind["labels"] = json::array({"internal"});
            const auto [scoType, props] = scoOf(i.type, i.value);
            if (scoType)
                m_indicatorByScoId[scoId(scoType, props)] = ind["id"];
            add(ind);
        }
    }

    // The technique id of "T1569.002 - Service Execution" and its name, or an empty id.
    static std::pair<QString, QString> technique(const QString &t)
    {
        static const QRegularExpression re(
            QStringLiteral("^(T\\d{4}(?:\\.\\d{3})?)\\s*[-:]?\\s*(.*)$"));
        const auto m = re.match(t.trimmed());
        return m.hasMatch() ? std::pair{m.captured(1), m.captured(2)}
                            : std::pair<QString, QString>{};
    }

    // Attack patterns from the alerts' techniques.
    void addAttackPatterns()
    {
        for (const StoredAlert &a : m_d.alerts)
            for (const QString &t : a.alert.mitreTechniques) {
                const auto [id, name] = technique(t);
                if (id.isEmpty() || m_attackPatterns.count(id))
                    continue;
                json ap = sdo("attack-pattern", id);
                ap["name"] = js::toStd(name.isEmpty() ? id : name);
                ap["external_references"] = json::array(
                    {{{"source_name", "mitre-attack"}, {"external_id", js::toStd(id)}}});
                m_attackPatterns[id] = ap["id"];
                add(ap);
            }
    }

    // The observables an alert involved: its processes' files, remote IP and user.
    std::vector<std::pair<const char *, json>> observablesOf(const AlertRecord &a) const
    {
        std::vector<std::pair<const char *, json>> found;
        const QString tag = QLatin1Char('@') + a.alertId;
        for (const StoredProcess &p : m_d.processes) {
            bool inAlert = false;
            for (const QString &r : p.roles)
                inAlert = inAlert || r.endsWith(tag);
            if (!inAlert)
                continue;
            json hashes = json::object();
            if (!p.process.sha256.isEmpty())
                hashes["SHA-256"] = js::toStd(p.process.sha256);
            else if (!p.process.md5.isEmpty())
                hashes["MD5"] = js::toStd(p.process.md5);
            if (!hashes.empty())
                found.push_back({"file", json{{"hashes", hashes}}});
        }
        if (!a.remoteIp.isEmpty())
            found.push_back(scoOf(a.remoteIp.contains(QLatin1Char(':')) ? QStringLiteral("ipv6")
                                                                        : QStringLiteral("ipv4"),
                                  a.remoteIp));
        if (!a.user.isEmpty())
            found.push_back(scoOf(QStringLiteral("user"), a.user));
        return found;
    }

    // The alert's observables (kept once per bundle), its observed-data, and a sighting for
    // each observable an indicator describes.
    void addAlert(const AlertRecord &a)
    {
        json refs = json::array();
        std::set<std::string> seen;
        for (auto &[type, props] : observablesOf(a)) {
            const std::string id = scoId(type, props);
            if (!seen.insert(id).second)
                continue;
            refs.push_back(id);
            if (!m_scos.count(id)) {
                json o = props;
                o["type"] = type;
                o["spec_version"] = "2.1";
                o["id"] = id;
                m_scos[id] = o;
            }
        }
        if (refs.empty())
            return;
        const std::string when = js::toStd(isoTime(a.detectedAt > 0 ? a.detectedAt : m_stamp));
        json od = sdo("observed-data", QStringLiteral("alert|") + a.key);
        od["first_observed"] = when;
        od["last_observed"] = when;
        od["number_observed"] = 1;
        od["object_refs"] = refs;
        add(od);
        for (const auto &ref : refs) {
            const auto it = m_indicatorByScoId.find(ref.get<std::string>());
            if (it != m_indicatorByScoId.end())
                addSighting(a, it->second, od["id"], when);
        }
    }

    // The indicator was sighted in this alert; it indicates the alert's techniques.
    void addSighting(const AlertRecord &a, const std::string &indicator, const json &observed,
                     const std::string &when)
    {
        json s = sdo("sighting",
                     QStringLiteral("alert|%1|%2").arg(a.key, QString::fromStdString(indicator)));
        s["sighting_of_ref"] = indicator;
        s["observed_data_refs"] = json::array({observed});
        if (m_hostIdentity.count(a.hostName))
            s["where_sighted_refs"] = json::array({m_hostIdentity[a.hostName]});
        s["first_seen"] = when;
        s["last_seen"] = when;
        s["count"] = 1;
        s["description"] = js::toStd(QStringLiteral("Alert %1: %2").arg(a.alertId, a.name));
        add(s);
        for (const QString &t : a.mitreTechniques) {
            const QString id = technique(t).first;
            if (id.isEmpty() || !m_attackPatterns.count(id))
                continue;
            const std::string target = m_attackPatterns[id];
            const QString key = QString::fromStdString(indicator + "|indicates|" + target);
            if (!m_relationships.insert(key.toStdString()).second)
                continue;
            json r = sdo("relationship", key);
            r["relationship_type"] = "indicates";
            r["source_ref"] = indicator;
            r["target_ref"] = target;
            add(r);
        }
    }

    const ReportData &m_d;
    QString m_caseName;
    qint64 m_stamp = 0;
    std::string m_created, m_modified, m_producer;
    json m_markingRefs;
    json m_objects = json::array();
    std::vector<std::string> m_reportRefs;
    std::map<QString, std::string> m_hostIdentity;
    std::map<std::string, std::string> m_indicatorByScoId; // SCO id -> indicator id
    std::map<QString, std::string> m_attackPatterns;       // technique id -> attack-pattern id
    std::map<std::string, json> m_scos;
    std::set<std::string> m_relationships;
};

} // namespace

json toStixBundle(const ReportData &d)
{
    return StixBundleBuilder(d).build();
}

} // namespace causa::report
