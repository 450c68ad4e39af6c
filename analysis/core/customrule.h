#pragma once

#include <QString>

namespace causa {

// An analyst's stored rule (SPEC §6): a pattern with a category and weight, or an allowlist
// entry. Versioned in the store (analysis_patterns).
struct CustomRule
{
    QString kind; // "pattern" | "allowlist"
    QString name;
    QString pattern;  // case-insensitive substring; "a && b" requires both
    QString category; // pattern: the finding category (default "suspicious_parameters")
    int weight = 0;
    int version = 1;
};

} // namespace causa
