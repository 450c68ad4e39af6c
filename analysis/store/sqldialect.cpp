#include "sqldialect.h"

namespace causa {

QString SqlDialect::driverName() const
{
    return m_kind == Kind::Sqlite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL");
}

QString SqlDialect::fill(const QString &sql) const
{
    QString out = sql;
    if (m_kind == Kind::Sqlite) {
        out.replace(QLatin1String("{{ID}}"), QLatin1String("INTEGER PRIMARY KEY"));
        out.replace(QLatin1String("{{BLOB}}"), QLatin1String("BLOB"));
    } else {
        out.replace(QLatin1String("{{ID}}"), QLatin1String("BIGSERIAL PRIMARY KEY"));
        out.replace(QLatin1String("{{BLOB}}"), QLatin1String("BYTEA"));
    }
    return out;
}

QString SqlDialect::ilike() const
{
    return m_kind == Kind::Sqlite ? QStringLiteral("LIKE") : QStringLiteral("ILIKE");
}

} // namespace causa
