#include "tenantstore.h"

#include "actionstore.h"
#include "auditlog.h"
#include "casestore.h"
#include "core/errorcodes.h"
#include "sqlutil.h"

#include <QFileInfo>

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

namespace causa {

namespace {

const QString kPrefix = QStringLiteral("xdr.tenant.");
const QString kDefault = QStringLiteral("xdr.default_tenant");

QString toText(const TenantProfile &p)
{
    const QJsonObject o{{QStringLiteral("api_url"), p.apiUrl},
                        {QStringLiteral("key_id"), p.keyId},
                        {QStringLiteral("key_type"),
                         p.advancedKey ? QStringLiteral("advanced") : QStringLiteral("standard")},
                        {QStringLiteral("ca_file"), p.caFile},
                        {QStringLiteral("allow_self_signed"), p.allowSelfSigned},
                        {QStringLiteral("timeout_ms"), p.timeoutMs}};
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

TenantProfile fromText(const QString &name, const QString &text)
{
    const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
    TenantProfile p;
    p.name = name;
    p.apiUrl = o.value(QStringLiteral("api_url")).toString();
    p.keyId = o.value(QStringLiteral("key_id")).toString();
    p.advancedKey = o.value(QStringLiteral("key_type")).toString() == QLatin1String("advanced");
    p.caFile = o.value(QStringLiteral("ca_file")).toString();
    p.allowSelfSigned = o.value(QStringLiteral("allow_self_signed")).toBool();
    p.timeoutMs = o.value(QStringLiteral("timeout_ms")).toInt(30000);
    return p;
}

Result<QString> valueIn(QSqlDatabase &db, const QString &key)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT value FROM settings WHERE key = ?"));
    if (auto r = sql::exec(q, {key}); !r)
        return r.error();
    return q.next() ? q.value(0).toString() : QString();
}

Result<QString> value(const CaseStore &store, const QString &key)
{
    auto conn = store.connection();
    if (!conn)
        return conn.error();
    return valueIn(conn.value(), key);
}

// Tenant changes go to the store-wide audit chain (case 0), signed by the login the store
// vouches for (db:session_user on PostgreSQL, os:user on SQLite).
Result<void> auditTenant(QSqlDatabase &db, const QString &kind, QJsonObject payload)
{
    auto who = actionstore::sessionLogin(db);
    if (!who)
        return who.error();
    auto a =
        audit::append(db, 0, who.value(), kind,
                      QString::fromUtf8(QJsonDocument(payload).toJson(QJsonDocument::Compact)));
    if (!a)
        return a.error();
    return {};
}

Result<void> putIn(QSqlDatabase &db, const QString &key, const QString &text)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO settings (key, value) VALUES (?, ?) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
    return sql::exec(q, {key, text});
}

Result<void> put(CaseStore &store, const QString &key, const QString &text)
{
    return store.transaction([&](QSqlDatabase &db) { return putIn(db, key, text); });
}

} // namespace

namespace tenantstore {

Result<std::vector<TenantProfile>> list(const CaseStore &store)
{
    auto conn = store.connection();
    if (!conn)
        return conn.error();
    QSqlQuery q(conn.value());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT key, value FROM settings WHERE key LIKE ? ORDER BY key"));
    if (auto r = sql::exec(q, {QString(kPrefix + QLatin1Char('%'))}); !r)
        return r.error();
    std::vector<TenantProfile> out;
    while (q.next()) {
        const QString key = q.value(0).toString();
        if (key.startsWith(kPrefix)) // LIKE treats '_' as a wildcard
            out.push_back(fromText(key.mid(kPrefix.size()), q.value(1).toString()));
    }
    return out;
}

Result<TenantProfile> get(const CaseStore &store, const QString &name)
{
    auto text = value(store, kPrefix + name);
    if (!text)
        return text.error();
    if (text->isEmpty()) {
        QStringList known;
        if (auto all = list(store))
            for (const TenantProfile &p : all.value())
                known << p.name;
        return makeError(
            errc::kXdrNoTenant,
            known.isEmpty()
                ? QStringLiteral("no tenant '%1'; none is configured (causa-cli tenant add)")
                      .arg(name)
                : QStringLiteral("no tenant '%1' (known: %2)")
                      .arg(name, known.join(QStringLiteral(", "))));
    }
    return fromText(name, text.value());
}

Result<bool> save(CaseStore &store, const TenantProfile &profile)
{
    if (const QString why = profile.validate(); !why.isEmpty())
        return makeError(errc::kBadTenant, why);
    const QString text = toText(profile);
    bool unchanged = false;
    auto saved = store.transaction([&](QSqlDatabase &db) -> Result<void> {
        auto before = valueIn(db, kPrefix + profile.name);
        if (!before)
            return before.error();
        if ((unchanged = before.value() == text))
            return {};
        if (auto e = putIn(db, kPrefix + profile.name, text); !e)
            return e;
        QJsonObject payload{
            {QStringLiteral("tenant"), profile.name},
            {QStringLiteral("now"), QJsonDocument::fromJson(text.toUtf8()).object()}};
        if (!before->isEmpty())
            payload.insert(QStringLiteral("before"),
                           QJsonDocument::fromJson(before->toUtf8()).object());
        return auditTenant(db, QStringLiteral("tenant.saved"), payload);
    });
    if (!saved)
        return saved.error();
    return !unchanged;
}

Result<void> auditConfirmed(CaseStore &store, const QString &name, const QString &confirmed)
{
    return store.transaction([&](QSqlDatabase &db) {
        return auditTenant(
            db, QStringLiteral("tenant.confirmed"),
            {{QStringLiteral("tenant"), name}, {QStringLiteral("confirmed"), confirmed}});
    });
}

QString storeId(const CaseStore &store)
{
    const StoreLocation &loc = store.location();
    if (loc.kind == StoreLocation::Kind::Sqlite)
        return QFileInfo(loc.path).absoluteFilePath();
    return QStringLiteral("postgresql://%1@%2:%3/%4")
        .arg(loc.user, loc.host)
        .arg(loc.port)
        .arg(loc.database);
}

Result<bool> remove(CaseStore &store, const QString &name)
{
    bool removed = false;
    auto r = store.transaction([&](QSqlDatabase &db) -> Result<void> {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("DELETE FROM settings WHERE key = ?"));
        if (auto e = sql::exec(q, {QString(kPrefix + name)}); !e)
            return e;
        removed = q.numRowsAffected() > 0;
        QSqlQuery d(db);
        d.prepare(QStringLiteral("DELETE FROM settings WHERE key = ? AND value = ?"));
        if (auto e = sql::exec(d, {kDefault, name}); !e)
            return e;
        return removed ? auditTenant(db, QStringLiteral("tenant.removed"),
                                     {{QStringLiteral("tenant"), name}})
                       : Result<void>{};
    });
    if (!r)
        return r.error();
    return removed;
}

Result<QString> defaultTenant(const CaseStore &store)
{
    return value(store, kDefault);
}

Result<void> setDefaultTenant(CaseStore &store, const QString &name)
{
    if (!name.isEmpty())
        if (auto p = get(store, name); !p)
            return p.error();
    return put(store, kDefault, name);
}

Result<QString> activeTenant(const CaseStore &store)
{
    auto d = defaultTenant(store);
    if (!d)
        return d.error();
    if (!d->isEmpty())
        return d.value();
    auto all = list(store);
    if (!all)
        return all.error();
    return all->size() == 1 ? all->front().name : QString();
}

} // namespace tenantstore
} // namespace causa
