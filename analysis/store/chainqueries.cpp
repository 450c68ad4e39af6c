#include "chainqueries.h"

#include "casestore.h"
#include "core/indicatorutil.h"
#include "sqlutil.h"

#include <QSqlQuery>

namespace causa::chainq {

namespace {

template<typename T>
QString numberList(const QList<T> &values)
{
    QStringList parts;
    parts.reserve(values.size());
    for (const T v : values)
        parts << QString::number(v);
    return parts.join(QLatin1Char(','));
}

} // namespace

Result<std::vector<ChainEventRow>> events(const CaseStore &store, const ChainEventFilter &filter)
{
    auto db = store.connection();
    if (!db)
        return db.error();
    // Ids and codes are numbers formatted here, never caller text; the prefix is bound.
    QString text = QStringLiteral(
        "SELECT ev.id, COALESCE(ev.endpoint_id, 0), COALESCE(en.host_name, ''), ev.kind, ev.event_code, "
        "ev.channel, ev.ts, ev.process_key, ev.summary, ev.data FROM events ev "
        "LEFT JOIN endpoints en ON en.id = ev.endpoint_id WHERE 1 = 1");
    QVariantList binds;
    if (!filter.endpointIds.isEmpty())
        text += QStringLiteral(" AND ev.endpoint_id IN (") + numberList(filter.endpointIds) +
                QLatin1Char(')');
    if (!filter.codes.isEmpty())
        text +=
            QStringLiteral(" AND ev.event_code IN (") + numberList(filter.codes) + QLatin1Char(')');
    if (filter.from != 0 || filter.to != 0) {
        text += QStringLiteral(" AND ev.ts >= ? AND ev.ts <= ?");
        binds << filter.from << filter.to;
    }
    if (!filter.summaryPrefix.isEmpty()) {
        text += QStringLiteral(" AND LOWER(ev.summary) LIKE ? ESCAPE '!'");
        QString p = filter.summaryPrefix.toLower();
        p.replace(QLatin1Char('!'), QLatin1String("!!"));
        p.replace(QLatin1Char('%'), QLatin1String("!%"));
        p.replace(QLatin1Char('_'), QLatin1String("!_"));
        binds << QString(p + QLatin1Char('%'));
    }
    text +=
        QStringLiteral(" ORDER BY ev.ts, ev.id LIMIT ") + QString::number(qMax(1, filter.limit));
    QSqlQuery q(db.value());
    q.setForwardOnly(true);
    if (!q.prepare(text))
        return sql::errorOf(q, QStringLiteral("chain events"));
    for (int i = 0; i < binds.size(); ++i)
        q.bindValue(i, binds.at(i));
    if (!q.exec())
        return sql::errorOf(q, QStringLiteral("chain events"));
    std::vector<ChainEventRow> rows;
    while (q.next()) {
        ChainEventRow r;
        r.id = q.value(0).toLongLong();
        r.endpointId = q.value(1).toLongLong();
        r.host = q.value(2).toString();
        r.kind = q.value(3).toString();
        r.code = q.value(4).toInt();
        r.channel = q.value(5).toString();
        r.ts = q.value(6).toLongLong();
        r.processKey = q.value(7).toString();
        r.summary = q.value(8).toString();
        r.data = q.value(9).toString().toUtf8();
        rows.push_back(std::move(r));
    }
    return rows;
}

Result<std::vector<ChainEndpoint>> endpoints(const CaseStore &store)
{
    auto db = store.connection();
    if (!db)
        return db.error();
    QSqlQuery q(db.value());
    q.setForwardOnly(true);
    const QString text =
        QStringLiteral("SELECT id, endpoint_key, host_name, ips FROM endpoints ORDER BY id");
    if (!q.exec(text))
        return sql::errorOf(q, QStringLiteral("chain endpoints"));
    std::vector<ChainEndpoint> out;
    while (q.next())
        out.push_back({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                       q.value(3).toString()});
    return out;
}

namespace {

Result<QSqlQuery> select(const CaseStore &store, const QString &text, const QVariantList &binds)
{
    auto db = store.connection();
    if (!db)
        return db.error();
    QSqlQuery q(db.value());
    q.setForwardOnly(true);
    if (!q.prepare(text))
        return sql::errorOf(q, text.left(60));
    for (int i = 0; i < binds.size(); ++i)
        q.bindValue(i, binds.at(i));
    if (!q.exec())
        return sql::errorOf(q, text.left(60));
    return q;
}

} // namespace

Result<QStringList> caseRemoteIps(const CaseStore &store, qint64 caseId)
{
    auto q = select(store,
                    QStringLiteral("SELECT DISTINCT remote_ip FROM alerts WHERE case_id = ? "
                                   "AND remote_ip <> '' ORDER BY remote_ip"),
                    {caseId});
    if (!q)
        return q.error();
    QStringList ips;
    while (q.value().next())
        ips << q.value().value(0).toString();
    return ips;
}

Result<qint64> endpointIdForHost(const CaseStore &store, const QString &host)
{
    auto q = select(store, QStringLiteral("SELECT id FROM endpoints WHERE endpoint_key = ?"),
                    {indicator::endpointKey(host)});
    if (!q)
        return q.error();
    return q.value().next() ? q.value().value(0).toLongLong() : qint64(0);
}

} // namespace causa::chainq
