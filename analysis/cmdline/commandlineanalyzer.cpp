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

// Per-analysis scratch space of the rule pass, reused across the layers of one line.
struct RuleScan
{
    std::vector<qsizetype> pos;
    std::vector<int> found;
    std::vector<int> candidates;
    std::vector<char> firedRules;
    std::vector<char> presentLolbins;
};

// Where a rule fires in a layer (the span of its most specific keyword), or -1 when its
// keywords are not all there.
int ruleKeywordAt(const DetectionRule &rule, const std::vector<qsizetype> &pos)
{
    int atKeyword = -1;
    for (int id : rule.all) {
        if (pos[size_t(id)] < 0)
            return -1;
        // The span points at the most specific keyword: the last one listed.
        atKeyword = id;
    }
    if (!rule.any.isEmpty()) {
        bool anyHit = false;
        for (int id : rule.any) {
            if (pos[size_t(id)] >= 0) {
                anyHit = true;
                if (atKeyword < 0)
                    atKeyword = id;
                break;
            }
        }
        if (!anyHit)
            return -1;
    }
    for (int id : rule.none)
        if (pos[size_t(id)] >= 0)
            return -1;
    return atKeyword;
}

// The catalogue and rule keywords of layer k: which LOLBins it names and which rules fire
// (each rule once per line, in catalogue order).
void detectRules(const KnowledgeBase &kb, const QString &text, int k, const Spans &opaque,
                 RuleScan *s, AnalysisResult *r)
{
    const KeywordMatcher &matcher = kb.matcher();
    matcher.scan(text, &s->pos, &s->found, &opaque);
    s->candidates.clear();
    for (int id : s->found) {
        for (int li : kb.lolbinsNamedBy(id))
            s->presentLolbins[size_t(li)] = 1;
        for (int ri : kb.rulesTriggeredBy(id))
            if (!s->firedRules[size_t(ri)])
                s->candidates.push_back(ri);
    }
    // Rule order decides ties in the score's ordering: keep the catalogue's order.
    std::sort(s->candidates.begin(), s->candidates.end());
    s->candidates.erase(std::unique(s->candidates.begin(), s->candidates.end()),
                        s->candidates.end());
    for (int ri : s->candidates) {
        const DetectionRule &rule = kb.rules()[ri];
        const int atKeyword = ruleKeywordAt(rule, s->pos);
        if (atKeyword < 0)
            continue;
        s->firedRules[size_t(ri)] = 1;
        Finding f;
        f.category = rule.category;
        f.rule = rule.id;
        f.layer = k;
        f.start = s->pos[size_t(atKeyword)];
        f.end = f.start + matcher.length(atKeyword);
        f.match = clipped(text, f.start, f.end);
        f.mitre = rule.mitre;
        f.tactic = rule.tactic;
        f.weight = rule.weight;
        r->findings.push_back(std::move(f));
    }
}

// Findings the decoding itself is evidence of: one per transform kind.
void addLayerFindings(AnalysisResult *r)
{
    bool hadBase64 = false;
    QSet<QString> layerCategories;
    for (int k = 0; k < r->layers.size(); ++k) {
        const DecodeLayer &l = r->layers[k];
        const LayerFinding lf = layerFinding(l, hadBase64);
        hadBase64 = hadBase64 || l.transform.startsWith(QLatin1String("base64")) ||
                    l.transform == QLatin1String("gzip") || l.transform == QLatin1String("deflate");
        if (!lf.category || lf.weight <= 0)
            continue;
        Finding f;
        f.category = QString::fromLatin1(lf.category);
        f.rule = QStringLiteral("layer:") + (f.category == QLatin1String("double_encoding")
                                                 ? QStringLiteral("nested-base64")
                                                 : l.transform);
        f.layer = k; // the span is in the parent layer
        f.start = l.start;
        f.end = l.end;
        f.match = clipped(r->layerText(k), l.start, l.end);
        f.mitre = QString::fromLatin1(lf.mitre);
        f.tactic = QString::fromLatin1(lf.tactic);
        f.weight = lf.weight;
        // One finding per transform kind; more of the same adds nothing new.
        if (layerCategories.contains(f.rule))
            continue;
        layerCategories.insert(f.rule);
        r->findings.push_back(std::move(f));
    }
}

Finding indicatorFinding(const AnalysisResult &r, const ExtractedIndicator &i)
{
    Finding f;
    f.layer = i.layer;
    const qsizetype at = r.layerText(i.layer).indexOf(i.asWritten);
    f.start = qMax<qsizetype>(0, at);
    f.end = f.start + i.asWritten.size();
    f.match = i.asWritten.left(kMaxMatchChars);
    return f;
}

// Indicators: addresses written to hide them, and public network destinations.
void addIndicatorFindings(AnalysisResult *r)
{
    bool publicNetwork = false;
    int obfuscatedIps = 0;
    for (const ExtractedIndicator &i : r->indicators) {
        if (i.type == QLatin1String("ipv4") && i.obfuscated && ++obfuscatedIps <= 3) {
            Finding f = indicatorFinding(*r, i);
            f.category = QStringLiteral("obfuscated_ip");
            f.rule = QStringLiteral("ip:") + i.value;
            f.mitre = QStringLiteral("T1027");
            f.tactic = QStringLiteral("defense-evasion");
            f.weight = 45;
            r->findings.push_back(std::move(f));
        }
        if (!publicNetwork && !i.internal &&
            (i.type == QLatin1String("url") || i.type == QLatin1String("ipv4"))) {
            publicNetwork = true;
            Finding f = indicatorFinding(*r, i);
            f.category = QStringLiteral("indicators");
            f.rule = QStringLiteral("indicator:public-") + i.type;
            f.mitre = QStringLiteral("T1071.001");
            f.tactic = QStringLiteral("command-and-control");
            f.weight = 15;
            r->findings.push_back(std::move(f));
        }
    }
}

// An analyst's allowlist entry matching the line scales every finding down (and says so).
double applyAllowlist(const KnowledgeBase &kb, const QString &commandLine, AnalysisResult *r)
{
    if (kb.allowlist().isEmpty())
        return 1.0;
    const QString folded = foldForMatching(commandLine);
    // "a && b" needs every part, as custom patterns do.
    auto matches = [&folded](const QString &pattern) {
        const QStringList parts = pattern.toLower().split(QLatin1String("&&"), Qt::SkipEmptyParts);
        return !parts.isEmpty() &&
               std::all_of(parts.begin(), parts.end(), [&folded](const QString &p) {
                   return !p.trimmed().isEmpty() && folded.contains(p.trimmed());
               });
    };
    for (const CustomRule &a : kb.allowlist()) {
        if (matches(a.pattern)) {
            for (Finding &f : r->findings)
                f.note = QStringLiteral("allowlisted by '%1' v%2").arg(a.name).arg(a.version);
            return 0.2;
        }
    }
    return 1.0;
}

} // namespace

CommandLineAnalyzer::CommandLineAnalyzer() : m_knowledge(builtInKnowledge(&m_loadError)) {}

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
    // Most lines end with a dozen findings or fewer: growing the list 1, 2, 4, 8, 16 moved every
    // finding's strings four times.
    r.findings.reserve(16);
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
    // Kept per thread: the keyword positions span the whole catalogue, and filling them afresh
    // for every line cost more than the scan (KeywordMatcher::scan clears only the last hits).
    thread_local RuleScan ruleScan;
    ruleScan.firedRules.assign(size_t(kb.rules().size()), 0);
    ruleScan.presentLolbins.assign(size_t(kb.lolbins().size()), 0);
    const int layerCount = int(r.layers.size()) + 1;
    for (int k = 0; k < layerCount; ++k) {
        const QString &text = r.layerText(k);
        if (size_t(k) >= scans.size())
            scans.push_back(scanLayer(text));
        const Spans &opaque = scans[size_t(k)].opaque;
        detectRules(kb, text, k, opaque, &ruleScan, &r);
        bool shell = false;
        for (int id : kb.shellKeywords())
            shell = shell || ruleScan.pos[size_t(id)] >= 0;
        if (shell)
            detectPowerShellTraits(text, k, &r.findings, &opaque);
        detectPlainTextCredentials(text, k, &r.findings, &opaque);
        IndicatorExtractor::extract(text, k, &r.indicators, 500, &opaque);
    }
    addLayerFindings(&r);
    addIndicatorFindings(&r);
    for (int li = 0; li < kb.lolbins().size(); ++li)
        if (ruleScan.presentLolbins[size_t(li)])
            r.lolbins << kb.lolbins()[li].name;

    applyContext(&r, kb.vendorDomains(), kb.lolbinNames());
    const double allowFactor = applyAllowlist(kb, commandLine, &r);
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
