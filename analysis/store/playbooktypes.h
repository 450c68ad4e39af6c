#pragma once

#include <QLatin1String>
#include <QString>

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace causa {

// The states of a run, a stage and an action. The code works with these; they become text only
// where they are stored (the state columns), printed (--json) or shown, through toText().

enum class RunState
{
    Running,
    AwaitingApproval,
    AwaitingDecision,
    Completed,
    Failed
};

// AwaitingDecision: the closing stage proposed a resolution and waits for the analyst to close.
enum class StageState
{
    Pending,
    Running,
    Completed,
    Skipped,
    AwaitingApproval,
    AwaitingDecision,
    Unavailable,
    Failed
};

enum class ActionState
{
    Proposed,
    AwaitingApproval,
    Approved,
    Executing,
    Succeeded,
    Failed,
    Rejected
};

QLatin1String toText(RunState s);
QLatin1String toText(StageState s);
QLatin1String toText(ActionState s);
// The state a stored text names, or nothing for a text this version does not know.
std::optional<RunState> runStateFromText(QStringView text);
std::optional<StageState> stageStateFromText(QStringView text);
std::optional<ActionState> actionStateFromText(QStringView text);

// A state read back from the store; a text this version does not know reads as Failed (never
// as a state that would run or execute anything) and is logged.
RunState storedRunState(const QString &text);
StageState storedStageState(const QString &text);
ActionState storedActionState(const QString &text);

// A stage that will not run again in this run (completed, skipped, unavailable).
bool isFinished(StageState s);

// One run of a playbook on a case, as persisted in playbook_runs.
struct PlaybookRunRecord
{
    qint64 id = 0;
    qint64 caseId = 0;
    QString playbookId;
    QString playbookVersion;
    nlohmann::json inputs = nlohmann::json::object();
    RunState state = RunState::Running;
    QString startedBy;
    qint64 startedAt = 0;
    qint64 updatedAt = 0;
    int rowVersion = 0;
};

// One stage's persisted state (stage_states).
struct StageStateRecord
{
    QString stageId;
    StageState state = StageState::Pending;
    nlohmann::json inputs = nlohmann::json::object();
    nlohmann::json outputs = nlohmann::json::object();
    QString actor;
    QString reason;
    qint64 startedAt = 0;
    qint64 finishedAt = 0;
};

struct ApprovalRecord
{
    QString approver;
    QString decision; // approve, reject
    QString note;
    qint64 decidedAt = 0;
    // Who the store vouches for beside the typed name: the PostgreSQL session user on a team
    // store, the operating-system user on a local SQLite store.
    QString login;
};

// A response action (SPEC §9) with its approvals.
struct ActionRecord
{
    qint64 id = 0;
    qint64 caseId = 0;
    qint64 runId = 0;
    QString stageId;
    QString kind; // terminate_causality, terminate_process, block_hash, block_ip, block_url,
                  // block_domain, disable_user, isolate_endpoint
    QString target;
    nlohmann::json payload = nlohmann::json::object();
    QString rationale;
    ActionState state = ActionState::Proposed;
    QString connector;
    nlohmann::json result; // null until executed
    QString idempotencyKey;
    int requiredApprovals = 1;
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
    qint64 executedAt = 0;
    int rowVersion = 1;
    std::vector<ApprovalRecord> approvals;

    bool decided() const;
};

nlohmann::json toJson(const ActionRecord &a);
nlohmann::json toJson(const StageStateRecord &s);
nlohmann::json toJson(const PlaybookRunRecord &r);

} // namespace causa
