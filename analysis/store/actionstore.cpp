#include "actionstore.h"

#include "auditlog.h"
#include "casestore.h"
#include "core/errorcodes.h"
#include "core/jsonutil.h"
#include "sqlutil.h"

#include <QSqlQuery>

#include <pwd.h>
#include <unistd.h>

namespace causa {

using nlohmann::json;

namespace {

const char *kColumns =
    "id, case_id, COALESCE(run_id, 0), stage_id, kind, target, payload, rationale, state, "
    "connector, result, idempotency_key, required_approvals, created_at, updated_at, "
    "executed_at, row_version";

json parseOr(const QString &text, json fallback)
{
    if (text.isEmpty())
        return fallback;
    json j = json::parse(text.toStdString(), nullptr, false);
    return j.is_discarded() ? fallback : j;
}

ActionRecord readAction(const QSqlQuery &q)
{
    ActionRecord a;
    a.id = q.value(0).toLongLong();
    a.caseId = q.value(1).toLongLong();
    a.runId = q.value(2).toLongLong();
    a.stageId = q.value(3).toString();
    a.kind = q.value(4).toString();
    a.target = q.value(5).toString();
    a.payload = parseOr(q.value(6).toString(), json::object());
    a.rationale = q.value(7).toString();
    a.state = storedActionState(q.value(8).toString());
    a.connector = q.value(9).toString();
    a.result = parseOr(q.value(10).toString(), json());
    a.idempotencyKey = q.value(11).toString();
    a.requiredApprovals = q.value(12).toInt();
    a.createdAt = q.value(13).toLongLong();
    a.updatedAt = q.value(14).toLongLong();
    a.executedAt = q.value(15).toLongLong();
    a.rowVersion = q.value(16).toInt();
    return a;
}

Result<std::vector<ApprovalRecord>> approvalsOf(const QSqlDatabase &db, qint64 actionId)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT approver, decision, note, decided_at, login FROM approvals "
                             "WHERE action_id = ? ORDER BY decided_at, id"));
    if (auto r = sql::exec(q, {actionId}); !r)
        return r.error();
    std::vector<ApprovalRecord> out;
    while (q.next())
        out.push_back({q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                       q.value(3).toLongLong(), q.value(4).toString()});
    return out;
}

Result<void> insertApproval(QSqlDatabase &db, qint64 actionId, const QString &who,
                            const QString &decision, const QString &note, const QString &login)
{
    QSqlQuery ins(db);
    ins.prepare(QStringLiteral(
        "INSERT INTO approvals (action_id, approver, decision, note, decided_at, login) "
        "VALUES (?, ?, ?, ?, ?, ?)"));
    return sql::exec(ins, {actionId, who, decision, note, sql::nowMs(), login});
}

// Who started the action's playbook run ("" for an action outside a run).
Result<QString> runStarter(QSqlDatabase &db, qint64 runId)
{
    if (runId <= 0)
        return QString();
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT started_by FROM playbook_runs WHERE id = ?"));
    if (auto r = sql::exec(q, {runId}); !r)
        return r.error();
    return q.next() ? q.value(0).toString() : QString();
}

// The two-person rule: nobody answers twice, and the analyst who started the run is not one
// of the approvers when two are required.
Result<void> checkApprover(QSqlDatabase &db, const ActionRecord &a, const QString &who,
                           bool approve)
{
    const QString me = actionstore::normalizedName(who);
    for (const ApprovalRecord &ap : a.approvals)
        if (actionstore::normalizedName(ap.approver) == me)
            return makeError(
                errc::kDuplicateApprover,
                QStringLiteral("%1 already answered action %2 (as %3); the two-person rule needs a "
                               "different analyst")
                    .arg(who)
                    .arg(a.id)
                    .arg(ap.approver));
    if (!approve || a.requiredApprovals < 2)
        return {};
    auto starter = runStarter(db, a.runId);
    if (!starter)
        return starter.error();
    if (!starter->trimmed().isEmpty() && actionstore::normalizedName(starter.value()) == me)
        return makeError(
            errc::kOwnRun,
            QStringLiteral("%1 started the playbook run that proposed action %2; under the "
                           "two-person rule two other analysts approve it")
                .arg(who)
                .arg(a.id));
    return {};
}

Result<ActionRecord> readOne(const QSqlDatabase &db, qint64 actionId)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT %1 FROM actions WHERE id = ?").arg(QLatin1String(kColumns)));
    if (auto r = sql::exec(q, {actionId}); !r)
        return r.error();
    if (!q.next())
        return makeError(errc::kNoAction, QStringLiteral("no action with id %1").arg(actionId));
    ActionRecord a = readAction(q);
    auto ap = approvalsOf(db, actionId);
    if (!ap)
        return ap.error();
    a.approvals = std::move(ap.value());
    return a;
}

QString auditPayload(const ActionRecord &a, json extra)
{
    extra["action_id"] = a.id;
    extra["kind"] = js::toStd(a.kind);
    extra["target"] = js::toStd(a.target);
    extra["idempotency_key"] = js::toStd(a.idempotencyKey);
    return QString::fromStdString(extra.dump());
}

// Moves the action from `from` to `to` only if nobody changed it since we read it.
Result<bool> conditionalUpdate(QSqlDatabase &db, const ActionRecord &a, ActionState from,
                               ActionState to, const QString &extraSet = {},
                               const QVariantList &extraBinds = {})
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
                  "UPDATE actions SET state = ?, updated_at = ?, row_version = row_version + 1%1 "
                  "WHERE id = ? AND state = ? AND row_version = ?")
                  .arg(extraSet));
    int i = 0;
    q.bindValue(i++, QString(toText(to)));
    q.bindValue(i++, sql::nowMs());
    for (const QVariant &v : extraBinds)
        q.bindValue(i++, sql::bindable(v));
    q.bindValue(i++, a.id);
    q.bindValue(i++, QString(toText(from)));
    q.bindValue(i++, a.rowVersion);
    if (!q.exec())
        return sql::errorOf(q, QStringLiteral("updating action %1").arg(a.id));
    return q.numRowsAffected() == 1;
}

QString whoDecided(const ActionRecord &a)
{
    QStringList who;
    for (const ApprovalRecord &ap : a.approvals)
        who << QStringLiteral("%1 (%2)").arg(ap.approver, ap.decision);
    return who.isEmpty() ? QStringLiteral("nobody") : who.join(QStringLiteral(", "));
}

Result<std::vector<ActionRecord>> query(const CaseStore &store, const QString &where,
                                        const QVariantList &binds)
{
    return store.read([&](QSqlDatabase &db) -> Result<std::vector<ActionRecord>> {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        q.prepare(QStringLiteral("SELECT %1 FROM actions WHERE %2 ORDER BY id")
                      .arg(QLatin1String(kColumns), where));
        for (int i = 0; i < binds.size(); ++i)
            q.bindValue(i, binds.at(i));
        if (!q.exec())
            return sql::errorOf(q, QStringLiteral("reading actions"));
        std::vector<ActionRecord> out;
        while (q.next())
            out.push_back(readAction(q));
        for (ActionRecord &a : out) {
            auto ap = approvalsOf(db, a.id);
            if (!ap)
                return ap.error();
            a.approvals = std::move(ap.value());
        }
        return out;
    });
}

} // namespace

bool ActionRecord::decided() const
{
    return state == ActionState::Rejected || state == ActionState::Succeeded ||
           state == ActionState::Failed;
}

namespace actionstore {

Result<ActionRecord> insert(QSqlDatabase &db, ActionRecord a, bool *created)
{
    if (created)
        *created = false;
    QSqlQuery find(db);
    find.prepare(QStringLiteral("SELECT id FROM actions WHERE idempotency_key = ?"));
    if (auto r = sql::exec(find, {a.idempotencyKey}); !r)
        return r.error();
    if (find.next())
        return readOne(db, find.value(0).toLongLong());
    const qint64 now = sql::nowMs();
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "INSERT INTO actions (case_id, run_id, stage_id, kind, target, payload, rationale, "
        "state, connector, result, idempotency_key, required_approvals, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', '', ?, ?, ?, ?)"));
    if (auto r = sql::exec(
            q, {a.caseId, a.runId > 0 ? QVariant(a.runId) : QVariant(QMetaType::fromType<qint64>()),
                a.stageId, a.kind, a.target, QString::fromStdString(a.payload.dump()), a.rationale,
                QString(toText(ActionState::Proposed)), a.idempotencyKey, a.requiredApprovals, now,
                now});
        !r)
        return r.error();
    if (auto r = sql::exec(find, {a.idempotencyKey}); !r)
        return r.error();
    if (!find.next())
        return makeError(errc::kSql, QStringLiteral("the new action vanished"));
    auto stored = readOne(db, find.value(0).toLongLong());
    if (!stored)
        return stored.error();
    if (auto au = audit::append(
            db, a.caseId, QStringLiteral("playbook"), QStringLiteral("action.proposed"),
            auditPayload(stored.value(), {{"payload", a.payload},
                                          {"required_approvals", a.requiredApprovals},
                                          {"rationale", js::toStd(a.rationale)}}));
        !au)
        return au.error();
    if (created)
        *created = true;
    return stored;
}

Result<void> markAwaiting(QSqlDatabase &db, qint64 actionId)
{
    auto a = readOne(db, actionId);
    if (!a)
        return a.error();
    if (a->state != ActionState::Proposed)
        return {};
    auto u = conditionalUpdate(db, a.value(), ActionState::Proposed, ActionState::AwaitingApproval);
    if (!u)
        return u.error();
    if (!u.value())
        return makeError(errc::kConflict,
                         QStringLiteral("action %1 changed concurrently").arg(actionId));
    auto au = audit::append(db, a->caseId, QStringLiteral("playbook"),
                            QStringLiteral("action.awaiting_approval"),
                            auditPayload(a.value(), json::object()));
    if (!au)
        return au.error();
    return {};
}

Result<void> recordAutoApproval(QSqlDatabase &db, const ActionRecord &action, const QString &actor)
{
    auto a = readOne(db, action.id);
    if (!a)
        return a.error();
    if (a->state != ActionState::Proposed)
        return {};
    const QString note = QStringLiteral("AutoRemediation=true");
    if (auto r = insertApproval(db, a->id, actor, QStringLiteral("approve"), note, QString()); !r)
        return r.error();
    // The automation may give the first approval, never the second: a person must still agree.
    const bool needsPerson = a->requiredApprovals >= 2;
    const ActionState to = needsPerson ? ActionState::AwaitingApproval : ActionState::Approved;
    auto u = conditionalUpdate(db, a.value(), ActionState::Proposed, to);
    if (!u)
        return u.error();
    if (!u.value())
        return makeError(errc::kConflict,
                         QStringLiteral("action %1 changed concurrently").arg(a->id));
    const QString kind = needsPerson ? QStringLiteral("action.approval_recorded")
                                     : QStringLiteral("action.approved");
    auto au =
        audit::append(db, a->caseId, actor, kind,
                      auditPayload(a.value(), {{"note", js::toStd(note)},
                                               {"automatic", true},
                                               {"approvals", 1},
                                               {"required_approvals", a->requiredApprovals}}));
    if (!au)
        return au.error();
    return {};
}

QString normalizedName(const QString &name)
{
    return name.normalized(QString::NormalizationForm_KC).simplified().toCaseFolded();
}

Result<QString> sessionLogin(QSqlDatabase &db)
{
    if (db.driverName() == QLatin1String("QPSQL")) {
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("SELECT session_user")) || !q.next())
            return sql::errorOf(q, QStringLiteral("reading the session user"));
        return QString(QStringLiteral("db:") + q.value(0).toString());
    }
    // getpwuid: the account the process runs as, which $USER does not prove.
    std::vector<char> buf(16384);
    passwd pw{};
    passwd *found = nullptr;
    if (getpwuid_r(geteuid(), &pw, buf.data(), buf.size(), &found) == 0 && found)
        return QString(QStringLiteral("os:") + QString::fromLocal8Bit(found->pw_name));
    return QStringLiteral("os:uid %1").arg(geteuid());
}

Result<ActionRecord> decide(CaseStore &store, qint64 actionId, const QString &approver,
                            bool approve, const QString &note)
{
    const QString who = approver.trimmed();
    if (who.isEmpty())
        return makeError(errc::kUsage, QStringLiteral("an approver name is required"));
    if (!approve && note.trimmed().isEmpty())
        return makeError(errc::kUsage, QStringLiteral("rejecting needs a reason (--note)"));
    ActionRecord after;
    auto tx = store.transaction([&](QSqlDatabase &db) -> Result<void> {
        auto cur = readOne(db, actionId);
        if (!cur)
            return cur.error();
        const ActionRecord &a = cur.value();
        if (a.state != ActionState::AwaitingApproval)
            return makeError(
                errc::kNotAwaiting,
                QStringLiteral("action %1 is %2, not awaiting approval (decided by %3)")
                    .arg(a.id)
                    .arg(toText(a.state), whoDecided(a)));
        if (auto ok = checkApprover(db, a, who, approve); !ok)
            return ok.error();
        auto login = sessionLogin(db);
        if (!login)
            return login.error();
        if (auto r = insertApproval(db, a.id, who,
                                    approve ? QStringLiteral("approve") : QStringLiteral("reject"),
                                    note, login.value());
            !r)
            return r.error();
        int approvals = 0;
        for (const ApprovalRecord &ap : a.approvals)
            approvals += ap.decision == QLatin1String("approve") ? 1 : 0;
        if (approve)
            ++approvals;
        const ActionState to = !approve                           ? ActionState::Rejected
                               : approvals >= a.requiredApprovals ? ActionState::Approved
                                                                  : ActionState::AwaitingApproval;
        auto u = conditionalUpdate(db, a, ActionState::AwaitingApproval, to);
        if (!u)
            return u.error();
        if (!u.value())
            return makeError(
                errc::kConflict,
                QStringLiteral("action %1 was answered by someone else at the same time; "
                               "the first answer wins")
                    .arg(a.id));
        const QString kind = !approve ? QStringLiteral("action.rejected")
                             : to == ActionState::Approved
                                 ? QStringLiteral("action.approved")
                                 : QStringLiteral("action.approval_recorded");
        auto au = audit::append(db, a.caseId, who, kind,
                                auditPayload(a, {{"note", js::toStd(note)},
                                                 {"login", js::toStd(login.value())},
                                                 {"approvals", approvals},
                                                 {"required_approvals", a.requiredApprovals}}));
        if (!au)
            return au.error();
        auto re = readOne(db, actionId);
        if (!re)
            return re.error();
        after = std::move(re.value());
        return {};
    });
    if (!tx && tx.error().code == errc::kConflict) {
        // Name the answer that won, as "not awaiting approval" does.
        Error e = tx.error();
        if (auto now = action(store, actionId))
            e.message += QStringLiteral(" (now %1, decided by %2)")
                             .arg(toText(now->state), whoDecided(now.value()));
        return e;
    }
    if (!tx)
        return tx.error();
    return after;
}

Result<bool> claimForExecution(CaseStore &store, qint64 actionId, const QString &actor,
                               const QString &connector)
{
    bool claimed = false;
    auto tx = store.transaction([&](QSqlDatabase &db) -> Result<void> {
        auto cur = readOne(db, actionId);
        if (!cur)
            return cur.error();
        if (cur->state != ActionState::Approved)
            return {};
        auto u = conditionalUpdate(db, cur.value(), ActionState::Approved, ActionState::Executing,
                                   QStringLiteral(", connector = ?"), {connector});
        if (!u)
            return u.error();
        if (!u.value())
            return {};
        claimed = true;
        auto au = audit::append(db, cur->caseId, actor, QStringLiteral("action.executing"),
                                auditPayload(cur.value(), {{"connector", js::toStd(connector)}}));
        if (!au)
            return au.error();
        return {};
    });
    if (!tx)
        return tx.error();
    return claimed;
}

Result<void> finishExecution(CaseStore &store, qint64 actionId, bool succeeded, const json &result,
                             const QString &actor)
{
    return store.transaction([&](QSqlDatabase &db) -> Result<void> {
        auto cur = readOne(db, actionId);
        if (!cur)
            return cur.error();
        if (cur->state != ActionState::Executing)
            return makeError(errc::kNotExecuting, QStringLiteral("action %1 is %2, not executing")
                                                      .arg(actionId)
                                                      .arg(toText(cur->state)));
        const ActionState to = succeeded ? ActionState::Succeeded : ActionState::Failed;
        auto u = conditionalUpdate(db, cur.value(), ActionState::Executing, to,
                                   QStringLiteral(", result = ?, executed_at = ?"),
                                   {QString::fromStdString(result.dump()), sql::nowMs()});
        if (!u)
            return u.error();
        if (!u.value())
            return makeError(errc::kConflict,
                             QStringLiteral("action %1 changed concurrently").arg(actionId));
        auto au = audit::append(db, cur->caseId, actor, QStringLiteral("action.") + toText(to),
                                auditPayload(cur.value(), {{"result", result}}));
        if (!au)
            return au.error();
        return {};
    });
}

Result<ActionRecord> action(const CaseStore &store, qint64 actionId)
{
    return store.read([&](QSqlDatabase &db) { return readOne(db, actionId); });
}

Result<std::vector<ActionRecord>> actionsOfCase(const CaseStore &store, qint64 caseId)
{
    return query(store, QStringLiteral("case_id = ?"), {caseId});
}

Result<std::vector<ActionRecord>> actionsOfRun(const CaseStore &store, qint64 runId,
                                               const QString &stageId)
{
    if (stageId.isEmpty())
        return query(store, QStringLiteral("run_id = ?"), {runId});
    return query(store, QStringLiteral("run_id = ? AND stage_id = ?"), {runId, stageId});
}

Result<std::vector<ActionRecord>> pending(const CaseStore &store)
{
    return query(store, QStringLiteral("state = ?"),
                 {QString(toText(ActionState::AwaitingApproval))});
}

} // namespace actionstore
} // namespace causa
