#include "tenantstore.h"

#include "actionstore.h"
#include "auditlog.h"
#include "casestore.h"
#include "core/errorcodes.h"
#include "sqlutil.h"
#include "xdr/tenantpins.h"

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
                        {QStringLiteral("key_type"), p.advancedKey ? QStringLiteral("advanced") : QStringLiteral("standard")},
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

Result<QString> value(CaseStore &store, const QString &key)
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
    auto who = ActionStore::sessionLogin(db);
    if (!who)
        return who.error();
    auto a = audit::append(db, 0, who.value(), kind,
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

Result<std::vector<TenantProfile>> TenantStore::list() const
{
    auto conn = m_store.connection();
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

Result<TenantProfile> TenantStore::get(const QString &name) const
{
    auto text = value(m_store, kPrefix + name);
    if (!text)
        return text.error();
    if (text->isEmpty()) {
        QStringList known;
        if (auto all = list())
            for (const TenantProfile &p : all.value())
                known << p.name;
        return makeError(errc::kXdrNoTenant,
                         known.isEmpty() ? QStringLiteral("no tenant '%1'; none is configured (causa-cli tenant add)").arg(name)
                                         : QStringLiteral("no tenant '%1' (known: %2)").arg(name, known.join(QStringLiteral(", "))));
    }
    return fromText(name, text.value());
}

Result<void> TenantStore::save(const TenantProfile &profile)
{
    if (const QString why = profile.validate(); !why.isEmpty())
        return makeError(errc::kBadTenant, why);
    const QString text = toText(profile);
    bool unchanged = false;
    auto saved = m_store.transaction([&](QSqlDatabase &db) -> Result<void> {
        auto before = valueIn(db, kPrefix + profile.name);
        if (!before)
            return before.error();
        if ((unchanged = before.value() == text))
            return {};
        if (auto e = putIn(db, kPrefix + profile.name, text); !e)
            return e;
        QJsonObject payload{{QStringLiteral("tenant"), profile.name},
                            {QStringLiteral("now"), QJsonDocument::fromJson(text.toUtf8()).object()}};
        if (!before->isEmpty())
            payload.insert(QStringLiteral("before"), QJsonDocument::fromJson(before->toUtf8()).object());
        return auditTenant(db, QStringLiteral("tenant.saved"), payload);
    });
    if (!saved)
        return saved;
    if (unchanged) { // saving it as it is: a confirmation, audited as one
        auto confirmed = confirm(profile.name);
        return confirmed ? Result<void>() : Result<void>(confirmed.error());
    }
    return tenantpins::confirm(storeId(), profile);
}

Result<XdrEndpoint> TenantStore::endpoint(const TenantProfile &profile) const
{
    if (auto pinned = tenantpins::check(storeId(), profile); !pinned)
        return pinned.error();
    return profile.endpointUnpinned();
}

Result<TenantProfile> TenantStore::confirm(const QString &name)
{
    auto profile = get(name);
    if (!profile)
        return profile.error();
    auto audited = m_store.transaction([&](QSqlDatabase &db) {
        return auditTenant(db, QStringLiteral("tenant.confirmed"),
                           {{QStringLiteral("tenant"), name}, {QStringLiteral("confirmed"), tenantpins::describe(profile.value())}});
    });
    if (!audited)
        return audited.error();
    if (auto pinned = tenantpins::confirm(storeId(), profile.value()); !pinned)
        return pinned.error();
    return profile;
}

QString TenantStore::storeId() const
{
    const StoreLocation &loc = m_store.location();
    if (loc.kind == StoreLocation::Kind::Sqlite)
        return QFileInfo(loc.path).absoluteFilePath();
    return QStringLiteral("postgresql://%1@%2:%3/%4").arg(loc.user, loc.host).arg(loc.port).arg(loc.database);
}

Result<bool> TenantStore::remove(const QString &name)
{
    bool removed = false;
    auto r = m_store.transaction([&](QSqlDatabase &db) -> Result<void> {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("DELETE FROM settings WHERE key = ?"));
        if (auto e = sql::exec(q, {QString(kPrefix + name)}); !e)
            return e;
        removed = q.numRowsAffected() > 0;
        QSqlQuery d(db);
        d.prepare(QStringLiteral("DELETE FROM settings WHERE key = ? AND value = ?"));
        if (auto e = sql::exec(d, {kDefault, name}); !e)
            return e;
        return removed ? auditTenant(db, QStringLiteral("tenant.removed"), {{QStringLiteral("tenant"), name}}) : Result<void>{};
    });
    if (!r)
        return r.error();
    if (auto forgotten = tenantpins::forget(storeId(), name); !forgotten)
        return forgotten.error();
    return removed;
}

Result<QString> TenantStore::defaultTenant() const
{
    return value(m_store, kDefault);
}

Result<void> TenantStore::setDefaultTenant(const QString &name)
{
    if (!name.isEmpty())
        if (auto p = get(name); !p)
            return p.error();
    return put(m_store, kDefault, name);
}

Result<QString> TenantStore::activeTenant() const
{
    auto d = defaultTenant();
    if (!d)
        return d.error();
    if (!d->isEmpty())
        return d.value();
    auto all = list();
    if (!all)
        return all.error();
    return all->size() == 1 ? all->front().name : QString();
}

} // namespace causa
