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

// The composition root for stage services: wires every analysis service this build has.
StageServices composeStageServices(CaseStore &store);

} // namespace causa
