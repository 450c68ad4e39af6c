#pragma once

#include "core/severity.h"
#include "playbookdefinition.h"
#include "stageservices.h"
#include "store/playbooktypes.h"
#include "store/storetypes.h"

#include <map>
#include <optional>

namespace causa {

class CaseStore;

namespace detail {

// Everything a stage may read: the case as stored, the run's inputs and earlier stages.
struct StageContext
{
    CaseStore &store;
    const PlaybookDefinition &definition;
    const StageDefinition &stage;
    const PlaybookRunRecord &run;
    const std::map<QString, StageStateRecord> &stages; // by stage id
    const StageServices &services;
    CaseSummary caseSummary;
    std::vector<StoredAlert> alerts;
    std::vector<StoredProcess> processes;
    std::vector<CaseIndicator> indicators;
    qint64 endpointEvents = -1; // events stored for the case's endpoints (-1: not counted)

    const nlohmann::json &outputsOf(const QString &stageId) const;
    StageState stateOf(const QString &stageId) const;
    const StoredAlert *primaryAlert() const;
    const StoredProcess *processInRole(const QString &role, const QString &alertId) const;
};

struct EvidenceTag
{
    QString kind;
    QString ref;
    QString label;
    QString detail;
};

// What a stage decided. The engine persists all of it, with the audit entry, in one transaction.
struct StageEffects
{
    StageState state = StageState::Completed; // AwaitingDecision: the analyst closes
    QString reason;
    nlohmann::json outputs = nlohmann::json::object();
    std::vector<ActionRecord> proposals;
    std::vector<EvidenceTag> evidence;
    std::optional<Severity> raiseSeverityTo;
    QString severityReason;
    bool closeCase = false;
    QString closeVerdict;
    QString resolutionNote;
};

// Runs the executor named in the stage definition. Reads only; never writes the store.
StageEffects runExecutor(const StageContext &ctx);

// The key that makes an action unique per case, kind and target, whatever run proposes it.
QString idempotencyKey(qint64 caseId, const QString &kind, const QString &target);

} // namespace detail
} // namespace causa
