#include "settingsstore.h"

#include "core/errorcodes.h"
#include "sqlutil.h"

#include <QSqlQuery>

namespace causa {

namespace settingsstore {

Result<std::map<QString, QString>> values(const CaseStore &store, const QString &prefix)
{
    auto conn = store.connection();
    if (!conn)
        return conn.error();
    QSqlQuery q(conn.value());
    q.setForwardOnly(true);
    // The table is small; filtering here keeps the prefix literal and independent of collation.
    q.prepare(QStringLiteral("SELECT key, value FROM settings"));
    if (auto r = sql::exec(q); !r)
        return r.error();
    std::map<QString, QString> out;
    while (q.next()) {
        const QString key = q.value(0).toString();
        if (key.startsWith(prefix))
            out[key] = q.value(1).toString();
    }
    return out;
}

Result<void> setValues(CaseStore &store, const std::map<QString, QString> &values)
{
    return store.transaction([&](QSqlDatabase &db) -> Result<void> {
        QSqlQuery q(db);
        // ON CONFLICT … DO UPDATE is the same on SQLite (≥ 3.24) and PostgreSQL.
        q.prepare(QStringLiteral("INSERT INTO settings (key, value) VALUES (?, ?) "
                                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
        for (const auto &[key, value] : values) {
            if (key.trimmed().isEmpty())
                return makeError(errc::kBadSetting, QStringLiteral("a setting needs a key"));
            if (auto r = sql::exec(q, {key, sql::bindable(value)}); !r)
                return r;
        }
        return {};
    });
}

Result<void> remove(CaseStore &store, const QString &key)
{
    return store.transaction([&](QSqlDatabase &db) -> Result<void> {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("DELETE FROM settings WHERE key = ?"));
        return sql::exec(q, {key});
    });
}

} // namespace settingsstore
} // namespace causa
