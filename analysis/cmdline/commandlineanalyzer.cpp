#include "commandlineanalyzer.h"

#include "contextrules.h"
#include "indicatorextractor.h"
#include "powershelldetectors.h"
#include "scoring.h"
#include "textscan.h"

#include <QSet>

#include <algorithm>

namespace causa {

using namespace detail;

namespace {

constexpr qsizetype kMaxMatchChars = 200;

std::shared_ptr<const KnowledgeBase> builtInKnowledge(QString *error)
{
    static const auto loaded = KnowledgeBase::loadBuiltIn();
    if (!loaded) {
        *error = loaded.error().toString();
        return {};
    }
    return loaded.value();
}

struct LayerFinding
{
    const char *category;
    const char *mitre;
    const char *tactic;
    int weight;
};

// What a decoding layer says about intent. Light escaping is normal (cmd "^&", one backtick);
// heavy use is obfuscation.
LayerFinding layerFinding(const DecodeLayer &l, bool hadBase64)
{
    const QString &t = l.transform;
    if (t.startsWith(QLatin1String("base64")))
        return hadBase64 ? LayerFinding{"double_encoding", "T1027", "defense-evasion", 45}
                         : LayerFinding{"base64", "T1027", "defense-evasion", 25};
    if (t == QLatin1String("gzip") || t == QLatin1String("deflate"))
        return {"compressed_payload", "T1027.015", "defense-evasion", 40};
    if (t == QLatin1String("reverse"))
        return {"reversed_string", "T1027.010", "defense-evasion", 40};
    const char *so = "string_obfuscation";
    if (t == QLatin1String("caret"))
        return {so, "T1027.010", "defense-evasion", l.edits >= 10 ? 40 : l.edits >= 4 ? 30 : 0};
    if (t == QLatin1String("set-variable"))
        return {so, "T1027.010", "defense-evasion", l.edits >= 2 ? 35 : 10};
    if (t == QLatin1String("env-substring"))
        return {so, "T1027.010", "defense-evasion", 45};
    if (t == QLatin1String("backtick"))
        return {so, "T1027.010", "defense-evasion", l.edits >= 2 ? 40 : 15};
    if (t == QLatin1String("char-codes"))
        return {so, "T1027.010", "defense-evasion", l.edits >= 4 ? 40 : 15};
    if (t == QLatin1String("concat"))
        return {so, "T1027.010", "defense-evasion", l.edits >= 3 ? 25 : 10};
    if (t == QLatin1String("format-operator"))
        return {so, "T1027.010", "defense-evasion", 40};
    if (t == QLatin1String("replace"))
        return {so, "T1027.010", "defense-evasion", 25};
    if (t == QLatin1String("hex-escape"))
        return {so, "T1027.010", "defense-evasion", 30};
    if (t == QLatin1String("url-decode"))
        return {so, "T1027.010", "defense-evasion", 10};
    return {nullptr, nullptr, nullptr, 0};
}

QString clipped(QStringView text, qsizetype s, qsizetype e)
{
    s = qBound<qsizetype>(0, s, text.size());
    e = qBound<qsizetype>(s, e, text.size());
    QString m = text.mid(s, qMin(e - s, kMaxMatchChars)).toString();
    if (e - s > kMaxMatchChars)
        m += QChar(0x2026);
    return m;
}

} // namespace

CommandLineAnalyzer::CommandLineAnalyzer()
    : m_knowledge(builtInKnowledge(&m_loadError))
{
}

CommandLineAnalyzer::CommandLineAnalyzer(std::shared_ptr<const KnowledgeBase> knowledge)
    : m_knowledge(std::move(knowledge))
{
    if (!m_knowledge)
        m_loadError = QStringLiteral("no knowledge base");
}

void CommandLineAnalyzer::setCustomRules(const QList<CustomRule> &rules)
{
    auto kb = KnowledgeBase::loadBuiltIn(rules);
    if (!kb) {
        m_loadError = kb.error().toString();
        return;
    }
    m_knowledge = kb.value();
    m_loadError.clear();
}

AnalysisResult CommandLineAnalyzer::analyze(const QString &commandLine) const
{
    AnalysisResult r;
    r.commandLine = commandLine;
    r.decoded = commandLine;
    if (!m_knowledge) {
        r.error = QStringLiteral("knowledge base unavailable: %1").arg(m_loadError);
        return r;
    }
    if (commandLine.size() > kMaxInputChars) {
        r.commandLine = commandLine.left(4096);
        r.decoded.clear();
        r.error = QStringLiteral("command line too long: %1 characters (limit %2)")
                      .arg(commandLine.size())
                      .arg(kMaxInputChars);
        return r;
    }
    std::vector<LayerScan> scans;
    r.layers = Decoder::decode(commandLine, m_limits, &scans);
    if (!r.layers.isEmpty())
        r.decoded = r.layers.last().text;

    const KnowledgeBase &kb = *m_knowledge;
    const KeywordMatcher &matcher = kb.matcher();
    std::vector<qsizetype> pos;
    std::vector<int> found;
    std::vector<int> candidates;
    std::vector<char> firedRules(size_t(kb.rules().size()), 0);
    std::vector<char> presentLolbins(size_t(kb.lolbins().size()), 0);
    const int layerCount = int(r.layers.size()) + 1;
    for (int k = 0; k < layerCount; ++k) {
        const QString &text = r.layerText(k);
        if (size_t(k) >= scans.size())
            scans.push_back(scanLayer(text));
        const LayerScan &scan = scans[size_t(k)];
        const Spans &opaque = scan.opaque;
        matcher.scan(text, &pos, &found, &opaque);
        candidates.clear();
        for (int id : found) {
            for (int li : kb.lolbinsNamedBy(id))
                presentLolbins[size_t(li)] = 1;
            for (int ri : kb.rulesTriggeredBy(id))
                if (!firedRules[size_t(ri)])
                    candidates.push_back(ri);
        }
        // Rule order decides ties in the score's ordering: keep the catalogue's order.
        std::sort(candidates.begin(), candidates.end());
        candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
        for (int ri : candidates) {
            const DetectionRule &rule = kb.rules()[ri];
            qsizetype at = -1;
            int atKeyword = -1;
            bool ok = true;
            for (int id : rule.all) {
                if (pos[size_t(id)] < 0) {
                    ok = false;
                    break;
                }
                // The span points at the most specific keyword: the last one listed.
                at = pos[size_t(id)];
                atKeyword = id;
            }
            if (!ok)
                continue;
            if (!rule.any.isEmpty()) {
                bool anyHit = false;
                for (int id : rule.any) {
                    if (pos[size_t(id)] >= 0) {
                        anyHit = true;
                        if (at < 0) {
                            at = pos[size_t(id)];
                            atKeyword = id;
                        }
                        break;
                    }
                }
                if (!anyHit)
                    continue;
            }
            bool excluded = false;
            for (int id : rule.none)
                excluded = excluded || pos[size_t(id)] >= 0;
            if (excluded)
                continue;
            firedRules[size_t(ri)] = 1;
            Finding f;
            f.category = rule.category;
            f.rule = rule.id;
            f.layer = k;
            f.start = at;
            f.end = at + matcher.length(atKeyword);
            f.match = clipped(text, f.start, f.end);
            f.mitre = rule.mitre;
            f.tactic = rule.tactic;
            f.weight = rule.weight;
            r.findings.push_back(std::move(f));
        }
        bool shell = false;
        for (int id : kb.shellKeywords())
            shell = shell || pos[size_t(id)] >= 0;
        if (shell)
            detectPowerShellTraits(text, k, &r.findings, &opaque);
        detectPlainTextCredentials(text, k, &r.findings, &opaque);
        IndicatorExtractor::extract(text, k, &r.indicators, 500, &opaque);
    }
    // Findings the decoding itself is evidence of.
    bool hadBase64 = false;
    QSet<QString> layerCategories;
    for (int k = 0; k < r.layers.size(); ++k) {
        const DecodeLayer &l = r.layers[k];
        const LayerFinding lf = layerFinding(l, hadBase64);
        hadBase64 = hadBase64 || l.transform.startsWith(QLatin1String("base64"))
            || l.transform == QLatin1String("gzip") || l.transform == QLatin1String("deflate");
        if (!lf.category || lf.weight <= 0)
            continue;
        Finding f;
        f.category = QString::fromLatin1(lf.category);
        f.rule = QStringLiteral("layer:")
            + (f.category == QLatin1String("double_encoding") ? QStringLiteral("nested-base64") : l.transform);
        f.layer = k; // the span is in the parent layer
        f.start = l.start;
        f.end = l.end;
        f.match = clipped(r.layerText(k), l.start, l.end);
        f.mitre = QString::fromLatin1(lf.mitre);
        f.tactic = QString::fromLatin1(lf.tactic);
        f.weight = lf.weight;
        // One finding per transform kind; more of the same adds nothing new.
        if (layerCategories.contains(f.rule))
            continue;
        layerCategories.insert(f.rule);
        r.findings.push_back(std::move(f));
    }
    // Indicators: addresses written to hide them, and public network destinations.
    bool publicNetwork = false;
    int obfuscatedIps = 0;
    for (const ExtractedIndicator &i : r.indicators) {
        if (i.type == QLatin1String("ipv4") && i.obfuscated && ++obfuscatedIps <= 3) {
            Finding f;
            f.category = QStringLiteral("obfuscated_ip");
            f.rule = QStringLiteral("ip:") + i.value;
            f.layer = i.layer;
            const qsizetype at = r.layerText(i.layer).indexOf(i.asWritten);
            f.start = qMax<qsizetype>(0, at);
            f.end = f.start + i.asWritten.size();
            f.match = i.asWritten.left(kMaxMatchChars);
            f.mitre = QStringLiteral("T1027");
            f.tactic = QStringLiteral("defense-evasion");
            f.weight = 45;
            r.findings.push_back(std::move(f));
        }
        if (!publicNetwork && !i.internal
            && (i.type == QLatin1String("url") || i.type == QLatin1String("ipv4"))) {
            publicNetwork = true;
            Finding f;
            f.category = QStringLiteral("indicators");
            f.rule = QStringLiteral("indicator:public-") + i.type;
            f.layer = i.layer;
            const qsizetype at = r.layerText(i.layer).indexOf(i.asWritten);
            f.start = qMax<qsizetype>(0, at);
            f.end = f.start + i.asWritten.size();
            f.match = i.asWritten.left(kMaxMatchChars);
            f.mitre = QStringLiteral("T1071.001");
            f.tactic = QStringLiteral("command-and-control");
            f.weight = 15;
            r.findings.push_back(std::move(f));
        }
    }
    for (int li = 0; li < kb.lolbins().size(); ++li)
        if (presentLolbins[size_t(li)])
            r.lolbins << kb.lolbins()[li].name;

    applyContext(&r, kb.vendorDomains(), kb.lolbinNames());

    double allowFactor = 1.0;
    if (!kb.allowlist().isEmpty()) {
        const QString folded = foldForMatching(commandLine);
        // "a && b" needs every part, as custom patterns do.
        auto matches = [&folded](const QString &pattern) {
            const QStringList parts = pattern.toLower().split(QLatin1String("&&"), Qt::SkipEmptyParts);
            return !parts.isEmpty() && std::all_of(parts.begin(), parts.end(), [&folded](const QString &p) {
                return !p.trimmed().isEmpty() && folded.contains(p.trimmed());
            });
        };
        for (const CustomRule &a : kb.allowlist()) {
            if (matches(a.pattern)) {
                allowFactor = 0.2;
                for (Finding &f : r.findings)
                    f.note = QStringLiteral("allowlisted by '%1' v%2").arg(a.name).arg(a.version);
                break;
            }
        }
    }
    scoreFindings(&r, allowFactor);
    scoreXsoar(&r);
    setFlags(&r);
    return r;
}

QList<ExtractedIndicator> CommandLineAnalyzer::extractIndicators(const QString &commandLine) const
{
    QList<ExtractedIndicator> out;
    if (commandLine.size() > kMaxInputChars)
        return out;
    std::vector<LayerScan> scans;
    const QList<DecodeLayer> layers = Decoder::decode(commandLine, m_limits, &scans);
    for (int k = 0; k <= layers.size(); ++k) {
        const QString &text = k == 0 ? commandLine : layers[k - 1].text;
        if (size_t(k) >= scans.size())
            scans.push_back(scanLayer(text));
        IndicatorExtractor::extract(text, k, &out, 500, &scans[size_t(k)].opaque);
    }
    return out;
}

const CommandLineAnalyzer &sharedCommandLineAnalyzer()
{
    static const CommandLineAnalyzer instance;
    return instance;
}

} // namespace causa
