#include "analysisresult.h"

#include "core/jsonutil.h"

#include <nlohmann/json.hpp>

namespace causa {

namespace {

nlohmann::json span(qsizetype s, qsizetype e)
{
    return nlohmann::json::array({static_cast<qint64>(s), static_cast<qint64>(e)});
}

} // namespace

QString riskForScore(int score)
{
    if (score > 90)
        return QStringLiteral("Critical");
    if (score > 50)
        return QStringLiteral("High");
    if (score > 25)
        return QStringLiteral("Medium");
    return QStringLiteral("Low");
}

QString verdictForScore(int score)
{
    if (score >= 51)
        return QStringLiteral("malicious");
    if (score >= 26)
        return QStringLiteral("suspicious");
    return QStringLiteral("benign");
}

nlohmann::json toJson(const AnalysisResult &r)
{
    using nlohmann::json;
    if (!r.error.isEmpty())
        return errorJson(r.commandLine, r.error);
    json layers = json::array();
    for (const DecodeLayer &l : r.layers) {
        json o = {{"transform", js::toStd(l.transform)},
                  {"span", span(l.start, l.end)},
                  {"text", js::toStd(l.text)}};
        if (!l.note.isEmpty())
            o["note"] = js::toStd(l.note);
        layers.push_back(std::move(o));
    }
    json findings = json::array();
    for (const Finding &f : r.findings) {
        json o = {{"category", js::toStd(f.category)}, {"rule", js::toStd(f.rule)},
                  {"match", js::toStd(f.match)},       {"layer", f.layer},
                  {"span", span(f.start, f.end)},      {"mitre", js::toStd(f.mitre)},
                  {"tactic", js::toStd(f.tactic)},     {"weight", f.weight},
                  {"contribution", f.contribution}};
        if (!f.note.isEmpty())
            o["note"] = js::toStd(f.note);
        findings.push_back(std::move(o));
    }
    json indicators = json::array();
    for (const ExtractedIndicator &i : r.indicators) {
        indicators.push_back({{"type", js::toStd(i.type)},
                              {"value", js::toStd(i.value)},
                              {"as_written", js::toStd(i.asWritten)},
                              {"layer", i.layer},
                              {"internal", i.internal},
                              {"obfuscated", i.obfuscated}});
    }
    json lolbins = json::array();
    for (const QString &l : r.lolbins)
        lolbins.push_back(js::toStd(l));
    const CommandLineFlags &f = r.flags;
    return json{{"command_line", js::toStd(r.commandLine)},
                {"decoded", js::toStd(r.decoded)},
                {"layers", std::move(layers)},
                {"findings", std::move(findings)},
                {"indicators", std::move(indicators)},
                {"lolbins", std::move(lolbins)},
                {"flags",
                 {{"base64", f.base64},
                  {"suspiciousParameters", f.suspiciousParameters},
                  {"networkActivity", f.networkActivity},
                  {"maliciousTools", f.maliciousTools},
                  {"AMSI", f.amsi},
                  {"foundIndicators", f.foundIndicators},
                  {"SuspiciousLolbinExecution", f.suspiciousLolbinExecution}}},
                {"score", r.score},
                {"risk", js::toStd(r.risk)},
                {"verdict", js::toStd(r.verdict)},
                {"xsoar_score", r.xsoarScore},
                {"xsoar_risk", js::toStd(r.xsoarRisk)}};
}

nlohmann::json errorJson(const QString &commandLine, const QString &error)
{
    return nlohmann::json{{"command_line", js::toStd(commandLine)}, {"error", js::toStd(error)}};
}

} // namespace causa
