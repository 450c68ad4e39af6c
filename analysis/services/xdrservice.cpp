#include "xdrservice.h"

#include "secrets/secretstore.h"
#include "store/tenantstore.h"
#include "xdr/tenantpins.h"
#include "xdr/xdrtenants.h"

namespace causa {

XdrService::XdrService(std::shared_ptr<CaseStore> store, QObject *parent)
    : QObject(parent), m_store(std::move(store))
{
    qRegisterMetaType<causa::XdrPullOutcome>();
    m_pool.setMaxThreadCount(1);
}

XdrService::~XdrService()
{
    m_cancel = true;
    m_pool.waitForDone();
}

template<typename Work>
void XdrService::run(Work work)
{
    ++m_busy;
    auto store = m_store;
    // The destructor waits for the pool, so `this` outlives every job; queued calls to a deleted
    // service are dropped by Qt.
    m_pool.start([this, store, work = std::move(work)] {
        auto emitter = [this](auto fn) {
            QMetaObject::invokeMethod(
                this, [this, fn = std::move(fn)] { fn(this); }, Qt::QueuedConnection);
        };
        work(*store, emitter);
        QMetaObject::invokeMethod(
            this, [this] { --m_busy; }, Qt::QueuedConnection);
    });
}

void XdrService::loadTenants()
{
    run([](CaseStore &store, auto emitter) {
        auto list = tenantstore::list(store);
        if (!list) {
            emitter([e = list.error().message](XdrService *s) { Q_EMIT s->failed(e); });
            return;
        }
        QStringList withKey, unconfirmed;
        for (const TenantProfile &p : list.value()) {
            if (auto k = secrets::read(p.secretName()); k && !k->isEmpty())
                withKey << p.name;
            if (!tenantpins::check(tenantstore::storeId(store), p))
                unconfirmed << p.name;
        }
        const QString def = [&] {
            auto d = tenantstore::defaultTenant(store);
            return d ? d.value() : QString();
        }();
        const QString backend = secrets::backendDescription();
        emitter([l = list.value(), def, withKey, backend, unconfirmed](XdrService *s) {
            Q_EMIT s->tenantsLoaded(l, def, withKey, backend);
            Q_EMIT s->tenantsUnconfirmed(unconfirmed);
        });
    });
}

void XdrService::saveTenant(const TenantProfile &profile, const QString &key, bool makeDefault)
{
    run([profile, key, makeDefault](CaseStore &store, auto emitter) {
        Result<void> r = xdrtenants::save(store, profile);
        if (r && !key.isEmpty())
            r = secrets::write(profile.secretName(), key);
        if (r && makeDefault)
            r = tenantstore::setDefaultTenant(store, profile.name);
        else if (r && !makeDefault && [&] {
                     auto d = tenantstore::defaultTenant(store);
                     return d ? d.value() : QString();
                 }() == profile.name)
            r = tenantstore::setDefaultTenant(store, QString());
        if (!r) {
            emitter([e = r.error().message](XdrService *s) { Q_EMIT s->failed(e); });
            return;
        }
        emitter([name = profile.name](XdrService *s) { Q_EMIT s->tenantSaved(name); });
    });
}

void XdrService::removeTenant(const QString &name)
{
    run([name](CaseStore &store, auto emitter) {
        auto r = xdrtenants::remove(store, name);
        Result<void> k = secrets::remove(TenantProfile::secretNameFor(name));
        if (!r || !k) {
            emitter(
                [e = (!r ? r.error() : k.error()).message](XdrService *s) { Q_EMIT s->failed(e); });
            return;
        }
        emitter([name](XdrService *s) { Q_EMIT s->tenantRemoved(name); });
    });
}

void XdrService::confirmTenant(const QString &name)
{
    run([name](CaseStore &store, auto emitter) {
        auto confirmed = xdrtenants::confirm(store, name);
        if (!confirmed) {
            emitter([e = confirmed.error().message](XdrService *s) { Q_EMIT s->failed(e); });
            return;
        }
        emitter([name, where = tenantpins::describe(confirmed.value())](XdrService *s) {
            Q_EMIT s->tenantConfirmed(name, where);
        });
    });
}

void XdrService::testTenant(const TenantProfile &profile, const QString &key)
{
    run([profile, key](CaseStore &store, auto emitter) {
        auto done = [&](bool ok, const QString &msg) {
            emitter([name = profile.name, ok, msg](XdrService *s) {
                Q_EMIT s->tenantTested(name, ok, msg);
            });
        };
        if (const QString why = profile.validate(); !why.isEmpty())
            return done(false, why);
        XdrEndpoint e;
        if (key.isEmpty()) {
            auto stored = xdrtenants::endpoint(store, profile);
            if (!stored)
                return done(false, stored.error().message);
            e = stored.value();
        } else {
            e.baseUrl = QUrl(profile.apiUrl);
            e.apiKeyId = profile.keyId;
            e.apiKey = key;
            e.advancedKey = profile.advancedKey;
            e.tls = {profile.caFile, profile.allowSelfSigned};
            e.timeoutMs = profile.timeoutMs;
        }
        XdrClientOptions o;
        o.maxAttempts = 1;
        auto r = XdrClient(e, o).testConnection();
        done(r.ok(), r ? r.value() : r.error().message);
    });
}

void XdrService::pull(const QString &incidentId, const QString &tenant, bool related,
                      qint64 windowMs)
{
    m_cancel = false;
    std::atomic_bool *cancel = &m_cancel;
    run([incidentId, tenant, related, windowMs, cancel](CaseStore &store, auto emitter) {
        auto fail = [&](const Error &e) {
            emitter([m = e.message](XdrService *s) { Q_EMIT s->failed(m); });
        };
        auto profile = tenantstore::get(store, tenant);
        if (!profile)
            return fail(profile.error());
        auto endpoint = xdrtenants::endpoint(store, profile.value());
        if (!endpoint)
            return fail(endpoint.error());
        XdrClientOptions o;
        o.cancel = cancel;
        o.status = [&](const QString &st) {
            emitter([st](XdrService *s) { Q_EMIT s->pullStatus(st); });
        };
        XdrClient client(endpoint.value(), o);
        ImportOptions io;
        io.cancel = cancel;
        io.actor = QStringLiteral("xdr-pull");
        auto out = XdrPuller(store, client, tenant).pullIncident(incidentId, related, windowMs, io);
        if (!out)
            return fail(out.error());
        emitter([o = out.value()](XdrService *s) { Q_EMIT s->pullFinished(o); });
    });
}

} // namespace causa
