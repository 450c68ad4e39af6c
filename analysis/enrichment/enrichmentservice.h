#pragma once

#include "core/result.h"
#include "enrichmentprovider.h"
#include "enrichmentsettings.h"
#include "enrichmenttypes.h"

#include <QHash>

#include <memory>
#include <utility>
#include <vector>

class QNetworkAccessManager;

namespace causa {

class CaseStore;

// Enriches a case's indicators through every provider (local intel, built-in knowledge, the
// alerts' WildFire verdicts, VirusTotal, AbuseIPDB), applies the sharing policy, caches results
// in the store with their TTL and merges them into one DBot score per indicator. Synchronous for
// its callers: enrichCase runs a local event loop for the online lookups, so it works from the
// CLI, tests and worker threads alike (each thread uses its own store connection).
class EnrichmentService final
{
public:
    EnrichmentService(CaseStore &store, EnrichmentSettings settings);
    ~EnrichmentService();
    EnrichmentService(const EnrichmentService &) = delete;
    EnrichmentService &operator=(const EnrichmentService &) = delete;

    const EnrichmentSettings &settings() const { return m_settings; }

    // Looks every indicator up (online ones only when the policy allows and the cache is stale),
    // stores fresh results and returns the merged report.
    Result<EnrichmentReport> enrichCase(qint64 caseId);
    // The report from what is already in the store; nothing is looked up.
    Result<EnrichmentReport> cachedReport(qint64 caseId) const;
    // Records the analyst's verdict (it always wins) and audits it in every case holding the
    // indicator.
    Result<void> setManualVerdict(qint64 indicatorId, Score score, QString reason, QString analyst);
    // Exactly the requests enrichCase would send now (API keys redacted); empty when offline.
    std::vector<OutboundRequest> preview(qint64 caseId) const;

private:
    struct Providers
    {
        std::unique_ptr<QNetworkAccessManager> network;
        std::vector<std::unique_ptr<EnrichmentProvider>> list;
        QStringList notes;
    };
    Providers makeProviders(bool withNetwork) const;
    Result<std::vector<EnrichmentSubject>> gatherSubjects(qint64 caseId) const;
    EnrichmentReport assemble(qint64 caseId, const std::vector<EnrichmentSubject> &subjects,
                              std::vector<std::vector<ProviderResult>> results,
                              std::vector<std::vector<Withheld>> withheld) const;
    // enrichCase's steps: the cached results, then one round of lookups.
    using CachedResults = QHash<qint64, QHash<QString, ProviderResult>>; // indicator, provider
    struct Round
    {
        std::vector<std::vector<ProviderResult>> results;     // per subject
        std::vector<std::vector<Withheld>> withheld;          // per subject
        std::vector<std::pair<qint64, ProviderResult>> fresh; // indicator id, result to cache
    };
    Result<CachedResults> cachedResultsOf(qint64 caseId) const;
    void lookUp(const std::vector<EnrichmentSubject> &subjects, const Providers &providers,
                const CachedResults &cached, Round &round) const;

    CaseStore &m_store;
    EnrichmentSettings m_settings;
};

} // namespace causa
