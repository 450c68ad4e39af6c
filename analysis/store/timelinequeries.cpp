#include "timelinequeries.h"

#include "casestore.h"
#include "sqlutil.h"

#include <QHash>
#include <QSqlQuery>

namespace causa::timelineq {

namespace {

// Raw kinds the importers write, by chart group; anything else is "other".
const QList<std::pair<QString, QStringList>> &groupTable()
{
    static const QList<std::pair<QString, QStringList>> table = {
        {QStringLiteral("process"),
         {QStringLiteral("process_create"), QStringLiteral("process_exit"),
          QStringLiteral("process_access"), QStringLiteral("image_load")}},
        {QStringLiteral("network"), {QStringLiteral("network"), QStringLiteral("dns")}},
        {QStringLiteral("file"), {QStringLiteral("file")}},
        {QStringLiteral("registry"), {QStringLiteral("registry")}},
        {QStringLiteral("service"), {QStringLiteral("service_install")}},
        {QStringLiteral("pipe"), {QStringLiteral("pipe")}},
        {QStringLiteral("logon"), {QStringLiteral("logon"), QStringLiteral("share")}},
    };
    return table;
}

QString idList(const QList<qint64> &ids)
{
    QStringList parts;
    parts.reserve(ids.size());
    for (const qint64 id : ids)
        parts << QString::number(id);
    return parts.join(QLatin1Char(','));
}

QString quoted(const QStringList &values)
{
    QStringList out;
    for (const QString &v : values)
        out << QLatin1Char('\'') + QString(v).replace(QLatin1Char('\''), QStringLiteral("''")) +
                   QLatin1Char('\'');
    return out.join(QLatin1Char(','));
}

Result<QSqlQuery> run(CaseStore &store, const QString &text, const QVariantList &binds)
{
    auto db = store.connection();
    if (!db)
        return db.error();
    QSqlQuery q(db.value());
    q.setForwardOnly(true);
    if (!q.prepare(text))
        return sql::errorOf(q, QStringLiteral("timeline: ") + text.left(60));
    for (int i = 0; i < binds.size(); ++i)
        q.bindValue(i, binds.at(i));
    if (!q.exec())
        return sql::errorOf(q, QStringLiteral("timeline: ") + text.left(60));
    return q;
}

// LIKE pattern matching the text anywhere, with the wildcards of the text taken literally.
QString likePattern(const QString &text)
{
    QString t = text.trimmed().toLower();
    t.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    t.replace(QLatin1Char('%'), QStringLiteral("\\%"));
    t.replace(QLatin1Char('_'), QStringLiteral("\\_"));
    return QLatin1Char('%') + t + QLatin1Char('%');
}

// WHERE clause over events e.
// Ids and kinds come from our own tables/constants; user text is always bound.
QString whereOf(const TimelineScope &scope, QVariantList &binds, bool withFilters)
{
    QString w =
        QStringLiteral(" WHERE e.endpoint_id IN (") + idList(scope.endpointIds) + QLatin1Char(')');
    if (scope.from != 0 || scope.to != 0) {
        w += QStringLiteral(" AND e.ts >= ? AND e.ts <= ?");
        binds << scope.from << scope.to;
    }
    if (!withFilters)
        return w;
    if (!scope.groups.isEmpty()) {
        QStringList raw;
        bool other = false;
        for (const QString &g : scope.groups) {
            bool known = false;
            for (const auto &[name, kinds] : groupTable())
                if (name == g) {
                    raw += kinds;
                    known = true;
                }
            other = other || !known;
        }
        QStringList clauses;
        if (!raw.isEmpty())
            clauses << QStringLiteral("e.kind IN (") + quoted(raw) + QLatin1Char(')');
        if (other) {
            QStringList all;
            for (const auto &entry : groupTable())
                all += entry.second;
            clauses << QStringLiteral("e.kind NOT IN (") + quoted(all) + QLatin1Char(')');
        }
        w += QStringLiteral(" AND (") + clauses.join(QStringLiteral(" OR ")) + QLatin1Char(')');
    }
    if (!scope.text.trimmed().isEmpty()) {
        // The image match is a subquery over the host's (few) processes, not a join per event.
        w +=
            QStringLiteral(
                " AND (LOWER(e.summary) LIKE ? ESCAPE '\\' OR e.process_key IN (SELECT process_key "
                "FROM processes WHERE endpoint_id IN (") +
            idList(scope.endpointIds) +
            QStringLiteral(") AND process_key <> '' AND LOWER(image_name) LIKE ? ESCAPE '\\'))");
        const QString pattern = likePattern(scope.text);
        binds << pattern << pattern;
    }
    return w;
}

} // namespace

QString kindGroup(const QString &rawKind)
{
    for (const auto &[name, kinds] : groupTable())
        if (kinds.contains(rawKind))
            return name;
    return QStringLiteral("other");
}

QStringList kindGroups()
{
    QStringList out;
    for (const auto &entry : groupTable())
        out << entry.first;
    out << QStringLiteral("other");
    return out;
}

qint64 bucketWidthFor(qint64 spanMs, int maxBuckets)
{
    static const qint64 steps[] = {1000,          5000,          10000,          30000,     60000,
                                   300000,        600000,        900000,         1800000,   3600000,
                                   3 * 3600000LL, 6 * 3600000LL, 12 * 3600000LL, 86400000LL};
    const qint64 span = std::max<qint64>(spanMs, 1);
    for (const qint64 s : steps)
        if (span / s < maxBuckets)
            return s;
    const qint64 day = 86400000LL;
    return ((span / maxBuckets) / day + 1) * day;
}

Result<std::pair<qint64, qint64>> eventSpan(CaseStore &store, const QList<qint64> &endpointIds)
{
    if (endpointIds.isEmpty())
        return std::pair<qint64, qint64>{0, 0};
    auto q = run(store,
                 QStringLiteral("SELECT MIN(ts), MAX(ts) FROM events WHERE endpoint_id IN (") +
                     idList(endpointIds) + QLatin1Char(')'),
                 {});
    if (!q)
        return q.error();
    if (!q.value().next() || q.value().value(0).isNull())
        return std::pair<qint64, qint64>{0, 0};
    return std::pair<qint64, qint64>{q.value().value(0).toLongLong(),
                                     q.value().value(1).toLongLong()};
}

Result<std::vector<TimelineBucket>> buckets(CaseStore &store, const TimelineScope &scope,
                                            qint64 bucketMs)
{
    std::vector<TimelineBucket> out;
    if (scope.endpointIds.isEmpty() || bucketMs <= 0)
        return out;
    QVariantList binds{scope.from, bucketMs};
    const QString where = whereOf(scope, binds, false);
    // Integer division on both dialects: ts and the bound values are 64-bit integers.
    auto q = run(store,
                 QStringLiteral("SELECT (e.ts - ?) / ? AS b, e.kind, COUNT(*) FROM events e") +
                     where + QStringLiteral(" GROUP BY b, e.kind ORDER BY b"),
                 binds);
    if (!q)
        return q.error();
    while (q.value().next()) {
        TimelineBucket b;
        b.start = scope.from + q.value().value(0).toLongLong() * bucketMs;
        b.kind = q.value().value(1).toString();
        b.count = q.value().value(2).toLongLong();
        out.push_back(std::move(b));
    }
    return out;
}

Result<qint64> countEvents(CaseStore &store, const TimelineScope &scope)
{
    if (scope.endpointIds.isEmpty())
        return qint64(0);
    QVariantList binds;
    const QString where = whereOf(scope, binds, true);
    auto q = run(store, QStringLiteral("SELECT COUNT(*) FROM events e") + where, binds);
    if (!q)
        return q.error();
    return q.value().next() ? q.value().value(0).toLongLong() : qint64(0);
}

namespace {

Result<std::vector<TimelineEvent>> selectEvents(CaseStore &store, const QString &tail,
                                                const QVariantList &binds, int limit)
{
    std::vector<TimelineEvent> out;
    auto q = run(
        store,
        QStringLiteral(
            "SELECT e.id, e.ts, COALESCE(NULLIF(n.host_name, ''), n.endpoint_key, ''), e.kind, e.event_code, "
            "e.process_key, COALESCE(p.image_name, ''), COALESCE(p.pid, -1), e.summary "
            "FROM events e LEFT JOIN processes p ON p.process_key = e.process_key "
            "LEFT JOIN endpoints n ON n.id = e.endpoint_id") +
            tail,
        binds);
    if (!q)
        return q.error();
    out.reserve(size_t(limit));
    while (q.value().next()) {
        const QSqlQuery &r = q.value();
        TimelineEvent e;
        e.id = r.value(0).toLongLong();
        e.ts = r.value(1).toLongLong();
        e.host = r.value(2).toString();
        e.kind = r.value(3).toString();
        e.eventCode = r.value(4).toInt();
        e.processKey = r.value(5).toString();
        e.image = r.value(6).toString();
        e.pid = r.value(7).toLongLong();
        e.summary = r.value(8).toString();
        out.push_back(std::move(e));
    }
    return out;
}

} // namespace

Result<std::vector<TimelineEvent>> events(CaseStore &store, const TimelineScope &scope,
                                          qint64 offset, int limit)
{
    std::vector<TimelineEvent> out;
    if (scope.endpointIds.isEmpty())
        return out;
    QVariantList binds;
    const QString where = whereOf(scope, binds, true);
    binds << qint64(limit) << offset;
    return selectEvents(store, where + QStringLiteral(" ORDER BY e.ts, e.id LIMIT ? OFFSET ?"),
                        binds, limit);
}

Result<TimelineEvent> eventById(CaseStore &store, qint64 eventId)
{
    auto rows = selectEvents(store, QStringLiteral(" WHERE e.id = ?"), {eventId}, 1);
    if (!rows)
        return rows.error();
    return rows.value().empty() ? TimelineEvent{} : rows.value().front();
}

Result<std::vector<TimelineAlert>> alerts(CaseStore &store, const QList<qint64> &endpointIds,
                                          qint64 from, qint64 to)
{
    std::vector<TimelineAlert> out;
    if (endpointIds.isEmpty())
        return out;
    QString text =
        QStringLiteral("SELECT id, case_id, detected_at, name, host_name, severity FROM alerts "
                       "WHERE endpoint_id IN (") +
        idList(endpointIds) + QLatin1Char(')');
    QVariantList binds;
    if (from != 0 || to != 0) {
        text += QStringLiteral(" AND detected_at >= ? AND detected_at <= ?");
        binds << from << to;
    }
    auto q = run(store, text + QStringLiteral(" ORDER BY detected_at, id LIMIT 5000"), binds);
    if (!q)
        return q.error();
    while (q.value().next()) {
        const QSqlQuery &r = q.value();
        out.push_back({r.value(0).toLongLong(), r.value(1).toLongLong(), r.value(2).toLongLong(),
                       r.value(3).toString(), r.value(4).toString(), Severity(r.value(5).toInt())});
    }
    return out;
}

Result<QStringList> hostNames(CaseStore &store, const QList<qint64> &endpointIds)
{
    if (endpointIds.isEmpty())
        return QStringList();
    auto q = run(
        store,
        QStringLiteral(
            "SELECT COALESCE(NULLIF(host_name, ''), endpoint_key) FROM endpoints WHERE id IN (") +
            idList(endpointIds) + QStringLiteral(") ORDER BY id"),
        {});
    if (!q)
        return q.error();
    QStringList out;
    while (q.value().next())
        out << q.value().value(0).toString();
    return out;
}

} // namespace causa::timelineq
