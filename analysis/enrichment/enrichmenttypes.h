#pragma once

#include "core/enrichmentsubject.h"
#include "core/providerresult.h"
#include "core/severity.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <nlohmann/json_fwd.hpp>

#include <vector>

namespace causa {

// Reliability grades follow the Admiralty code: A completely reliable ... F cannot be judged.
// Lower rank = more reliable.
int reliabilityRank(const QString &grade);

// One HTTP request a provider sends (or, in a preview, would send).
struct OutboundRequest
{
    qint64 indicatorId = 0;
    QString provider;
    QByteArray method = QByteArrayLiteral("GET");
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers; // secrets redacted in previews

    nlohmann::json toJson() const;
};

// Why an indicator was not sent to a remote provider.
struct Withheld
{
    QString provider;
    QString reason; // "offline", "internal address", "TLP:RED", "PAP:RED"
};

// The enrichment of one case indicator.
struct IndicatorEnrichment
{
    qint64 indicatorId = 0;
    QString type;
    QString value;
    bool internal = false;
    Score mergedScore = Score::Unknown;
    QString decidedBy; // provider whose result set the score, "manual", or ""
    int manualScore = -1;
    QString manualReason;
    QString manualBy;
    std::vector<ProviderResult> results;
    std::vector<Withheld> withheld;

    nlohmann::json toJson() const;
};

// The enrichment of a case: one entry per indicator, in the store's indicator order.
struct EnrichmentReport
{
    qint64 caseId = 0;
    bool offline = false;
    qint64 generatedAt = 0;
    QStringList notes; // "virustotal: no API key configured" ...
    std::vector<IndicatorEnrichment> indicators;

    const IndicatorEnrichment *find(const QString &type, const QString &value) const;
    nlohmann::json toJson() const;
};

} // namespace causa
