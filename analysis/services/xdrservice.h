#pragma once

#include "core/tenantprofile.h"
#include "store/casestore.h"
#include "xdr/xdrpull.h"

#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <memory>
#include <vector>

namespace causa {

// The workbench's door to Cortex XDR tenants: profile edits, connection tests and pulls run on
// a worker thread (one at a time, they all touch the network or the keychain) and come back as
// values through queued signals. Keys pass through here only on their way to the secret store.
class XdrService final : public QObject
{
    Q_OBJECT

public:
    explicit XdrService(std::shared_ptr<CaseStore> store, QObject *parent = nullptr);
    ~XdrService() override;

    void loadTenants();
    // `key` empty = keep the stored key.
    void saveTenant(const TenantProfile &profile, const QString &key, bool makeDefault);
    void removeTenant(const QString &name);
    // This analyst confirms where the tenant points (xdr/tenantpins.h); emits tenantConfirmed.
    void confirmTenant(const QString &name);
    // Tests the profile as entered (with `key`, or the stored key when empty) without saving it.
    void testTenant(const TenantProfile &profile, const QString &key);
    void pull(const QString &incidentId, const QString &tenant, bool related, qint64 windowMs);
    void cancelPull() { m_cancel = true; }
    bool busy() const { return m_busy > 0; }

Q_SIGNALS:
    void tenantsLoaded(const std::vector<causa::TenantProfile> &tenants,
                       const QString &defaultTenant, const QStringList &withKey,
                       const QString &secretBackend);
    void tenantSaved(const QString &name);
    // After tenantsLoaded: the tenants this analyst has not confirmed as they are now.
    void tenantsUnconfirmed(const QStringList &names);
    void tenantConfirmed(const QString &name, const QString &where);
    void tenantRemoved(const QString &name);
    void tenantTested(const QString &name, bool ok, const QString &message);
    void pullStatus(const QString &status);
    void pullFinished(const causa::XdrPullOutcome &outcome);
    void failed(const QString &message);

private:
    template<typename Work>
    void run(Work work);

    std::shared_ptr<CaseStore> m_store;
    QThreadPool m_pool;
    std::atomic_bool m_cancel{false};
    std::atomic_int m_busy{0};
};

} // namespace causa

Q_DECLARE_METATYPE(causa::XdrPullOutcome)
