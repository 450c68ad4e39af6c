#include "enrichmenttypes.h"

#include "core/jsonutil.h"

#include <nlohmann/json.hpp>

namespace causa {

int reliabilityRank(const QString &grade)
{
    if (grade.size() != 1)
        return 5;
    const char16_t c = grade.at(0).toUpper().unicode();
    return c >= u'A' && c <= u'F' ? int(c - u'A') : 5;
}

nlohmann::json OutboundRequest::toJson() const
{
    nlohmann::json h = nlohmann::json::object();
    for (const auto &[name, value] : headers)
        h[name.toStdString()] = value.toStdString();
    return {{"indicator_id", indicatorId},
            {"provider", js::toStd(provider)},
            {"method", method.toStdString()},
            {"url", js::toStd(url.toString(QUrl::FullyEncoded))},
            {"headers", h}};
}

nlohmann::json IndicatorEnrichment::toJson() const
{
    nlohmann::json results_ = nlohmann::json::array();
    for (const ProviderResult &r : results) {
        nlohmann::json j{{"provider", js::toStd(r.provider)},
                         {"score", int(r.score)},
                         {"verdict", js::toStd(r.verdict)},
                         {"reliability", js::toStd(r.reliability)},
                         {"fetched_at", r.fetchedAt},
                         {"expires_at", r.expiresAt},
                         {"cached", r.cached}};
        if (!r.error.isEmpty())
            j["error"] = js::toStd(r.error);
        results_.push_back(std::move(j));
    }
    nlohmann::json withheld_ = nlohmann::json::array();
    for (const Withheld &w : withheld)
        withheld_.push_back({{"provider", js::toStd(w.provider)}, {"reason", js::toStd(w.reason)}});
    nlohmann::json j{{"indicator_id", indicatorId},
                     {"type", js::toStd(type)},
                     {"value", js::toStd(value)},
                     {"internal", internal},
                     {"score", int(mergedScore)},
                     {"verdict", js::toStd(scoreName(mergedScore))},
                     {"decided_by", js::toStd(decidedBy)},
                     {"results", results_},
                     {"withheld", withheld_}};
    if (manualScore >= 0)
        j["manual"] = {{"score", manualScore},
                       {"reason", js::toStd(manualReason)},
                       {"by", js::toStd(manualBy)}};
    else
        j["manual"] = nullptr;
    return j;
}

const IndicatorEnrichment *EnrichmentReport::find(const QString &type, const QString &value) const
{
    for (const IndicatorEnrichment &i : indicators)
        if (i.type == type && i.value == value)
            return &i;
    return nullptr;
}

nlohmann::json EnrichmentReport::toJson() const
{
    nlohmann::json list = nlohmann::json::array();
    for (const IndicatorEnrichment &i : indicators)
        list.push_back(i.toJson());
    nlohmann::json notes_ = nlohmann::json::array();
    for (const QString &n : notes)
        notes_.push_back(js::toStd(n));
    return {{"case_id", caseId},
            {"offline", offline},
            {"generated_at", generatedAt},
            {"notes", notes_},
            {"indicators", list}};
}

} // namespace causa
