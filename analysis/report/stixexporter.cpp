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
    return std::string(type) + "--"
        + uuidText(QUuid::createUuidV5(kCausaNamespace, QString::fromLatin1(type) + QLatin1Char('|') + name))
              .toStdString();
}

std::string scoId(const char *type, const json &contributing)
{
    return std::string(type) + "--"
        + uuidText(QUuid::createUuidV5(kScoNamespace, QByteArray::fromStdString(contributing.dump()))).toStdString();
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
    return {{"type", "marking-definition"}, {"spec_version", "2.1"}, {"id", id},
            {"created", "2017-01-20T00:00:00.000Z"}, {"definition_type", "tlp"},
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

json toStixBundle(const ReportData &d)
{
    const CaseSummary &c = d.summary;
    const QString caseName = c.source + QLatin1Char(':') + c.sourceRef;
    // Deterministic timestamps: the case's own times, never "now".
    qint64 stamp = c.createdAt > 0 ? c.createdAt : 0;
    for (const StoredAlert &a : d.alerts)
        if (stamp == 0 || (a.alert.detectedAt > 0 && a.alert.detectedAt < stamp))
            stamp = a.alert.detectedAt;
    const std::string created = js::toStd(isoTime(stamp));
    const std::string modified = js::toStd(isoTime(std::max(stamp, c.updatedAt)));
    const json marking = tlpMarking(c.tlp);
    const json markingRefs = json::array({marking["id"]});

    json objects = json::array();
    objects.push_back(marking);
    const std::string producer = sdoId("identity", QStringLiteral("causa"));
    objects.push_back({{"type", "identity"}, {"spec_version", "2.1"}, {"id", producer}, {"created", created},
                       {"modified", created}, {"name", "Causa"}, {"identity_class", "system"},
                       {"description", "Causa investigation workbench (report producer)"}});
    auto sdo = [&](const char *type, const QString &key) {
        return json{{"type", type},         {"spec_version", "2.1"},     {"id", sdoId(type, caseName + QLatin1Char('|') + key)},
                    {"created", created},   {"modified", modified},      {"created_by_ref", producer},
                    {"object_marking_refs", markingRefs}};
    };

    // Hosts where things were seen.
    std::map<QString, std::string> hostIdentity;
    for (const StoredAlert &a : d.alerts) {
        const QString host = a.alert.hostName;
        if (host.isEmpty() || hostIdentity.count(host))
            continue;
        json h = sdo("identity", QStringLiteral("host|") + host);
        h["name"] = js::toStd(host);
        h["identity_class"] = "system";
        hostIdentity[host] = h["id"];
        objects.push_back(h);
    }

    // Indicators.
    const auto verdicts = indicatorVerdicts(d);
    std::map<std::string, std::string> indicatorByScoId; // SCO id -> indicator id
    std::vector<std::string> reportRefs;
    for (const CaseIndicator &i : d.indicators) {
        const QString pattern = stixPattern(i.type, i.value);
        if (pattern.isEmpty())
            continue;
        json ind = sdo("indicator", i.type + QLatin1Char('|') + i.value);
        const int score = verdicts.value(i.indicatorId).score;
        ind["name"] = js::toStd(i.type + QLatin1Char(' ') + i.value);
        ind["pattern"] = js::toStd(pattern);
        ind["pattern_type"] = "stix";
        ind["pattern_version"] = "2.1";
        ind["valid_from"] = created;
        ind["indicator_types"] = json::array({indicatorType(score)});
        ind["description"] = js::toStd(QStringLiteral("Seen in case %1 as %2").arg(caseName, i.contexts.join(QStringLiteral(", "))));
        if (i.internal)
            ind["labels"] = json::array({"internal"});
        const auto [scoType, props] = scoOf(i.type, i.value);
        if (scoType)
            indicatorByScoId[scoId(scoType, props)] = ind["id"];
        reportRefs.push_back(ind["id"]);
        objects.push_back(ind);
    }

    // Attack patterns from the alerts' techniques ("T1569.002 - Service Execution").
    static const QRegularExpression techniqueRe(QStringLiteral("^(T\\d{4}(?:\\.\\d{3})?)\\s*[-:]?\\s*(.*)$"));
    std::map<QString, std::string> attackPatterns;
    for (const StoredAlert &a : d.alerts)
        for (const QString &t : a.alert.mitreTechniques) {
            const auto m = techniqueRe.match(t.trimmed());
            if (!m.hasMatch() || attackPatterns.count(m.captured(1)))
                continue;
            json ap = sdo("attack-pattern", m.captured(1));
            ap["name"] = js::toStd(m.captured(2).isEmpty() ? m.captured(1) : m.captured(2));
            ap["external_references"] = json::array({{{"source_name", "mitre-attack"}, {"external_id", js::toStd(m.captured(1))}}});
            attackPatterns[m.captured(1)] = ap["id"];
            reportRefs.push_back(ap["id"]);
            objects.push_back(ap);
        }

    // Per alert: the observables it involved, their observed-data, sightings and relationships.
    std::map<std::string, json> scos;
    std::set<std::string> relationships;
    for (const StoredAlert &sa : d.alerts) {
        const AlertRecord &a = sa.alert;
        std::vector<std::pair<const char *, json>> found;
        const QString tag = QLatin1Char('@') + a.alertId;
        for (const StoredProcess &p : d.processes) {
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
            if (!hashes.empty()) {
                json f{{"hashes", hashes}};
                found.push_back({"file", f});
            }
        }
        if (!a.remoteIp.isEmpty())
            found.push_back(scoOf(a.remoteIp.contains(QLatin1Char(':')) ? QStringLiteral("ipv6") : QStringLiteral("ipv4"), a.remoteIp));
        if (!a.user.isEmpty())
            found.push_back(scoOf(QStringLiteral("user"), a.user));
        json refs = json::array();
        std::set<std::string> seen;
        for (auto &[type, props] : found) {
            const std::string id = scoId(type, props);
            if (!seen.insert(id).second)
                continue;
            refs.push_back(id);
            if (!scos.count(id)) {
                json o = props;
                o["type"] = type;
                o["spec_version"] = "2.1";
                o["id"] = id;
                scos[id] = o;
            }
        }
        if (refs.empty())
            continue;
        const std::string when = js::toStd(isoTime(a.detectedAt > 0 ? a.detectedAt : stamp));
        json od = sdo("observed-data", QStringLiteral("alert|") + a.key);
        od["first_observed"] = when;
        od["last_observed"] = when;
        od["number_observed"] = 1;
        od["object_refs"] = refs;
        reportRefs.push_back(od["id"]);
        objects.push_back(od);
        for (const auto &ref : refs) {
            const auto it = indicatorByScoId.find(ref.get<std::string>());
            if (it == indicatorByScoId.end())
                continue;
            json s = sdo("sighting", QStringLiteral("alert|%1|%2").arg(a.key, QString::fromStdString(it->second)));
            s["sighting_of_ref"] = it->second;
            s["observed_data_refs"] = json::array({od["id"]});
            if (hostIdentity.count(a.hostName))
                s["where_sighted_refs"] = json::array({hostIdentity[a.hostName]});
            s["first_seen"] = when;
            s["last_seen"] = when;
            s["count"] = 1;
            s["description"] = js::toStd(QStringLiteral("Alert %1: %2").arg(a.alertId, a.name));
            reportRefs.push_back(s["id"]);
            objects.push_back(s);
            for (const QString &t : a.mitreTechniques) {
                const auto m = techniqueRe.match(t.trimmed());
                if (!m.hasMatch() || !attackPatterns.count(m.captured(1)))
                    continue;
                const std::string target = attackPatterns[m.captured(1)];
                const QString key = QString::fromStdString(it->second + "|indicates|" + target);
                if (!relationships.insert(key.toStdString()).second)
                    continue;
                json r = sdo("relationship", key);
                r["relationship_type"] = "indicates";
                r["source_ref"] = it->second;
                r["target_ref"] = target;
                reportRefs.push_back(r["id"]);
                objects.push_back(r);
            }
        }
    }
    for (auto &[id, o] : scos) {
        reportRefs.push_back(id);
        objects.push_back(o);
    }
    json rep = sdo("report", QStringLiteral("report"));
    rep["name"] = js::toStd(c.title.isEmpty() ? QStringLiteral("Case %1").arg(caseName) : c.title);
    rep["report_types"] = json::array({"threat-report"});
    rep["published"] = modified;
    rep["description"] = js::toStd(d.detail.description);
    rep["object_refs"] = reportRefs.empty() ? json::array({producer}) : json(reportRefs);
    objects.push_back(rep);
    return json{{"type", "bundle"},
                {"id", sdoId("bundle", caseName + QStringLiteral("|bundle"))},
                {"objects", objects}};
}

} // namespace causa::report
