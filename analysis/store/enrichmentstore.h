#pragma once

#include "core/enrichmentsubject.h"
#include "core/providerresult.h"
#include "core/result.h"

#include <QSqlDatabase>

#include <vector>

namespace causa {

// SQL of the enrichment area: the indicators of a case with their markings and manual verdicts,
// the local facts providers read, the TTL cache (enrichments) and manual verdicts.
namespace enrichmentstore {

struct HashProcess
{
    QString sha256;
    QString sha1;
    QString md5;
    EnrichmentSubject::Process process;
};

// Indicators of the case (no intel, processes or verdicts filled in yet), in type/value order.
Result<std::vector<EnrichmentSubject>> subjectsOfCase(const QSqlDatabase &db, qint64 caseId);
Result<EnrichmentSubject> subject(const QSqlDatabase &db, qint64 indicatorId);
Result<std::vector<HashProcess>> processesOfCase(const QSqlDatabase &db, qint64 caseId);
// The case's alerts as received (JSON text), for the source's own verdicts.
Result<QStringList> alertRawsOfCase(const QSqlDatabase &db, qint64 caseId);
// Cached provider results of the case's indicators: (indicator id, result with cached = true).
Result<std::vector<std::pair<qint64, ProviderResult>>> cachedResults(const QSqlDatabase &db,
                                                                     qint64 caseId);
// Upserts results (one row per indicator and provider); run inside a transaction.
Result<void> saveResults(QSqlDatabase &db,
                         const std::vector<std::pair<qint64, ProviderResult>> &results);
// Sets the manual verdict and returns the ids of the cases that hold the indicator.
Result<std::vector<qint64>> setManualVerdict(QSqlDatabase &db, qint64 indicatorId, int score,
                                             const QString &reason, const QString &analyst);

} // namespace enrichmentstore
} // namespace causa
