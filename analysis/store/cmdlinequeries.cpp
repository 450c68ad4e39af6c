#include "cmdlinequeries.h"

#include "sqlutil.h"

namespace causa::cmdlineq {

namespace {

// Processes written by endpoint events (Sysmon, Security 4688), not by an alert or as a
// parent placeholder.
const QString kEventProcess =
    QStringLiteral("p.command_line <> '' AND p.source <> 'xdr' AND p.source <> 'parent-ref'");

Result<QSqlQuery> run(QSqlDatabase &db, const QString &text, std::initializer_list<QVariant> binds)
{
    QSqlQuery q(db);
    // Rows stream on SQLite while the import writes case indicators on the same connection.
    // PostgreSQL's driver streams forward-only results in single-row mode, which would keep
    // the connection busy: there the result is buffered instead.
    q.setForwardOnly(db.driverName() == QLatin1String("QSQLITE"));
    if (!q.prepare(text))
        return sql::errorOf(q, text.simplified().left(80));
    if (auto r = sql::exec(q, binds); !r)
        return r.error();
    return q;
}

Result<void> visitRows(QSqlDatabase &db, const QString &text, std::initializer_list<QVariant> binds,
                       const CaseLineVisitor &visit)
{
    auto q = run(db, text, binds);
    if (!q)
        return q.error();
    CaseLine line;
    while (q.value().next()) {
        line.caseId = q.value().value(0).toLongLong();
        line.commandLine = q.value().value(1).toString();
        if (auto r = visit(line); !r)
            return r;
    }
    return {};
}

} // namespace

Result<ImportMark> importMark(QSqlDatabase &db)
{
    auto q = run(db,
                 QStringLiteral("SELECT (SELECT COALESCE(MAX(id), 0) FROM alerts), "
                                "(SELECT COALESCE(MAX(id), 0) FROM events)"),
                 {});
    if (!q)
        return q.error();
    ImportMark m;
    if (q.value().next()) {
        m.alertId = q.value().value(0).toLongLong();
        m.eventId = q.value().value(1).toLongLong();
    }
    return m;
}

Result<void> forEachCommandLineSince(QSqlDatabase &db, const ImportMark &mark,
                                     const QSet<qint64> &written, qint64 windowMs,
                                     const CaseLineVisitor &visit)
{
    // 1. Processes created by the new events, near an alert on their endpoint. Going from the
    // events (not the process ids) also catches a parent placeholder filled in by this import.
    // That reads every new event, so it waits for an alert on one of the import's endpoints (a
    // process key names its endpoint: a new event's process is on an endpoint it wrote to).
    bool anyAlert = false;
    for (auto it = written.cbegin(); it != written.cend() && !anyAlert; ++it) {
        auto q =
            run(db, QStringLiteral("SELECT 1 FROM alerts WHERE endpoint_id = ? LIMIT 1"), {*it});
        if (!q)
            return q.error();
        anyAlert = q.value().next();
    }
    if (anyAlert) {
        if (auto r = visitRows(
                db,
                QStringLiteral("SELECT a.case_id, p.command_line FROM events e "
                               "JOIN processes p ON p.process_key = e.process_key "
                               "JOIN alerts a ON a.endpoint_id = p.endpoint_id "
                               "AND a.detected_at BETWEEN p.started_at - ? AND p.started_at + ? "
                               "WHERE e.id > ? AND e.kind = 'process_create' AND ") +
                    kEventProcess,
                {windowMs, windowMs, mark.eventId}, visit);
            !r)
            return r.error();
    }
    // 2. New alerts on endpoints whose events were stored before. Only endpoints that have any
    // event are joined, so a pure alert import never scans its own alert processes here.
    auto endpoints =
        run(db,
            QStringLiteral(
                "SELECT DISTINCT endpoint_id FROM alerts WHERE id > ? AND endpoint_id IS NOT NULL"),
            {mark.alertId});
    if (!endpoints)
        return endpoints.error();
    QList<qint64> ids;
    while (endpoints.value().next())
        ids << endpoints.value().value(0).toLongLong();
    for (const qint64 endpointId : ids) {
        auto any = run(
            db, QStringLiteral("SELECT 1 FROM events WHERE endpoint_id = ? AND id <= ? LIMIT 1"),
            {endpointId, mark.eventId});
        if (!any)
            return any.error();
        if (!any.value().next())
            continue;
        if (auto r = visitRows(
                db,
                QStringLiteral("SELECT a.case_id, p.command_line FROM alerts a "
                               "JOIN processes p ON p.endpoint_id = a.endpoint_id "
                               "AND p.started_at BETWEEN a.detected_at - ? AND a.detected_at + ? "
                               "WHERE a.id > ? AND a.endpoint_id = ? AND ") +
                    kEventProcess,
                {windowMs, windowMs, mark.alertId, endpointId}, visit);
            !r)
            return r.error();
    }
    return {};
}

} // namespace causa::cmdlineq
