#pragma once

#include "core/result.h"
#include "core/tenantprofile.h"

#include <QString>

namespace causa::tenantpins {

// An analyst's own confirmation of where their XDR key may go. Tenant profiles live in the
// (possibly shared) store, so anyone with write access could point "prod" at another URL or CA;
// each analyst keeps, in their local settings, the URL, CA file fingerprint and self-signed
// setting they confirmed for each store's tenant, and their key is sent only while the profile
// still matches. Saving a profile yourself confirms it; a profile someone else saved or changed
// must be confirmed (causa-cli tenant confirm NAME, or Tools > XDR tenants).

// $CAUSA_TENANT_PINS_FILE, else tenant-pins.json in the user's Causa config folder (0600).
QString pinsFilePath();

// What is confirmed about a profile, as text an analyst can read ("https://api-x... · CA
// /etc/ca.pem sha256 ab12… · certificate verified").
QString describe(const TenantProfile &profile);

// Ok when this analyst confirmed exactly this URL, CA and self-signed setting for the tenant in
// that store; else error "xdr-tenant-unconfirmed" saying what changed and how to confirm.
Result<void> check(const QString &storeId, const TenantProfile &profile);
Result<void> confirm(const QString &storeId, const TenantProfile &profile);
Result<void> forget(const QString &storeId, const QString &tenant);

} // namespace causa::tenantpins
