#pragma once

#include "enrichmentprovider.h"

namespace causa {

// Verdicts from imported feeds (intel_entries). An allowlist entry is the organisation's own
// decision: score 1, grade A. Otherwise the highest-scoring valid entry, graded by its feed's
// confidence (unstated or >= 70: B, >= 40: C, below: D). Expired entries are ignored.
class LocalIntelProvider final : public LocalProvider
{
public:
    QString name() const override { return QStringLiteral("local-intel"); }
    QString reliability() const override { return QStringLiteral("B"); }
    bool supports(const EnrichmentSubject &subject) const override;
    ProviderResult evaluate(const EnrichmentSubject &subject) const override;

    static QString gradeForConfidence(int confidence);
};

} // namespace causa
