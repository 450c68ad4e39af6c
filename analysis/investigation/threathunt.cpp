#include "threathunt.h"

#include "core/indicatorutil.h"
#include "core/jsonutil.h"
#include "store/casestore.h"

#include <nlohmann/json.hpp>

namespace causa {

Result<HuntResult> huntCase(CaseStore &store, qint64 caseId)
{
    HuntResult result;
    result.caseId = caseId;
    auto alerts = eventq::alertsOfCase(store, caseId);
    if (!alerts)
        return alerts.error();
    auto addTerm = [&result](const QString &type, const QString &value, const QString &origin) {
        for (const auto &t : result.terms)
            if (t.type == type && t.value == value)
                return;
        result.terms.push_back({type, value, origin});
    };
    for (const AlertBrief &a : alerts.value()) {
        QString type;
        const QString ip = indicator::normaliseIp(a.remoteIp, &type);
        if (!ip.isEmpty())
            addTerm(type, ip, QStringLiteral("action_remote_ip"));
    }
    auto hashes = eventq::causalityHashesOfCase(store, caseId);
    if (!hashes)
        return hashes.error();
    for (const auto &[type, value] : hashes.value())
        addTerm(type, value, QStringLiteral("causality_") + type);
    for (const auto &t : result.terms) {
        auto hits = eventq::huntValue(store, t.type, t.value, caseId);
        if (!hits)
            return hits.error();
        for (HuntHit &h : hits.value())
            result.hits.push_back(std::move(h));
    }
    return result;
}

Result<int> recordHuntHits(CaseStore &store, const HuntResult &result, const QString &actor)
{
    return eventq::recordHuntEvidence(store, result.caseId, result.hits, actor);
}

nlohmann::json toJson(const HuntResult &result)
{
    nlohmann::json terms = nlohmann::json::array();
    for (const auto &t : result.terms)
        terms.push_back({{"type", js::toStd(t.type)}, {"value", js::toStd(t.value)},
                         {"origin", js::toStd(t.origin)}});
    nlohmann::json hits = nlohmann::json::array();
    for (const HuntHit &h : result.hits)
        hits.push_back({{"type", js::toStd(h.indicatorType)}, {"value", js::toStd(h.value)},
                        {"where", js::toStd(h.where)}, {"ref_id", h.refId}, {"case_id", h.caseId},
                        {"field", js::toStd(h.field)}, {"host", js::toStd(h.hostName)}, {"ts", h.ts},
                        {"summary", js::toStd(h.summary)}});
    return {{"case_id", result.caseId}, {"terms", terms}, {"hits", hits},
            {"hit_count", result.hits.size()}};
}

} // namespace causa
