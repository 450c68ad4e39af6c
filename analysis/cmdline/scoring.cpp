#include "scoring.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <vector>

namespace causa::detail {

namespace {

// The distinct categories of a line's findings: a handful, so a linear look beats hashing (a
// QSet cost more than the scoring itself).
class CategorySet
{
public:
    // True when c was not there yet.
    bool insert(const QString &c)
    {
        for (const QString *s : m_seen)
            if (*s == c)
                return false;
        m_seen.push_back(&c);
        return true;
    }
    const std::vector<const QString *> &items() const { return m_seen; }

private:
    std::vector<const QString *> m_seen;
};

} // namespace

void scoreFindings(AnalysisResult *r, double allowlistFactor)
{
    struct Item
    {
        int index;
        double weight;
    };
    QList<Item> items;
    for (int i = 0; i < r->findings.size(); ++i)
        items.push_back({i, r->findings[i].weight * allowlistFactor});
    std::stable_sort(items.begin(), items.end(),
                     [](const Item &a, const Item &b) { return a.weight > b.weight; });
    CategorySet seenCategory;
    double remaining = 1.0; // probability mass not yet explained as malicious
    int shown = 0;
    for (const Item &it : items) {
        Finding &f = r->findings[it.index];
        double w = it.weight / 100.0;
        // A second finding of the same category is correlated evidence, not independent.
        if (!seenCategory.insert(f.category))
            w *= 0.5;
        w = std::clamp(w, 0.0, 0.99);
        remaining *= (1.0 - w);
        const int now = int(std::lround(100.0 * (1.0 - remaining)));
        f.contribution = now - shown;
        shown = now;
    }
    r->score = std::clamp(shown, 0, 100);
    std::stable_sort(r->findings.begin(), r->findings.end(),
                     [](const Finding &a, const Finding &b) {
                         if (a.contribution != b.contribution)
                             return a.contribution > b.contribution;
                         return a.weight > b.weight;
                     });
    r->risk = riskForScore(r->score);
    r->verdict = verdictForScore(r->score);
}

void scoreXsoar(AnalysisResult *r)
{
    static const QHash<QString, int> tier = [] {
        QHash<QString, int> t;
        for (const char *c :
             {"amsi_bypass", "credential_access", "offensive_tool", "process_injection"})
            t.insert(QString::fromLatin1(c), 35);
        for (const char *c : {"download_cradle", "double_encoding", "dynamic_code_execution",
                              "lateral_movement", "exfiltration", "persistence",
                              "lolbin_proxy_execution", "defense_evasion", "compressed_payload"})
            t.insert(QString::fromLatin1(c), 25);
        for (const char *c : {"base64", "reversed_string", "suspicious_parameters",
                              "reconnaissance", "string_obfuscation", "obfuscated_ip"})
            t.insert(QString::fromLatin1(c), 15);
        for (const char *c : {"temp_path", "indicators"})
            t.insert(QString::fromLatin1(c), 10);
        t.insert(QStringLiteral("mixed_case_powershell"), 5);
        return t;
    }();
    CategorySet fired;
    for (const Finding &f : r->findings)
        fired.insert(f.category);
    int raw = 0;
    int high = 0;
    int medium = 0;
    for (const QString *c : fired.items()) {
        const int points = tier.value(*c, 15); // custom categories score like the middle tier
        raw += points;
        high += points == 35;
        medium += points == 25;
    }
    if (fired.items().size() >= 2)
        raw += high >= 2 ? 30 : (high >= 1 && medium >= 1) ? 20 : 10;
    r->xsoarScore = std::min(100, int(std::lround(raw * 100.0 / 120.0)));
    r->xsoarRisk = riskForScore(r->xsoarScore);
}

void setFlags(AnalysisResult *r)
{
    CommandLineFlags &f = r->flags;
    for (const Finding &x : r->findings) {
        const QString &c = x.category;
        if (c == QLatin1String("base64") || c == QLatin1String("double_encoding") ||
            c == QLatin1String("compressed_payload"))
            f.base64 = true;
        else if (c == QLatin1String("suspicious_parameters"))
            f.suspiciousParameters = true;
        else if (c == QLatin1String("download_cradle") || c == QLatin1String("exfiltration"))
            f.networkActivity = true;
        else if (c == QLatin1String("offensive_tool") || c == QLatin1String("credential_access"))
            f.maliciousTools = true;
        else if (c == QLatin1String("amsi_bypass"))
            f.amsi = true;
        if (x.rule.startsWith(QLatin1String("lolbin:")))
            f.suspiciousLolbinExecution = true;
    }
    for (const ExtractedIndicator &i : r->indicators) {
        const bool network = i.type == QLatin1String("url") || i.type == QLatin1String("ipv4") ||
                             i.type == QLatin1String("domain") || i.type == QLatin1String("ipv6");
        if (!i.internal &&
            (network || i.type.startsWith(QLatin1String("sha")) || i.type == QLatin1String("md5")))
            f.foundIndicators = true;
        if (network && !i.internal)
            f.networkActivity = true;
    }
}

} // namespace causa::detail
