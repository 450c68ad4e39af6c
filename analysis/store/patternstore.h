#pragma once

#include "core/customrule.h"
#include "core/result.h"

#include <QList>
#include <QString>

namespace causa {

class CaseStore;

// A row of analysis_patterns: one version of an analyst's custom pattern or allowlist entry.
struct StoredPattern
{
    qint64 id = 0;
    CustomRule rule;
    bool active = true;
    QString createdBy;
    qint64 createdAt = 0;
};

// Versioned custom command-line patterns and allowlist entries (SPEC §6). Saving a rule under
// an existing name adds a new version and retires the previous one; nothing is overwritten.
namespace patternstore {

// kind: "pattern" or "allowlist". Returns the stored row (with its new version).
Result<StoredPattern> save(CaseStore &store, const CustomRule &rule, const QString &createdBy);
// Retires every version of kind/name (history is kept).
Result<void> retire(CaseStore &store, const QString &kind, const QString &name);
// All versions, newest first per name; activeOnly = only the current version of each.
Result<QList<StoredPattern>> list(const CaseStore &store, bool activeOnly);
// The active rules, ready for CommandLineAnalyzer::setCustomRules().
Result<QList<CustomRule>> activeRules(const CaseStore &store);

} // namespace patternstore
} // namespace causa
