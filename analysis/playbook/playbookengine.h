#pragma once

#include "connectors/actionconnector.h"
#include "core/result.h"
#include "playbookdefinition.h"
#include "stageservices.h"
#include "store/playbooktypes.h"

#include <QSqlDatabase>

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace causa {

class CaseStore;
namespace detail {
struct StageContext;
struct StageEffects;
} // namespace detail

// A run as the analyst sees it: the run, every declared stage (pending ones included, in
// definition order) and the actions the run proposed.
struct RunView
{
    PlaybookRunRecord run;
    std::vector<StageStateRecord> stages;
    std::vector<ActionRecord> actions;
    QString nextStage;  // the stage that would run next, empty when none can
    QString waitingFor; // why the run cannot advance (approvals), empty otherwise
};
nlohmann::json toJson(const RunView &v);

// Runs a declarative playbook on a case and owns its stage and approval state, persisted in the
// store: every transition, approval, override and note is an audit entry. Stage outputs depend
// only on the case, the run's inputs and earlier stages, so a replay gives the same outputs.
class PlaybookEngine final
{
public:
    PlaybookEngine(CaseStore &store, PlaybookDefinition definition, StageServices services);

    // The connector for actions it supports, and a fallback (usually export) for the rest.
    void setConnectors(std::shared_ptr<ActionConnector> primary,
                       std::shared_ptr<ActionConnector> fallback = {});
    const PlaybookDefinition &definition() const { return m_def; }
    // Team defaults (NAME=VALUE, from the store's settings) applied before a new run's own inputs.
    void setInputDefaults(QStringList defaults) { m_inputDefaults = std::move(defaults); }

    // Starts a new run with the definition's defaults overridden by inputs (NAME=VALUE).
    Result<PlaybookRunRecord> start(qint64 caseId, const QStringList &inputs, const QString &actor);
    // The case's latest run of this playbook when it is not completed, else a new one. Inputs
    // given for an existing run must match it (a run's inputs never change under it).
    Result<PlaybookRunRecord> resumeOrStart(qint64 caseId, const QStringList &inputs,
                                            const QString &actor);
    Result<std::optional<PlaybookRunRecord>> latestRun(qint64 caseId) const;
    Result<RunView> view(qint64 runId) const;

    // Runs stages in order until one waits for approval, fails, or the playbook ends.
    Result<RunView> runAll(qint64 runId, const QString &actor);
    // Runs the next runnable stage only; returns it (or an error when none can run).
    Result<StageStateRecord> step(qint64 runId, const QString &actor);
    // Runs (or re-runs) one stage now, whatever its state; later stages are reset to pending.
    Result<StageStateRecord> runStage(qint64 runId, const QString &stageId, const QString &actor);
    Result<void> skipStage(qint64 runId, const QString &stageId, const QString &reason,
                           const QString &actor);
    // Replaces one output key of a finished stage; later stages are reset to pending.
    Result<void> overrideOutput(qint64 runId, const QString &stageId, const QString &key,
                                const nlohmann::json &value, const QString &reason,
                                const QString &actor);

    // An analyst's answer to an action; an action that becomes approved is executed at once
    // through the configured connector (exactly once).
    Result<ActionRecord> decide(qint64 actionId, const QString &approver, bool approve,
                                const QString &note);
    // Executes an approved action that was not executed yet (e.g. no connector at approval time).
    Result<ActionRecord> execute(qint64 actionId, const QString &actor);
    // The exact request or script the connector would use for the action.
    Result<nlohmann::json> preview(qint64 actionId) const;
    Result<void> addNote(qint64 caseId, const QString &author, const QString &body);

    // The analyst's decisions on the case itself. Closing needs a resolution (true_positive,
    // false_positive, benign_true_positive, duplicate, other) and a note; it completes the run's
    // Close stage with the decision beside the playbook's proposal, and skips stages the run had
    // not reached. Actions still awaiting a decision must be decided first.
    Result<void> closeCase(qint64 caseId, const QString &resolution, const QString &note,
                           const QString &actor);
    Result<void> reopenCase(qint64 caseId, const QString &reason, const QString &actor);
    // Ticks (or unticks) item `index` of the remediation checklist of a run; audited.
    Result<void> tickChecklist(qint64 runId, int index, bool done, const QString &note,
                               const QString &actor);
    // An action the analyst proposes outside the playbook's stages (from the tree, enrichment or
    // indicator views): it waits for approval like any other.
    Result<ActionRecord> proposeAction(qint64 caseId, const QString &kind, const QString &target,
                                       const QString &rationale, const QString &actor);

    static const QStringList &resolutions();

private:
    Result<void> readCase(detail::StageContext &ctx) const;
    std::optional<QString> declarativeSkip(const StageDefinition &stage,
                                           const std::map<QString, StageStateRecord> &byId) const;
    Result<void> persistEffects(QSqlDatabase &db, const PlaybookRunRecord &run,
                                const StageDefinition &stage, const detail::StageEffects &fx,
                                StageStateRecord &rec, const QString &actor,
                                std::vector<qint64> &toExecute);
    Result<nlohmann::json> adhocPayload(qint64 caseId, const QString &kind,
                                        const QString &target) const;
    Result<StageStateRecord> execStage(const PlaybookRunRecord &run, const StageDefinition &stage,
                                       const QString &actor);
    Result<void> resetAfter(const PlaybookRunRecord &run, const QString &stageId,
                            const QString &actor, const QString &why);
    Result<void> refreshRun(qint64 runId, const QString &actor);
    ActionConnector *connectorFor(const QString &kind) const;

    CaseStore &m_store;
    PlaybookDefinition m_def;
    StageServices m_services;
    std::shared_ptr<ActionConnector> m_primary;
    std::shared_ptr<ActionConnector> m_fallback;
    QStringList m_inputDefaults;
};

} // namespace causa
