#include "stageservices.h"

#include "cmdline/commandlineanalyzer.h"
#include "core/jsonutil.h"
#include "enrichment/enrichmentservice.h"
#include "investigation/endpointinvestigation.h"
#include "investigation/threathunt.h"
#include "store/casestore.h"

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
            alerts.push_back({{"id", a.id}, {"name", js::toStd(a.name)},
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
    for (const HuntHit &h : hunt.hits) {
        const QString ref = h.where + QLatin1Char(':') + QString::number(h.refId);
        hits.push_back({{"kind", "hunt_hit"},
                        {"ref", js::toStd(ref)},
                        {"label", "Found additional evidence"},
                        {"detail", js::toStd(QStringLiteral("%1 %2 in %3 %4 (%5)")
                                                 .arg(h.indicatorType, h.value, h.where, h.field, h.hostName))},
                        {"type", js::toStd(h.indicatorType)},
                        {"value", js::toStd(h.value)},
                        {"where", js::toStd(h.where)},
                        {"case_id", h.caseId}});
    }
    out["hits"] = hits;
    return out;
}

} // namespace

StageServices composeStageServices(CaseStore &store)
{
    StageServices s;
    CaseStore *st = &store;
    s.analyzeCommandLine = [](const QString &commandLine) -> Result<json> {
        return toJson(sharedCommandLineAnalyzer().analyze(commandLine));
    };
    s.enrichCase = [st](qint64 caseId) -> Result<json> {
        auto report = EnrichmentService(*st, EnrichmentSettings::fromEnvironment()).enrichCase(caseId);
        if (!report)
            return report.error();
        return enrichmentForPlaybook(report.value());
    };
    s.investigateEndpoint = [st](qint64 caseId, qint64 windowMs) -> Result<json> {
        auto inv = causa::investigateEndpoint(*st, caseId, windowMs);
        if (!inv)
            return inv.error();
        return investigationForPlaybook(inv.value());
    };
    s.huntCase = [st](qint64 caseId) -> Result<json> {
        auto hunt = causa::huntCase(*st, caseId);
        if (!hunt)
            return hunt.error();
        return huntForPlaybook(hunt.value());
    };
    return s;
}

} // namespace causa
