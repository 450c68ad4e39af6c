#pragma once

#include "core/result.h"
#include "playbooktypes.h"

#include <QSqlDatabase>

namespace causa {

class CaseStore;

// The SQL of response actions and approvals. State changes are conditional updates on
// (state, row_version) inside one transaction with their audit entry, so concurrent answers
// from several analysts or processes resolve as "first answer wins" on SQLite and PostgreSQL.
namespace actionstore {

// Inserts a proposed action inside the caller's transaction. An action with the same
// idempotency key already stored is returned instead (created=false): nothing is proposed,
// let alone executed, twice.
Result<ActionRecord> insert(QSqlDatabase &db, ActionRecord action, bool *created);
// proposed -> awaiting_approval, or proposed -> approved by the automation (AutoRemediation).
// Under the two-person rule the automation's approval is only the first of two: the action
// then awaits an analyst's approval, as it never counts as the second.
Result<void> markAwaiting(QSqlDatabase &db, qint64 actionId);
Result<void> recordAutoApproval(QSqlDatabase &db, const ActionRecord &action, const QString &actor);

// An analyst name as the approval rules compare it: Unicode NFKC, case folded, whitespace
// trimmed and collapsed ("Alice", " alice ", "ａｌｉｃｅ" are one analyst).
QString normalizedName(const QString &name);
// The identity the store vouches for on this connection: SELECT session_user on
// PostgreSQL, the operating-system user on SQLite.
Result<QString> sessionLogin(QSqlDatabase &db);

// An analyst's answer. approve: adds the approval; the action becomes approved once it has
// requiredApprovals distinct approvers. reject: rejected at once (note required). Fails with
// code "conflict" when another answer got there first, "not-awaiting" when decided already,
// "duplicate-approver" when the same analyst (after normalizedName) answered already, and
// "own-run" when, under the two-person rule, the analyst who started the run approves.
Result<ActionRecord> decide(CaseStore &store, qint64 actionId, const QString &approver,
                            bool approve, const QString &note);
// approved -> executing, exactly once: only the caller that wins this update may call the
// connector. Returns false when someone else claimed it (or it is not approved).
Result<bool> claimForExecution(CaseStore &store, qint64 actionId, const QString &actor,
                               const QString &connector);
// executing -> succeeded/failed with the connector's result.
Result<void> finishExecution(CaseStore &store, qint64 actionId, bool succeeded,
                             const nlohmann::json &result, const QString &actor);

Result<ActionRecord> action(const CaseStore &store, qint64 actionId);
Result<std::vector<ActionRecord>> actionsOfCase(const CaseStore &store, qint64 caseId);
Result<std::vector<ActionRecord>> actionsOfRun(const CaseStore &store, qint64 runId,
                                               const QString &stageId = {});
// Every action awaiting an answer, across cases (the approver's queue).
Result<std::vector<ActionRecord>> pending(const CaseStore &store);

} // namespace actionstore
} // namespace causa
