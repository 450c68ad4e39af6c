#pragma once

#include "core/result.h"

#include <QSqlQuery>
#include <QVariant>

#include <initializer_list>

namespace causa::sql {

// Prepares (once) and runs a statement; errors become values naming the statement.
Result<void> exec(QSqlQuery &q, std::initializer_list<QVariant> binds = {});
Result<void> execText(const QSqlDatabase &db, const QString &sql);
Error errorOf(const QSqlQuery &q, const QString &what);
Result<QSqlQuery> prepare(const QSqlDatabase &db, const QString &sql);
qint64 nowMs();
// Null QStrings bind as SQL NULL; our columns are NOT NULL '' instead.
inline QVariant bindable(const QVariant &v)
{
    if (v.typeId() == QMetaType::QString && v.toString().isNull())
        return QVariant(QString(QLatin1String("")));
    return v;
}

} // namespace causa::sql
