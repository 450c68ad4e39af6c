#include "stageservices.h"

#include "cmdline/commandlineanalyzer.h"
#include "cmdline/storeanalyzer.h"
#include "core/jsonutil.h"
#include "enrichment/enrichmentservice.h"
#include "investigation/endpointinvestigation.h"
#include "investigation/threathunt.h"
#include "playbook/workbenchsettings.h"
#include "sigma/hunt.h"
#include "sigma/teamrules.h"
#include "store/casestore.h"
#include "store/tenantstore.h"
#include "xdr/xdrpull.h"
#include "xdr/xdrtenants.h"

namespace causa {

namespace {

using nlohmann::json;

json enrichmentForPlaybook(const EnrichmentReport &report)
{
    json indicators = json::array();
    for (const IndicatorEnrichment &i : report.indicators)
        indicators.push_back({{"indicator_id", i.indicatorId},
                              {"type", js::toStd(i.type)},
                              {"value", js::toStd(i.value)},
                              {"internal", i.internal},
                              {"score", int(i.mergedScore)},
                              {"verdict", js::toStd(scoreName(i.mergedScore))},
                              {"decided_by", js::toStd(i.decidedBy)}});
    json notes = json::array();
    for (const QString &n : report.notes)
        notes.push_back(js::toStd(n));
    return {{"indicators", indicators}, {"offline", report.offline}, {"notes", notes}};
}

json investigationForPlaybook(const EndpointInvestigation &inv)
{
    json out = toJson(inv);
    json byTactic = json::object();
    json alerts = json::array();
    for (const auto &g : inv.tactics) {
        byTactic[js::toStd(g.tactic)] = g.alerts.size();
        for (const auto &a : g.alerts)
            alerts.push_back({{"id", a.id},
                              {"name", js::toStd(a.name)},
                              {"severity", js::toStd(severityName(a.severity))},
                              {"tactic", js::toStd(g.tactic)}});
    }
    out["alerts"] = alerts;
    out["by_tactic"] = byTactic;
    out["high"] = inv.highAlerts;
    out["critical"] = inv.criticalAlerts;
    return out;
}

json huntForPlaybook(const HuntResult &hunt)
{
    json out = toJson(hunt);
    json hits = json::array();
    json context = json::array();
    for (const HuntHit &h : hunt.hits) {
        const QString ref = h.where + QLatin1Char(':') + QString::number(h.refId);
        json item = {{"kind", "hunt_hit"},
                     {"ref", js::toStd(ref)},
                     {"label", "Found additional evidence"},
                     {"detail", js::toStd(QStringLiteral("%1 %2 in %3 %4 (%5): %6")
                                              .arg(h.indicatorType, h.value, h.where, h.field,
                                                   h.hostName, h.why))},
                     {"type", js::toStd(h.indicatorType)},
                     {"value", js::toStd(h.value)},
                     {"where", js::toStd(h.where)},
                     {"host", js::toStd(h.hostName)},
                     {"ts", h.ts},
                     {"why", js::toStd(h.why)},
                     {"case_id", h.caseId}};
        (h.counts ? hits : context).push_back(std::move(item));
    }
    // Only hits beyond the alert's own chain are evidence; the rest is shown as context.
    out["hits"] = hits;
    out["context"] = context;
    return out;
}

// Stage 4c's Sigma part: the team's rules over the case's endpoint events. Every match is listed
// with its rule, ATT&CK tags and credit; matches are the technique on the case's own hosts, so
// they are evidence of what happened but not "additional evidence" for the verdict.
Result<json> sigmaForPlaybook(CaseStore &store, qint64 caseId)
{
    auto rules = sigma::teamRuleSet(store); // the project's pack + hunt.sigma_paths
    if (!rules)
        return rules.error();
    sigma::HuntScope scope;
    scope.caseId = caseId;
    // The case's own alerts are what opened the run: a rule matching them adds no evidence.
    scope.alerts = false;
    auto report = sigma::huntStore(store, *rules.value(), scope);
    if (!report)
        return report.error();
    json matches = json::array();
    for (const sigma::SigmaMatch &m : report->matches) {
        json j = sigma::toJson(m);
        j["why"] = js::toStd(QStringLiteral("Sigma rule '%1' (%2) matched the case's own host log")
                                 .arg(m.title, m.level));
        matches.push_back(std::move(j));
    }
    return json{{"rules_loaded", report->rulesLoaded},
                {"rules_skipped", report->skipped.size()},
                {"events_scanned", report->eventsScanned},
                {"matches", matches}};
}

// Pulls what `makeQuery` asks for from the configured tenant into the store, and says in `out`
// where the stage's answer comes from. A tenant failure is reported, never fatal: the stage
// still answers from the local store.
void pullFromTenant(CaseStore &store, const StageServiceOptions &options, const QString &what,
                    const std::function<Result<XdrAlertQuery>()> &makeQuery, json &out)
{
    out["source"] = "local store";
    if (!options.useTenant)
        return;
    QString name = options.tenant;
    if (name.isEmpty()) {
        auto active = tenantstore::activeTenant(store);
        if (!active || active->isEmpty())
            return;
        name = active.value();
    }
    auto fail = [&](const Error &e) {
        out["tenant"] = js::toStd(name);
        out["tenant_error"] = js::toStd(e.message);
    };
    auto profile = tenantstore::get(store, name);
    if (!profile)
        return fail(profile.error());
    auto endpoint = xdrtenants::endpoint(store, profile.value());
    if (!endpoint)
        return fail(endpoint.error());
    auto query = makeQuery();
    if (!query)
        return fail(query.error());
    XdrClientOptions co;
    co.backoffMs = options.retryBackoffMs;
    XdrClient client(endpoint.value(), co);
    ImportOptions io;
    io.actor = QStringLiteral("playbook");
    auto pulled = XdrPuller(store, client, name).pullAlerts(query.value(), what, io);
    if (!pulled)
        return fail(pulled.error());
    out["source"] = js::toStd(QStringLiteral("tenant ") + name);
    out["tenant"] = js::toStd(name);
    out["tenant_alerts_fetched"] = pulled->alertsFetched;
    out["tenant_alerts_new"] = pulled->counts.alerts;
    if (pulled->truncated)
        out["tenant_truncated"] = true;
}

// The case's hosts over its alerts' time span widened by windowMs: what the tenant is asked for
// when the endpoint is investigated.
Result<XdrAlertQuery> relatedAlertsQuery(CaseStore &st, qint64 caseId, qint64 windowMs)
{
    auto alerts = st.alertsOfCase(caseId);
    if (!alerts)
        return alerts.error();
    XdrAlertQuery q;
    qint64 first = 0;
    qint64 last = 0;
    for (const StoredAlert &a : alerts.value()) {
        if (!a.alert.hostName.isEmpty() &&
            !q.hostNames.contains(a.alert.hostName, Qt::CaseInsensitive))
            q.hostNames << a.alert.hostName;
        if (a.alert.detectedAt > 0) {
            first = first == 0 ? a.alert.detectedAt : std::min(first, a.alert.detectedAt);
            last = std::max(last, a.alert.detectedAt);
        }
    }
    if (last > 0) {
        q.fromMs = std::max<qint64>(0, first - windowMs);
        q.toMs = last + windowMs;
    }
    return q;
}

// The hunt's hashes and IPs: what the tenant is asked for when the case is hunted.
XdrAlertQuery huntTermsQuery(const HuntResult &hunt)
{
    XdrAlertQuery q;
    for (const HuntResult::Term &t : hunt.terms) {
        if (t.type == QLatin1String("sha256"))
            q.sha256 << t.value;
        else if (t.type == QLatin1String("ipv4") || t.type == QLatin1String("ipv6"))
            q.ips << t.value;
    }
    q.sha256.removeDuplicates();
    q.ips.removeDuplicates();
    return q;
}

} // namespace

StageServices composeStageServices(CaseStore &store, const StageServiceOptions &options)
{
    StageServices s;
    CaseStore *st = &store;
    s.analyzeCommandLine = [st](const QString &commandLine) -> Result<json> {
        auto analyzer = analyzerForStore(*st); // the team's custom patterns and allowlist too
        if (!analyzer)
            return analyzer.error();
        return toJson(analyzer.value()->analyze(commandLine));
    };
    s.enrichCase = [st](qint64 caseId) -> Result<json> {
        auto settings = WorkbenchSettings::enrichmentSettings(*st);
        if (!settings)
            return settings.error();
        auto report = EnrichmentService(*st, settings.value()).enrichCase(caseId);
        if (!report)
            return report.error();
        return enrichmentForPlaybook(report.value());
    };
    s.investigateEndpoint = [st, options](qint64 caseId, qint64 windowMs) -> Result<json> {
        json source;
        pullFromTenant(
            *st, options, QStringLiteral("related alerts of case %1").arg(caseId),
            [&] { return relatedAlertsQuery(*st, caseId, windowMs); }, source);
        auto inv = causa::investigateEndpoint(*st, caseId, windowMs);
        if (!inv)
            return inv.error();
        json out = investigationForPlaybook(inv.value());
        out.update(source);
        return out;
    };
    s.huntCase = [st, options](qint64 caseId) -> Result<json> {
        auto hunt = causa::huntCase(*st, caseId);
        if (!hunt)
            return hunt.error();
        json source;
        pullFromTenant(
            *st, options, QStringLiteral("hunt for case %1").arg(caseId),
            [&]() -> Result<XdrAlertQuery> { return huntTermsQuery(hunt.value()); }, source);
        if (source.value("source", std::string()) != "local store") {
            // The tenant's alerts are in the store now and may hold hits: search again.
            hunt = causa::huntCase(*st, caseId);
            if (!hunt)
                return hunt.error();
        }
        json out = huntForPlaybook(hunt.value());
        out.update(source);
        auto sigmaHits = sigmaForPlaybook(*st, caseId);
        out["sigma"] =
            sigmaHits ? sigmaHits.value() : json{{"error", js::toStd(sigmaHits.error().message)}};
        return out;
    };
    return s;
}

} // namespace causa
