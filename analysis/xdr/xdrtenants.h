#pragma once

#include "connectors/xdrtransport.h"
#include "core/result.h"
#include "core/tenantprofile.h"

namespace causa {

class CaseStore;

// What using a tenant profile involves beyond its row (store/tenantstore.h): this analyst's pin
// of where their key may go (xdr/tenantpins.h) and the endpoint with the key from the secret
// store. Every use of a key goes through endpoint().
namespace xdrtenants {

// Saves the profile (store/tenantstore.h: validated, audited) and confirms it for this analyst:
// whoever saves a profile has seen where it points. Saving it unchanged is a confirmation,
// audited as one.
Result<void> save(CaseStore &store, const TenantProfile &profile);
// This analyst confirms the tenant as it is now (audited).
Result<TenantProfile> confirm(CaseStore &store, const QString &name);
// Removes the profile (not its key: the caller removes that from the secret store) and this
// analyst's pin of it; audited.
Result<bool> remove(CaseStore &store, const QString &name);
// The endpoint with this analyst's key, only while the profile is the one they confirmed
// (xdr/tenantpins.h): error "xdr-tenant-unconfirmed" otherwise.
Result<XdrEndpoint> endpoint(const CaseStore &store, const TenantProfile &profile);
// The endpoint with the key read from the secret store, WITHOUT checking that this analyst
// confirmed where it points: use endpoint(), which does.
Result<XdrEndpoint> endpointUnpinned(const TenantProfile &profile);

} // namespace xdrtenants
} // namespace causa
