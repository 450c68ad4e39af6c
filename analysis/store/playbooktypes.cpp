#include "playbooktypes.h"

#include "core/jsonutil.h"

namespace causa {

using nlohmann::json;

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
                {"state", js::toStd(a.state)},
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
    return json{{"stage", js::toStd(s.stageId)}, {"state", js::toStd(s.state)},
                {"inputs", s.inputs},            {"outputs", s.outputs},
                {"actor", js::toStd(s.actor)},   {"reason", js::toStd(s.reason)},
                {"started_at", s.startedAt},     {"finished_at", s.finishedAt}};
}

json toJson(const PlaybookRunRecord &r)
{
    return json{{"id", r.id},
                {"case_id", r.caseId},
                {"playbook", js::toStd(r.playbookId)},
                {"version", js::toStd(r.playbookVersion)},
                {"inputs", r.inputs},
                {"state", js::toStd(r.state)},
                {"started_by", js::toStd(r.startedBy)},
                {"started_at", r.startedAt},
                {"updated_at", r.updatedAt}};
}

} // namespace causa
