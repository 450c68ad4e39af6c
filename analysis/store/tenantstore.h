#pragma once

#include "core/result.h"
#include "xdr/tenantprofile.h"

#include <vector>

namespace causa {

class CaseStore;

// Cortex XDR tenant profiles in the store's settings table (keys "xdr.tenant.<name>", JSON
// values; "xdr.default_tenant" names the one stages 4b/4c use). Keys are never written here.
class TenantStore final
{
public:
    explicit TenantStore(CaseStore &store) : m_store(store) {}

    Result<std::vector<TenantProfile>> list() const;
    // The profile, or an "xdr-no-tenant" error naming the known ones.
    Result<TenantProfile> get(const QString &name) const;
    // Saves the profile, records the change in the store-wide audit chain (who, URL, CA,
    // self-signed, and what it was before) and confirms it for this analyst: whoever saves a
    // profile has seen where it points.
    Result<void> save(const TenantProfile &profile);
    // Removes the profile (not its key: the caller removes that from the secret store); audited.
    Result<bool> remove(const QString &name);
    // The endpoint with this analyst's key, only while the profile is the one they confirmed
    // (xdr/tenantpins.h): error "xdr-tenant-unconfirmed" otherwise. Every use of a key goes here.
    Result<XdrEndpoint> endpoint(const TenantProfile &profile) const;
    // This analyst confirms the tenant as it is now (audited).
    Result<TenantProfile> confirm(const QString &name);
    // Which store the pins refer to: the SQLite file's absolute path or the PostgreSQL URL
    // without password.
    QString storeId() const;
    Result<QString> defaultTenant() const;
    Result<void> setDefaultTenant(const QString &name);
    // The tenant a playbook run should use: the default one, the only one, or none (empty).
    Result<QString> activeTenant() const;

private:
    CaseStore &m_store;
};

} // namespace causa
