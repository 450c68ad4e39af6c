#include "playbookstore.h"

#include "casestore.h"
#include "core/errorcodes.h"
#include "core/jsonutil.h"
#include "sqlutil.h"

#include <QSqlQuery>

namespace causa::playbookstore {

using nlohmann::json;

namespace {

QString dump(const json &j)
{
    return QString::fromStdString(j.dump());
}

json parse(const QString &text)
{
    json j = json::parse(text.toStdString(), nullptr, false);
    return j.is_discarded() ? json::object() : j;
}

PlaybookRunRecord readRun(const QSqlQuery &q)
{
    PlaybookRunRecord r;
    r.id = q.value(0).toLongLong();
    r.caseId = q.value(1).toLongLong();
    r.playbookId = q.value(2).toString();
    r.playbookVersion = q.value(3).toString();
    r.inputs = parse(q.value(4).toString());
    r.state = storedRunState(q.value(5).toString());
    r.startedBy = q.value(6).toString();
    r.startedAt = q.value(7).toLongLong();
    r.updatedAt = q.value(8).toLongLong();
    r.rowVersion = q.value(9).toInt();
    return r;
}

const char *kRunColumns = "id, case_id, playbook_id, playbook_version, inputs, state, started_by, "
                          "started_at, updated_at, row_version";

} // namespace

Result<qint64> insertRun(QSqlDatabase &db, const PlaybookRunRecord &run)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "INSERT INTO playbook_runs (case_id, playbook_id, playbook_version, inputs, "
        "state, started_by, started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    const qint64 now = sql::nowMs();
    if (auto r = sql::exec(q, {run.caseId, run.playbookId, run.playbookVersion, dump(run.inputs),
                               QString(toText(run.state)), run.startedBy, now, now});
        !r)
        return r.error();
    QSqlQuery id(db);
    id.prepare(QStringLiteral("SELECT MAX(id) FROM playbook_runs WHERE case_id = ?"));
    if (auto r = sql::exec(id, {run.caseId}); !r)
        return r.error();
    if (!id.next())
        return makeError(errc::kSql, QStringLiteral("the new playbook run vanished"));
    return id.value(0).toLongLong();
}

Result<void> setRunState(QSqlDatabase &db, qint64 runId, RunState state)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "UPDATE playbook_runs SET state = ?, updated_at = ?, row_version = row_version + 1 "
        "WHERE id = ?"));
    return sql::exec(q, {QString(toText(state)), sql::nowMs(), runId});
}

Result<void> saveStage(QSqlDatabase &db, qint64 runId, const StageStateRecord &s)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "INSERT INTO stage_states (run_id, stage_id, state, inputs, outputs, actor, reason, started_at, finished_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, stage_id) DO UPDATE SET "
        "state = excluded.state, inputs = excluded.inputs, outputs = excluded.outputs, actor = excluded.actor, "
        "reason = excluded.reason, started_at = excluded.started_at, finished_at = excluded.finished_at"));
    return sql::exec(q, {runId, s.stageId, QString(toText(s.state)), dump(s.inputs),
                         dump(s.outputs), s.actor, s.reason, s.startedAt, s.finishedAt});
}

Result<bool> raiseSeverity(QSqlDatabase &db, qint64 caseId, Severity to, const QString &reason,
                           const QString &by)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "UPDATE cases SET severity = ?, updated_at = ?, row_version = row_version + 1 "
        "WHERE id = ? AND severity < ?"));
    const qint64 now = sql::nowMs();
    if (auto r = sql::exec(q, {int(to), now, caseId, int(to)}); !r)
        return r.error();
    if (q.numRowsAffected() != 1)
        return false;
    QSqlQuery h(db);
    h.prepare(QStringLiteral(
        "INSERT INTO severity_history (case_id, severity, reason, changed_by, changed_at) "
        "VALUES (?, ?, ?, ?, ?)"));
    if (auto r = sql::exec(h, {caseId, int(to), reason, by, now}); !r)
        return r.error();
    return true;
}

Result<bool> addEvidence(QSqlDatabase &db, qint64 caseId, const QString &kind, const QString &ref,
                         const QString &label, const QString &detail, const QString &by)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "INSERT INTO evidence (case_id, kind, ref, label, detail, created_by, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (case_id, kind, ref, label) DO NOTHING"));
    if (auto r = sql::exec(q, {caseId, kind, ref, label, detail, by, sql::nowMs()}); !r)
        return r.error();
    return q.numRowsAffected() == 1;
}

Result<void> closeCase(QSqlDatabase &db, qint64 caseId, const QString &verdict,
                       const QString &resolutionNote, const QString &by)
{
    QSqlQuery q(db);
    const qint64 now = sql::nowMs();
    q.prepare(QStringLiteral(
        "UPDATE cases SET status = 'closed', verdict = ?, resolution_note = ?, closed_at = ?, "
        "updated_at = ?, row_version = row_version + 1 WHERE id = ?"));
    return sql::exec(q, {verdict, resolutionNote, now, now, caseId});
}

Result<void> reopenCase(QSqlDatabase &db, qint64 caseId)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "UPDATE cases SET status = 'in_progress', verdict = '', resolution_note = '', closed_at = 0, "
        "updated_at = ?, row_version = row_version + 1 WHERE id = ? AND status = 'closed'"));
    return sql::exec(q, {sql::nowMs(), caseId});
}

Result<void> setCaseStatus(QSqlDatabase &db, qint64 caseId, const QString &status)
{
    QSqlQuery q(db);
    q.prepare(
        QStringLiteral("UPDATE cases SET status = ?, updated_at = ?, row_version = row_version + 1 "
                       "WHERE id = ? AND status <> ?"));
    return sql::exec(q, {status, sql::nowMs(), caseId, status});
}

Result<std::optional<PlaybookRunRecord>> latestRun(const CaseStore &store, qint64 caseId,
                                                   const QString &playbookId)
{
    auto conn = store.connection();
    if (!conn)
        return conn.error();
    QSqlQuery q(conn.value());
    q.prepare(QStringLiteral("SELECT %1 FROM playbook_runs WHERE case_id = ? AND playbook_id = ? "
                             "ORDER BY id DESC LIMIT 1")
                  .arg(QLatin1String(kRunColumns)));
    if (auto r = sql::exec(q, {caseId, playbookId}); !r)
        return r.error();
    if (!q.next())
        return std::optional<PlaybookRunRecord>();
    return std::optional<PlaybookRunRecord>(readRun(q));
}

Result<PlaybookRunRecord> run(const CaseStore &store, qint64 runId)
{
    auto conn = store.connection();
    if (!conn)
        return conn.error();
    QSqlQuery q(conn.value());
    q.prepare(QStringLiteral("SELECT %1 FROM playbook_runs WHERE id = ?")
                  .arg(QLatin1String(kRunColumns)));
    if (auto r = sql::exec(q, {runId}); !r)
        return r.error();
    if (!q.next())
        return makeError(errc::kNoRun, QStringLiteral("no playbook run with id %1").arg(runId));
    return readRun(q);
}

Result<std::vector<StageStateRecord>> stages(const CaseStore &store, qint64 runId)
{
    auto conn = store.connection();
    if (!conn)
        return conn.error();
    QSqlQuery q(conn.value());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral(
        "SELECT stage_id, state, inputs, outputs, actor, reason, started_at, finished_at "
        "FROM stage_states WHERE run_id = ?"));
    if (auto r = sql::exec(q, {runId}); !r)
        return r.error();
    std::vector<StageStateRecord> out;
    while (q.next()) {
        StageStateRecord s;
        s.stageId = q.value(0).toString();
        s.state = storedStageState(q.value(1).toString());
        s.inputs = parse(q.value(2).toString());
        s.outputs = parse(q.value(3).toString());
        s.actor = q.value(4).toString();
        s.reason = q.value(5).toString();
        s.startedAt = q.value(6).toLongLong();
        s.finishedAt = q.value(7).toLongLong();
        out.push_back(std::move(s));
    }
    return out;
}

Result<std::vector<EvidenceRecord>> evidence(const CaseStore &store, qint64 caseId)
{
    auto conn = store.connection();
    if (!conn)
        return conn.error();
    QSqlQuery q(conn.value());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral(
        "SELECT kind, ref, label, detail, created_by FROM evidence WHERE case_id = ? "
        "ORDER BY kind, ref, label"));
    if (auto r = sql::exec(q, {caseId}); !r)
        return r.error();
    std::vector<EvidenceRecord> out;
    while (q.next())
        out.push_back({q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                       q.value(3).toString(), q.value(4).toString()});
    return out;
}

Result<std::vector<SeverityChange>> severityHistory(const CaseStore &store, qint64 caseId)
{
    auto conn = store.connection();
    if (!conn)
        return conn.error();
    QSqlQuery q(conn.value());
    q.setForwardOnly(true);
    q.prepare(
        QStringLiteral("SELECT severity, reason, changed_by, changed_at FROM severity_history "
                       "WHERE case_id = ? ORDER BY id"));
    if (auto r = sql::exec(q, {caseId}); !r)
        return r.error();
    std::vector<SeverityChange> out;
    while (q.next())
        out.push_back({static_cast<Severity>(q.value(0).toInt()), q.value(1).toString(),
                       q.value(2).toString(), q.value(3).toLongLong()});
    return out;
}

} // namespace causa::playbookstore
