#pragma once

#include "core/result.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <initializer_list>

namespace causa::sql {

// Prepares (once) and runs a statement; errors become values naming the statement.
Result<void> exec(QSqlQuery &q, std::initializer_list<QVariant> binds = {});
Result<void> execText(const QSqlDatabase &db, const QString &sql);
Error errorOf(const QSqlQuery &q, const QString &what);
Error errorOf(const QSqlError &e, const QString &what);
// True when e means the connection to the server is gone (PostgreSQL SQLSTATE class 08,
// admin shutdown 57P01-57P03, or libpq's messages for a dead socket).
bool isConnectionError(const QSqlError &e);
Result<QSqlQuery> prepare(const QSqlDatabase &db, const QString &sql);
qint64 nowMs();
// SQLite only: merges the case queue's FTS5 index (cases_fts) into one segment. Bulk inserts
// leave it in many small segments, and a prefix search then merges them again on every query.
// The merge itself costs a pass over the whole index, so it runs after bulk imports, not per
// case.
Result<void> optimizeCaseSearch(const QSqlDatabase &db);
// Null QStrings bind as SQL NULL; our columns are NOT NULL '' instead.
inline QVariant bindable(const QVariant &v)
{
    if (v.typeId() == QMetaType::QString && v.toString().isNull())
        return QVariant(QString(QLatin1String("")));
    return v;
}

} // namespace causa::sql
