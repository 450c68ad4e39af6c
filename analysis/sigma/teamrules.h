#pragma once

#include "core/result.h"
#include "ruleset.h"

#include <QStringList>

#include <memory>

namespace causa {
class CaseStore;
}

namespace causa::sigma {

// The store setting that lists the team's own rule folders, separated by ';'.
inline const QString kSigmaPathsSetting = QStringLiteral("hunt.sigma_paths");
// The project's rule pack, embedded in the core's resources.
inline const QString kEmbeddedPack = QStringLiteral(":/causa/sigma");

QStringList splitRuleFolders(const QString &settingValue);
QString joinRuleFolders(const QStringList &folders);

// What one rule folder gives, for the settings' validation: whether it is a readable folder,
// how many rules load and which are skipped (path and reason).
struct RuleFolderCheck
{
    QString folder;
    bool exists = false;
    QString error; // not a folder, unreadable
    int loaded = 0;
    std::vector<SkippedRule> skipped;
};
// Reads and compiles the folder's rules (seconds for a full SigmaHQ checkout: off the GUI thread).
RuleFolderCheck checkRuleFolder(const QString &folder);

// The team's Sigma rules: the project's pack plus `folders`. A folder that does not exist (a
// shared store names folders of another analyst's machine) is listed among the skipped rules
// rather than failing the whole set. Compiled once and shared while neither the folders nor
// their files (names, sizes, times) change.
std::shared_ptr<const RuleSet> teamRuleSet(const QStringList &folders);
// The same, with the folders of the store's hunt.sigma_paths setting.
Result<std::shared_ptr<const RuleSet>> teamRuleSet(CaseStore &store);

} // namespace causa::sigma
