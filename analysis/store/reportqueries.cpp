#include "reportqueries.h"

#include "core/errorcodes.h"
#include "sqlutil.h"

#include <QHash>
#include <QSqlQuery>

namespace causa {

namespace {

// Prepares and runs a read on the calling thread's connection.
Result<QSqlQuery> run(const CaseStore &store, const QString &text, const QVariantList &binds,
                      const QString &what)
{
    auto conn = store.connection();
    if (!conn)
        return conn.error();
    QSqlQuery q(conn.value());
    q.setForwardOnly(true);
    if (!q.prepare(text))
        return sql::errorOf(q, what);
    for (int i = 0; i < binds.size(); ++i)
        q.bindValue(i, binds.at(i));
    if (!q.exec())
        return sql::errorOf(q, what);
    return q;
}

// Endpoint ids of the case's alerts, as a sub-select.
const char *kCaseEndpoints =
    "(SELECT DISTINCT endpoint_id FROM alerts WHERE case_id = ? AND endpoint_id IS NOT NULL)";

} // namespace

namespace reportq {

Result<ReportCaseDetail> caseDetail(const CaseStore &store, qint64 caseId)
{
    auto q = run(store,
                 QStringLiteral("SELECT description, pap, source_url, resolution_note, closed_at "
                                "FROM cases WHERE id = ?"),
                 {caseId}, QStringLiteral("reading case %1").arg(caseId));
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(errc::kNoCase, QStringLiteral("no case with id %1").arg(caseId));
    ReportCaseDetail d;
    d.description = q->value(0).toString();
    d.pap = q->value(1).toString();
    d.sourceUrl = q->value(2).toString();
    d.resolutionNote = q->value(3).toString();
    d.closedAt = q->value(4).toLongLong();
    return d;
}

Result<std::vector<ReportNote>> notes(const CaseStore &store, qint64 caseId)
{
    auto q = run(store,
                 QStringLiteral("SELECT id, author, body, created_at, updated_at FROM notes "
                                "WHERE case_id = ? ORDER BY created_at, id"),
                 {caseId}, QStringLiteral("reading notes of case %1").arg(caseId));
    if (!q)
        return q.error();
    std::vector<ReportNote> out;
    while (q->next())
        out.push_back({q->value(0).toLongLong(), q->value(1).toString(), q->value(2).toString(),
                       q->value(3).toLongLong(), q->value(4).toLongLong()});
    return out;
}

Result<std::vector<ReportEvidence>> evidence(const CaseStore &store, qint64 caseId)
{
    auto q = run(store,
                 QStringLiteral("SELECT id, kind, ref, label, detail, created_by, created_at "
                                "FROM evidence WHERE case_id = ? ORDER BY created_at, id"),
                 {caseId}, QStringLiteral("reading evidence of case %1").arg(caseId));
    if (!q)
        return q.error();
    std::vector<ReportEvidence> out;
    while (q->next())
        out.push_back({q->value(0).toLongLong(), q->value(1).toString(), q->value(2).toString(),
                       q->value(3).toString(), q->value(4).toString(), q->value(5).toString(),
                       q->value(6).toLongLong()});
    return out;
}

Result<std::vector<ReportSeverityChange>> severityHistory(const CaseStore &store, qint64 caseId)
{
    auto q =
        run(store,
            QStringLiteral("SELECT severity, reason, changed_by, changed_at FROM severity_history "
                           "WHERE case_id = ? ORDER BY changed_at, id"),
            {caseId}, QStringLiteral("reading severity history of case %1").arg(caseId));
    if (!q)
        return q.error();
    std::vector<ReportSeverityChange> out;
    while (q->next())
        out.push_back({q->value(0).toInt(), q->value(1).toString(), q->value(2).toString(),
                       q->value(3).toLongLong()});
    return out;
}

Result<std::vector<ReportAction>> actions(const CaseStore &store, qint64 caseId)
{
    auto q = run(
        store,
        QStringLiteral("SELECT id, stage_id, kind, target, payload, rationale, state, connector, "
                       "result, required_approvals, created_at, updated_at, executed_at "
                       "FROM actions WHERE case_id = ? ORDER BY created_at, id"),
        {caseId}, QStringLiteral("reading actions of case %1").arg(caseId));
    if (!q)
        return q.error();
    std::vector<ReportAction> out;
    QHash<qint64, size_t> index;
    while (q->next()) {
        ReportAction a;
        a.id = q->value(0).toLongLong();
        a.stageId = q->value(1).toString();
        a.kind = q->value(2).toString();
        a.target = q->value(3).toString();
        a.payload = q->value(4).toString();
        a.rationale = q->value(5).toString();
        a.state = q->value(6).toString();
        a.connector = q->value(7).toString();
        a.result = q->value(8).toString();
        a.requiredApprovals = q->value(9).toInt();
        a.createdAt = q->value(10).toLongLong();
        a.updatedAt = q->value(11).toLongLong();
        a.executedAt = q->value(12).toLongLong();
        index.insert(a.id, out.size());
        out.push_back(std::move(a));
    }
    auto ap = run(store,
                  QStringLiteral("SELECT p.action_id, p.approver, p.decision, p.note, p.decided_at "
                                 "FROM approvals p JOIN actions a ON a.id = p.action_id "
                                 "WHERE a.case_id = ? ORDER BY p.decided_at, p.id"),
                  {caseId}, QStringLiteral("reading approvals of case %1").arg(caseId));
    if (!ap)
        return ap.error();
    while (ap->next()) {
        const auto it = index.constFind(ap->value(0).toLongLong());
        if (it == index.cend())
            continue;
        out[*it].approvals.push_back({ap->value(1).toString(), ap->value(2).toString(),
                                      ap->value(3).toString(), ap->value(4).toLongLong()});
    }
    return out;
}

Result<std::vector<ReportPlaybookRun>> playbookRuns(const CaseStore &store, qint64 caseId)
{
    auto q = run(
        store,
        QStringLiteral("SELECT id, playbook_id, playbook_version, state, started_by, started_at, "
                       "updated_at FROM playbook_runs WHERE case_id = ? ORDER BY started_at, id"),
        {caseId}, QStringLiteral("reading playbook runs of case %1").arg(caseId));
    if (!q)
        return q.error();
    std::vector<ReportPlaybookRun> out;
    QHash<qint64, size_t> index;
    while (q->next()) {
        ReportPlaybookRun r;
        r.id = q->value(0).toLongLong();
        r.playbookId = q->value(1).toString();
        r.playbookVersion = q->value(2).toString();
        r.state = q->value(3).toString();
        r.startedBy = q->value(4).toString();
        r.startedAt = q->value(5).toLongLong();
        r.updatedAt = q->value(6).toLongLong();
        index.insert(r.id, out.size());
        out.push_back(std::move(r));
    }
    // Stages in the order they ran: one that only finished (close) by its finishing time, one not
    // reached yet after the others.
    auto s =
        run(store,
            QStringLiteral("SELECT s.run_id, s.stage_id, s.state, s.actor, s.reason, s.outputs, "
                           "s.started_at, s.finished_at FROM stage_states s "
                           "JOIN playbook_runs r ON r.id = s.run_id WHERE r.case_id = ? "
                           "ORDER BY s.run_id, CASE WHEN s.started_at > 0 THEN s.started_at "
                           "WHEN s.finished_at > 0 THEN s.finished_at "
                           "ELSE 9223372036854775807 END, s.stage_id"),
            {caseId}, QStringLiteral("reading playbook stages of case %1").arg(caseId));
    if (!s)
        return s.error();
    while (s->next()) {
        const auto it = index.constFind(s->value(0).toLongLong());
        if (it == index.cend())
            continue;
        out[*it].stages.push_back({s->value(1).toString(), s->value(2).toString(),
                                   s->value(3).toString(), s->value(4).toString(),
                                   s->value(5).toString(), s->value(6).toLongLong(),
                                   s->value(7).toLongLong()});
    }
    return out;
}

Result<std::vector<ReportEnrichment>> enrichments(const CaseStore &store, qint64 caseId)
{
    auto q =
        run(store,
            QStringLiteral("SELECT e.indicator_id, e.provider, e.verdict, e.score, e.reliability, "
                           "e.fetched_at FROM enrichments e WHERE e.indicator_id IN "
                           "(SELECT indicator_id FROM case_indicators WHERE case_id = ?) "
                           "ORDER BY e.indicator_id, e.provider"),
            {caseId}, QStringLiteral("reading enrichments of case %1").arg(caseId));
    if (!q)
        return q.error();
    std::vector<ReportEnrichment> out;
    while (q->next())
        out.push_back({q->value(0).toLongLong(), q->value(1).toString(), q->value(2).toString(),
                       q->value(3).toInt(), q->value(4).toString(), q->value(5).toLongLong()});
    return out;
}

Result<std::vector<ReportIntelMatch>> intelMatches(const CaseStore &store, qint64 caseId)
{
    auto q =
        run(store,
            QStringLiteral(
                "SELECT i.id, t.feed, t.kind, t.score, t.confidence, t.tlp, t.description "
                "FROM indicators i JOIN intel_entries t ON t.type = i.type AND t.value = i.value "
                "WHERE i.id IN (SELECT indicator_id FROM case_indicators WHERE case_id = ?) "
                "ORDER BY i.id, t.feed"),
            {caseId}, QStringLiteral("reading intel matches of case %1").arg(caseId));
    if (!q)
        return q.error();
    std::vector<ReportIntelMatch> out;
    while (q->next())
        out.push_back({q->value(0).toLongLong(), q->value(1).toString(), q->value(2).toString(),
                       q->value(3).toInt(), q->value(4).toInt(), q->value(5).toString(),
                       q->value(6).toString()});
    return out;
}

Result<std::vector<ReportRelatedAlert>> relatedAlerts(const CaseStore &store, qint64 caseId,
                                                      qint64 from, qint64 to, int limit)
{
    auto q = run(store,
                 QStringLiteral("SELECT id, case_id, source_alert_id, name, severity, host_name, "
                                "mitre_tactics, detected_at FROM alerts WHERE case_id <> ? AND "
                                "endpoint_id IN %1 AND detected_at BETWEEN ? AND ? "
                                "ORDER BY detected_at, id LIMIT %2")
                     .arg(QLatin1String(kCaseEndpoints))
                     .arg(limit),
                 {caseId, caseId, from, to},
                 QStringLiteral("reading related alerts of case %1").arg(caseId));
    if (!q)
        return q.error();
    std::vector<ReportRelatedAlert> out;
    while (q->next())
        out.push_back({q->value(0).toLongLong(), q->value(1).toLongLong(), q->value(2).toString(),
                       q->value(3).toString(), q->value(4).toInt(), q->value(5).toString(),
                       q->value(6).toString(), q->value(7).toLongLong()});
    return out;
}

Result<std::vector<ReportEventPoint>> eventPoints(const CaseStore &store, qint64 caseId,
                                                  qint64 from, qint64 to, int limit)
{
    auto q = run(
        store,
        QStringLiteral("SELECT ts, kind FROM events WHERE endpoint_id IN %1 AND ts BETWEEN ? AND ? "
                       "ORDER BY ts LIMIT %2")
            .arg(QLatin1String(kCaseEndpoints))
            .arg(limit),
        {caseId, from, to}, QStringLiteral("reading events of case %1").arg(caseId));
    if (!q)
        return q.error();
    std::vector<ReportEventPoint> out;
    while (q->next())
        out.push_back({q->value(0).toLongLong(), q->value(1).toString()});
    return out;
}

Result<qint64> eventCount(const CaseStore &store, qint64 caseId, qint64 from, qint64 to)
{
    auto q = run(
        store,
        QStringLiteral("SELECT COUNT(*) FROM events WHERE endpoint_id IN %1 AND ts BETWEEN ? AND ?")
            .arg(QLatin1String(kCaseEndpoints)),
        {caseId, from, to}, QStringLiteral("counting events of case %1").arg(caseId));
    if (!q)
        return q.error();
    return q->next() ? q->value(0).toLongLong() : qint64(0);
}

} // namespace reportq
} // namespace causa
