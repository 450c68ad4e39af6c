#include "huntevents.h"

#include "casestore.h"
#include "sqlutil.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace causa {

const StoredAlertProcess *StoredAlertRow::process(const QString &role) const
{
    for (const StoredAlertProcess &p : processes)
        if (p.role == role)
            return &p;
    return nullptr;
}

namespace eventq {

Result<qint64> forEachEvent(CaseStore &store, const QList<qint64> &endpointIds, bool everyEndpoint,
                            const std::function<bool(const StoredEventRow &)> &fn)
{
    if (endpointIds.isEmpty() && !everyEndpoint)
        return qint64(0);
    auto db = store.connection();
    if (!db)
        return db.error();
    QString where;
    if (!endpointIds.isEmpty()) {
        QStringList ids;
        for (const qint64 id : endpointIds)
            ids << QString::number(id);
        where = QStringLiteral(" WHERE ev.endpoint_id IN (") + ids.join(QLatin1Char(',')) +
                QLatin1Char(')');
    }
    const QString text =
        QStringLiteral(
            "SELECT ev.id, ev.ts, COALESCE(ev.endpoint_id, 0), COALESCE(en.host_name, ''), ev.channel, "
            "ev.event_code, ev.data FROM events ev LEFT JOIN endpoints en ON en.id = ev.endpoint_id") +
        where + QStringLiteral(" ORDER BY ev.endpoint_id, ev.ts, ev.id");
    QSqlQuery q(db.value());
    q.setForwardOnly(true);
    if (!q.exec(text))
        return sql::errorOf(q, text.left(60));
    qint64 rows = 0;
    StoredEventRow row;
    while (q.next()) {
        ++rows;
        row.id = q.value(0).toLongLong();
        row.ts = q.value(1).toLongLong();
        row.endpointId = q.value(2).toLongLong();
        row.host = q.value(3).toString();
        row.channel = q.value(4).toString();
        row.eventCode = q.value(5).toInt();
        row.data = q.value(6).toString().toUtf8();
        if (!fn(row))
            break;
    }
    if (q.lastError().isValid())
        return sql::errorOf(q, text.left(60));
    return rows;
}

namespace {

QString alertWhere(qint64 caseId, const QList<qint64> &endpointIds)
{
    if (caseId > 0)
        return QStringLiteral(" WHERE a.case_id = ") + QString::number(caseId);
    if (endpointIds.isEmpty())
        return QString();
    QStringList ids;
    for (const qint64 id : endpointIds)
        ids << QString::number(id);
    return QStringLiteral(" WHERE a.endpoint_id IN (") + ids.join(QLatin1Char(',')) +
           QLatin1Char(')');
}

} // namespace

Result<qint64> forEachAlert(CaseStore &store, qint64 caseId, const QList<qint64> &endpointIds,
                            bool everyEndpoint,
                            const std::function<bool(const StoredAlertRow &)> &fn)
{
    if (caseId <= 0 && endpointIds.isEmpty() && !everyEndpoint)
        return qint64(0);
    auto db = store.connection();
    if (!db)
        return db.error();
    // One row per (alert, role): an alert's rows are adjacent, its processes gathered below. The
    // host is the endpoint's name, as forEachEvent gives it, so the hunt sorts both alike.
    const QString text =
        QStringLiteral(
            "SELECT a.id, a.source_alert_id, a.name, a.detected_at, "
            "COALESCE(NULLIF(en.host_name, ''), a.host_name), a.user_name, COALESCE(ap.role, ''), "
            "p.process_key, p.image_name, p.image_path, p.command_line, p.user_name, p.md5, p.sha1, "
            "p.sha256, p.pid FROM alerts a LEFT JOIN endpoints en ON en.id = a.endpoint_id "
            "LEFT JOIN alert_processes ap ON ap.alert_id = a.id LEFT JOIN processes p ON p.id = ap.process_id") +
        alertWhere(caseId, endpointIds) +
        QStringLiteral(" ORDER BY 5, a.detected_at, a.id, ap.role");
    QSqlQuery q(db.value());
    q.setForwardOnly(true);
    if (!q.exec(text))
        return sql::errorOf(q, text.left(60));
    qint64 alerts = 0;
    StoredAlertRow row;
    bool more = true;
    while (q.next()) {
        const qint64 id = q.value(0).toLongLong();
        if (id != row.id) {
            if (row.id != 0 && !fn(row)) {
                more = false;
                break;
            }
            ++alerts;
            row = StoredAlertRow();
            row.id = id;
            row.alertId = q.value(1).toString();
            row.name = q.value(2).toString();
            row.ts = q.value(3).toLongLong();
            row.host = q.value(4).toString();
            row.user = q.value(5).toString();
        }
        if (q.value(6).toString().isEmpty())
            continue; // an alert naming no process
        row.processes.push_back({q.value(6).toString(), q.value(7).toString(),
                                 q.value(8).toString(), q.value(9).toString(),
                                 q.value(10).toString(), q.value(11).toString(),
                                 q.value(12).toString(), q.value(13).toString(),
                                 q.value(14).toString(), q.value(15).toLongLong()});
    }
    if (q.lastError().isValid())
        return sql::errorOf(q, text.left(60));
    if (more && row.id != 0)
        fn(row);
    return alerts;
}

} // namespace eventq
} // namespace causa
