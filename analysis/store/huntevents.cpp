#include "huntevents.h"

#include "casestore.h"
#include "sqlutil.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace causa::eventq {

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
        where = QStringLiteral(" WHERE ev.endpoint_id IN (") + ids.join(QLatin1Char(',')) + QLatin1Char(')');
    }
    const QString text = QStringLiteral(
        "SELECT ev.id, ev.ts, COALESCE(ev.endpoint_id, 0), COALESCE(en.host_name, ''), ev.channel, "
        "ev.event_code, ev.data FROM events ev LEFT JOIN endpoints en ON en.id = ev.endpoint_id")
                         + where + QStringLiteral(" ORDER BY ev.endpoint_id, ev.ts, ev.id");
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

} // namespace causa::eventq
