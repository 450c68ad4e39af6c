#include "sqlutil.h"

#include "core/errorcodes.h"

#include <QDateTime>

namespace causa::sql {

bool isConnectionError(const QSqlError &e)
{
    if (e.type() == QSqlError::ConnectionError)
        return true;
    const QString code = e.nativeErrorCode();
    if (code.startsWith(QLatin1String("08")) || code == QLatin1String("57P01") ||
        code == QLatin1String("57P02") || code == QLatin1String("57P03"))
        return true;
    if (!code.isEmpty())
        return false;
    // libpq reports a dead socket without an SQLSTATE; these are its (untranslated) phrases.
    static const char *const phrases[] = {"server closed the connection",
                                          "no connection to the server",
                                          "terminating connection",
                                          "could not receive data from server",
                                          "could not send data to server",
                                          "connection to server",
                                          "Connection refused",
                                          "lost synchronization with server",
                                          "connection not open",
                                          "SSL SYSCALL error"};
    const QString text = e.databaseText() + QLatin1Char(' ') + e.driverText();
    for (const char *p : phrases)
        if (text.contains(QLatin1String(p), Qt::CaseInsensitive))
            return true;
    return false;
}

Error errorOf(const QSqlError &e, const QString &what)
{
    const QString code = e.nativeErrorCode();
    if (isConnectionError(e))
        return makeError(errc::kStoreConnection,
                         QStringLiteral("the connection to the case store was lost: %1")
                             .arg(e.text().simplified()),
                         what);
    // 40001 serialization failure, 40P01 deadlock detected: the server rolled back; a retry succeeds.
    if (code == QLatin1String("40001") || code == QLatin1String("40P01"))
        return makeError(errc::kStoreBusy, e.text().simplified(), what);
    return makeError(errc::kSql, e.text(), what);
}

Error errorOf(const QSqlQuery &q, const QString &what)
{
    QString stmt = q.lastQuery().simplified();
    if (stmt.size() > 120)
        stmt = stmt.left(117) + QStringLiteral("...");
    return errorOf(q.lastError(), what.isEmpty() ? stmt : what);
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

Result<void> optimizeCaseSearch(const QSqlDatabase &db)
{
    if (auto r =
            execText(db, QStringLiteral("INSERT INTO cases_fts(cases_fts) VALUES('optimize')"));
        !r)
        return makeError(errc::kSql,
                         QStringLiteral("optimizing the case search index: ") + r.error().message);
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
