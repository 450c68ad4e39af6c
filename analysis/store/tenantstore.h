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
    Result<void> save(const TenantProfile &profile);
    // Removes the profile (not its key: the caller removes that from the secret store).
    Result<bool> remove(const QString &name);
    Result<QString> defaultTenant() const;
    Result<void> setDefaultTenant(const QString &name);
    // The tenant a playbook run should use: the default one, the only one, or none (empty).
    Result<QString> activeTenant() const;

private:
    CaseStore &m_store;
};

} // namespace causa
