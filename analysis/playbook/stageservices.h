#pragma once

#include "core/result.h"

#include <QString>

#include <nlohmann/json.hpp>

#include <functional>

namespace causa {

class CaseStore;

// The analysis services that stages 3-4c call, as replaceable hooks. An empty hook means the
// service is not available in this build: the stage then completes as "unavailable" and says so;
// it never invents a result. Each hook returns plain JSON so stage outputs stay replayable.
struct StageServices
{
    // Stage 3: {"indicators": [{"indicator_id", "type", "value", "score" (0-3), "verdict"?}]}
    std::function<Result<nlohmann::json>(qint64 caseId)> enrichCase;
    // Stage 4a: one command line -> {"verdict", "score", "flags": {...}, "findings": [...], ...}
    std::function<Result<nlohmann::json>(const QString &commandLine)> analyzeCommandLine;
    // Stage 4b: {"alerts": [...], "by_tactic": {...}, "high": n, "critical": n}
    std::function<Result<nlohmann::json>(qint64 caseId, qint64 windowMs)> investigateEndpoint;
    // Stage 4c: {"hits": [{"kind", "ref", "label", "detail"}]}
    std::function<Result<nlohmann::json>(qint64 caseId)> huntCase;
};

// Where stages 4b/4c look beyond the local store.
struct StageServiceOptions
{
    // The Cortex XDR tenant to ask for related alerts (4b) and hunt hits (4c): empty = the
    // store's default tenant, or its only one; none configured = local store only.
    QString tenant;
    bool useTenant = true;
    int retryBackoffMs = 1000; // XDR 429/5xx backoff (tests shorten it)
};

// The composition root for stage services: wires every analysis service this build has.
// With a tenant, 4b and 4c first pull the matching alerts from it (one transaction, through the
// XDR importer) and then answer from the store; their output names the source either way
// ("source": "tenant NAME" or "local store", with "tenant_error" when the tenant failed).
StageServices composeStageServices(CaseStore &store, const StageServiceOptions &options = {});

} // namespace causa
