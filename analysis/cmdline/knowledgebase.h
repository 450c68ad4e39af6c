#pragma once

#include "core/customrule.h"
#include "core/result.h"
#include "keywordmatcher.h"

#include <QHash>
#include <QList>
#include <QString>

#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace causa {

// One detection rule: keywords that must (all), may (any: at least one) or must not (none)
// appear in a layer. Built-in rules, LOLBin catalogue abuse patterns and analysts' custom
// patterns all become rules of this shape.
struct DetectionRule
{
    QString id;
    QString category; // SPEC §6 finding category
    QString mitre;
    QString tactic;
    QString description;
    int weight = 0;
    QList<int> all; // keyword ids in the matcher
    QList<int> any;
    QList<int> none;
    bool lolbinAbuse = false; // from the catalogue: sets SuspiciousLolbinExecution
};

// A LOLBin catalogue entry (binary, script or library) and the keyword naming it.
struct LolbinEntry
{
    QString name;           // "certutil.exe"
    QString kind;           // binary | script | library
    QStringList categories; // download, execute, awl-bypass, ...
    int nameKeyword = -1;
};

// The built-in knowledge (rules, LOLBin catalogue, ATT&CK names) compiled into one matcher,
// plus the analyst's custom rules. Immutable once built; shared between threads.
class KnowledgeBase
{
public:
    // Loads :/causa/knowledge/{cmdline-rules,lolbins,attack-techniques}.json.
    static Result<std::shared_ptr<const KnowledgeBase>>
    loadBuiltIn(const QList<CustomRule> &custom = {});
    // Same from explicit documents (tests).
    static Result<std::shared_ptr<const KnowledgeBase>> fromJson(const nlohmann::json &rules,
                                                                 const nlohmann::json &lolbins,
                                                                 const nlohmann::json &attack,
                                                                 const QList<CustomRule> &custom);

    const KeywordMatcher &matcher() const { return m_matcher; }
    const QList<DetectionRule> &rules() const { return m_rules; }
    const QList<LolbinEntry> &lolbins() const { return m_lolbins; }
    const QList<CustomRule> &allowlist() const { return m_allowlist; }
    QString techniqueName(const QString &id) const { return m_techniqueNames.value(id); }
    QString tacticOf(const QString &id) const { return m_techniqueTactics.value(id); }
    int lolbinCount() const { return int(m_lolbins.size()); }
    // Rules that can only fire when keyword `id` is present (one keyword of "all", or each
    // of "any" when "all" is empty), so a scan's hits select the few rules worth checking.
    const std::vector<int> &rulesTriggeredBy(int keywordId) const
    {
        return m_rulesByKeyword[size_t(keywordId)];
    }
    // Keywords naming a shell whose switches detectPowerShellTraits() reads.
    const QList<int> &shellKeywords() const { return m_shellKeywords; }
    // Catalogue entries named by keyword `id`.
    const std::vector<int> &lolbinsNamedBy(int keywordId) const
    {
        return m_lolbinsByKeyword[size_t(keywordId)];
    }
    // Software vendors' distribution domains (cmdline-rules.json "vendor_download_domains").
    const QStringList &vendorDomains() const { return m_vendorDomains; }
    // Every catalogue name, lowercase ("certutil.exe").
    const QStringList &lolbinNames() const { return m_lolbinNames; }

private:
    // fromJson()'s steps, in order.
    void readTechniques(const nlohmann::json &attackDoc);
    Result<void> readRules(const nlohmann::json &rulesDoc);
    void readVendorDomains(const nlohmann::json &rulesDoc);
    void readLolbins(const nlohmann::json &lolbinDoc);
    void addAbuseRules(LolbinEntry &entry, const nlohmann::json &abuses);
    void addCustomRules(const QList<CustomRule> &custom);
    void indexByKeyword();

    KeywordMatcher m_matcher;
    QList<DetectionRule> m_rules;
    QList<LolbinEntry> m_lolbins;
    QList<CustomRule> m_allowlist;
    QHash<QString, QString> m_techniqueNames;
    QHash<QString, QString> m_techniqueTactics;
    QList<int> m_shellKeywords;
    QStringList m_vendorDomains;
    QStringList m_lolbinNames;
    std::vector<std::vector<int>> m_rulesByKeyword;
    std::vector<std::vector<int>> m_lolbinsByKeyword;
};

} // namespace causa
