#include "playbooktypes.h"

#include "core/jsonutil.h"
#include "core/logging.h"

namespace causa {

using nlohmann::json;

namespace {

template<typename E, std::size_t N>
std::optional<E> fromText(const std::pair<E, const char *> (&names)[N], QStringView text)
{
    for (const auto &[value, name] : names)
        if (text == QLatin1String(name))
            return value;
    return std::nullopt;
}

template<typename E, std::size_t N>
QLatin1String textOf(const std::pair<E, const char *> (&names)[N], E value)
{
    for (const auto &[v, name] : names)
        if (v == value)
            return QLatin1String(name);
    return QLatin1String("unknown");
}

// The stored spellings; changing one is a schema migration.
const std::pair<RunState, const char *> kRunStates[] = {
    {RunState::Running, "running"},
    {RunState::AwaitingApproval, "awaiting_approval"},
    {RunState::AwaitingDecision, "awaiting_decision"},
    {RunState::Completed, "completed"},
    {RunState::Failed, "failed"},
};

const std::pair<StageState, const char *> kStageStates[] = {
    {StageState::Pending, "pending"},
    {StageState::Running, "running"},
    {StageState::Completed, "completed"},
    {StageState::Skipped, "skipped"},
    {StageState::AwaitingApproval, "awaiting_approval"},
    {StageState::AwaitingDecision, "awaiting_decision"},
    {StageState::Unavailable, "unavailable"},
    {StageState::Failed, "failed"},
};

const std::pair<ActionState, const char *> kActionStates[] = {
    {ActionState::Proposed, "proposed"},   {ActionState::AwaitingApproval, "awaiting_approval"},
    {ActionState::Approved, "approved"},   {ActionState::Executing, "executing"},
    {ActionState::Succeeded, "succeeded"}, {ActionState::Failed, "failed"},
    {ActionState::Rejected, "rejected"},
};

} // namespace

QLatin1String toText(RunState s)
{
    return textOf(kRunStates, s);
}
QLatin1String toText(StageState s)
{
    return textOf(kStageStates, s);
}
QLatin1String toText(ActionState s)
{
    return textOf(kActionStates, s);
}

std::optional<RunState> runStateFromText(QStringView text)
{
    return fromText(kRunStates, text);
}
std::optional<StageState> stageStateFromText(QStringView text)
{
    return fromText(kStageStates, text);
}
std::optional<ActionState> actionStateFromText(QStringView text)
{
    return fromText(kActionStates, text);
}

namespace {

template<typename E>
E storedOrFailed(std::optional<E> known, const QString &text, E failed)
{
    if (known)
        return *known;
    qCWarning(lcStore) << "unknown stored state" << text << "read as failed";
    return failed;
}

} // namespace

RunState storedRunState(const QString &text)
{
    return storedOrFailed(runStateFromText(text), text, RunState::Failed);
}

StageState storedStageState(const QString &text)
{
    return storedOrFailed(stageStateFromText(text), text, StageState::Failed);
}

ActionState storedActionState(const QString &text)
{
    return storedOrFailed(actionStateFromText(text), text, ActionState::Failed);
}

bool isFinished(StageState s)
{
    return s == StageState::Completed || s == StageState::Skipped || s == StageState::Unavailable;
}

json toJson(const ActionRecord &a)
{
    json approvals = json::array();
    for (const ApprovalRecord &ap : a.approvals)
        approvals.push_back({{"who", js::toStd(ap.approver)},
                             {"decision", js::toStd(ap.decision)},
                             {"when", ap.decidedAt},
                             {"note", js::toStd(ap.note)}});
    return json{{"id", a.id},
                {"case_id", a.caseId},
                {"run_id", a.runId},
                {"stage", js::toStd(a.stageId)},
                {"kind", js::toStd(a.kind)},
                {"target", js::toStd(a.target)},
                {"payload", a.payload},
                {"rationale", js::toStd(a.rationale)},
                {"state", std::string(toText(a.state).data())},
                {"connector", js::toStd(a.connector)},
                {"result", a.result},
                {"idempotency_key", js::toStd(a.idempotencyKey)},
                {"required_approvals", a.requiredApprovals},
                {"approvals", approvals},
                {"created_at", a.createdAt},
                {"updated_at", a.updatedAt},
                {"executed_at", a.executedAt}};
}

json toJson(const StageStateRecord &s)
{
    return json{{"stage", js::toStd(s.stageId)},
                {"state", std::string(toText(s.state).data())},
                {"inputs", s.inputs},
                {"outputs", s.outputs},
                {"actor", js::toStd(s.actor)},
                {"reason", js::toStd(s.reason)},
                {"started_at", s.startedAt},
                {"finished_at", s.finishedAt}};
}

json toJson(const PlaybookRunRecord &r)
{
    return json{{"id", r.id},
                {"case_id", r.caseId},
                {"playbook", js::toStd(r.playbookId)},
                {"version", js::toStd(r.playbookVersion)},
                {"inputs", r.inputs},
                {"state", std::string(toText(r.state).data())},
                {"started_by", js::toStd(r.startedBy)},
                {"started_at", r.startedAt},
                {"updated_at", r.updatedAt}};
}

} // namespace causa
