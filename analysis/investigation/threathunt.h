#pragma once

#include "core/result.h"
#include "store/eventqueries.h"

#include <nlohmann/json_fwd.hpp>

#include <vector>

namespace causa {

class CaseStore;

// Playbook stage 4c: the case's remote IP(s) and causality hashes searched across every alert
// (outside the case) and every stored event and process.
struct HuntResult
{
    struct Term
    {
        QString type;
        QString value;
        QString origin; // "action_remote_ip", "causality_sha256", …
    };
    qint64 caseId = 0;
    std::vector<Term> terms;
    std::vector<HuntHit> hits;
};

// Hits outside the case's own chain count as evidence (another case, another host, or another
// process on the case's host); hits in the alert's own process chain or host logs without a
// process are kept as context. Each hit says why.
Result<HuntResult> huntCase(CaseStore &store, qint64 caseId);
Result<void> classifyHits(CaseStore &store, qint64 caseId, std::vector<HuntHit> &hits);
// Tags each hit as evidence "Found additional evidence" (kind hunt_hit); idempotent.
Result<int> recordHuntHits(CaseStore &store, const HuntResult &result, const QString &actor);
nlohmann::json toJson(const HuntResult &result);

} // namespace causa
