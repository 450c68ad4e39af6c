#include "sqlutil.h"

#include <QDateTime>
#include <QSqlError>

namespace causa::sql {

Error errorOf(const QSqlQuery &q, const QString &what)
{
    QString stmt = q.lastQuery().simplified();
    if (stmt.size() > 120)
        stmt = stmt.left(117) + QStringLiteral("...");
    return makeError(QStringLiteral("sql"), q.lastError().text(), what.isEmpty() ? stmt : what);
}

Result<void> exec(QSqlQuery &q, std::initializer_list<QVariant> binds)
{
    int i = 0;
    for (const QVariant &v : binds)
        q.bindValue(i++, bindable(v));
    if (!q.exec())
        return errorOf(q, {});
    return {};
}

Result<void> execText(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql))
        return errorOf(q, {});
    return {};
}

Result<QSqlQuery> prepare(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.prepare(sql))
        return errorOf(q, {});
    return q;
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace causa::sql
