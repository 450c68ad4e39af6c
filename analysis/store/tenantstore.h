#pragma once

#include "core/result.h"
#include "core/tenantprofile.h"

#include <vector>

namespace causa {

class CaseStore;

// Cortex XDR tenant profiles in the store's settings table (keys "xdr.tenant.<name>", JSON
// values; "xdr.default_tenant" names the one stages 4b/4c use). Keys are never written here.
// Saving, confirming and removing a profile also pin or forget it for this analyst, and the
// endpoint with the key is built in xdr/xdrtenants.h: callers go there for those.
namespace tenantstore {

Result<std::vector<TenantProfile>> list(const CaseStore &store);
// The profile, or an "xdr-no-tenant" error naming the known ones.
Result<TenantProfile> get(const CaseStore &store, const QString &name);
// Validates and stores the profile, recording the change in the store-wide audit chain (who,
// URL, CA, self-signed, and what it was before). Returns false when it was stored exactly so
// already (nothing written, nothing audited).
Result<bool> save(CaseStore &store, const TenantProfile &profile);
// Records in the store-wide audit chain that this analyst confirmed the tenant as `confirmed`
// describes it.
Result<void> auditConfirmed(CaseStore &store, const QString &name, const QString &confirmed);
// Removes the profile (and the default when it named it); audited when there was one.
Result<bool> remove(CaseStore &store, const QString &name);
// Which store the pins refer to: the SQLite file's absolute path or the PostgreSQL URL
// without password.
QString storeId(const CaseStore &store);
Result<QString> defaultTenant(const CaseStore &store);
Result<void> setDefaultTenant(CaseStore &store, const QString &name);
// The tenant a playbook run should use: the default one, the only one, or none (empty).
Result<QString> activeTenant(const CaseStore &store);

} // namespace tenantstore
} // namespace causa
