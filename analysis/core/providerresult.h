#pragma once

#include "core/severity.h"

#include <QString>

namespace causa {

// One provider's answer about one indicator.
struct ProviderResult
{
    QString provider;
    Score score = Score::Unknown;
    QString verdict; // human text: "12/70 engines: malicious", "allowlisted by ..."
    QString reliability = QStringLiteral("F");
    qint64 fetchedAt = 0;
    qint64 expiresAt = 0;
    QString error;       // non-empty when the lookup failed (no score then)
    QString raw;         // compact JSON of what the provider said (never a secret)
    bool cached = false; // came from the enrichments table, not a fresh lookup

    bool hasOpinion() const { return error.isEmpty() && score != Score::Unknown; }
};

} // namespace causa
