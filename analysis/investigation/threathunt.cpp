#include "threathunt.h"

#include "core/indicatorutil.h"
#include "core/jsonutil.h"
#include "forest/processforest.h"
#include "store/casestore.h"

#include <QSet>

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
    if (auto r = classifyHits(store, caseId, result.hits); !r)
        return r.error();
    return result;
}

Result<void> classifyHits(CaseStore &store, qint64 caseId, std::vector<HuntHit> &hits)
{
    auto endpoints = eventq::caseEndpointIds(store, caseId);
    if (!endpoints)
        return endpoints.error();
    const QSet<qint64> own(endpoints.value().begin(), endpoints.value().end());
    bool onOwnHost = false;
    for (const HuntHit &h : hits)
        onOwnHost |= h.where != QLatin1String("alert") && own.contains(h.endpointId);
    // The alert's own chain: every process below the processes the case's alerts name, with
    // every stored record merged into them (XDR instance ids and Sysmon GUIDs alike).
    std::optional<ProcessForest> forest;
    std::vector<char> inChain;
    if (onOwnHost) {
        auto input = eventq::loadForestInput(store, endpoints.value());
        if (!input)
            return input.error();
        forest = ProcessForest::build(std::move(input.value()));
        auto keys = eventq::caseAlertProcessKeys(store, caseId);
        if (!keys)
            return keys.error();
        inChain.assign(size_t(forest->size()), 0);
        std::vector<int> todo;
        for (const QString &k : keys.value())
            if (const int n = forest->indexOf(k); n >= 0)
                todo.push_back(n);
        while (!todo.empty()) {
            const int n = todo.back();
            todo.pop_back();
            if (inChain[size_t(n)])
                continue;
            inChain[size_t(n)] = 1;
            for (int c : forest->children(n))
                todo.push_back(c);
        }
    }
    for (HuntHit &h : hits) {
        if (h.where == QLatin1String("alert")) {
            h.why =
                QStringLiteral("an alert of another case (%1) on %2").arg(h.caseId).arg(h.hostName);
            continue;
        }
        if (!own.contains(h.endpointId)) {
            h.why = QStringLiteral("seen on another host (%1)")
                        .arg(h.hostName.isEmpty() ? QStringLiteral("unknown host") : h.hostName);
            continue;
        }
        const int node = forest && !h.processKey.isEmpty() ? forest->indexOf(h.processKey) : -1;
        if (h.processKey.isEmpty()) {
            h.counts = false;
            h.why =
                QStringLiteral(
                    "the case's own host log without a process (%1): part of the activity the alert reports")
                    .arg(h.summary.left(80));
        } else if (node >= 0 && inChain[size_t(node)]) {
            h.counts = false;
            h.why = QStringLiteral("the alert's own process chain (%1, PID %2)")
                        .arg(forest->node(node).imageName())
                        .arg(forest->node(node).pid());
        } else {
            h.why =
                node >= 0
                    ? QStringLiteral(
                          "on the case's host but outside the alert's process chain (%1, PID %2)")
                          .arg(forest->node(node).imageName())
                          .arg(forest->node(node).pid())
                    : QStringLiteral("on the case's host, in a process the alert does not name");
        }
    }
    return {};
}

Result<int> recordHuntHits(CaseStore &store, const HuntResult &result, const QString &actor)
{
    std::vector<HuntHit> evidence;
    std::copy_if(result.hits.begin(), result.hits.end(), std::back_inserter(evidence),
                 [](const HuntHit &h) { return h.counts; });
    return eventq::recordHuntEvidence(store, result.caseId, evidence, actor);
}

nlohmann::json toJson(const HuntResult &result)
{
    nlohmann::json terms = nlohmann::json::array();
    for (const auto &t : result.terms)
        terms.push_back({{"type", js::toStd(t.type)},
                         {"value", js::toStd(t.value)},
                         {"origin", js::toStd(t.origin)}});
    nlohmann::json hits = nlohmann::json::array();
    for (const HuntHit &h : result.hits)
        hits.push_back({{"type", js::toStd(h.indicatorType)},
                        {"value", js::toStd(h.value)},
                        {"where", js::toStd(h.where)},
                        {"ref_id", h.refId},
                        {"case_id", h.caseId},
                        {"field", js::toStd(h.field)},
                        {"host", js::toStd(h.hostName)},
                        {"ts", h.ts},
                        {"summary", js::toStd(h.summary)},
                        {"counts", h.counts},
                        {"why", js::toStd(h.why)}});
    const auto counting = std::count_if(result.hits.begin(), result.hits.end(),
                                        [](const HuntHit &h) { return h.counts; });
    return {{"case_id", result.caseId},
            {"terms", terms},
            {"hits", hits},
            {"hit_count", counting},
            {"context_count", qint64(result.hits.size()) - counting}};
}

} // namespace causa
