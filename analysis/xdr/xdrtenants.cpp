#include "xdrtenants.h"

#include "core/errorcodes.h"
#include "secrets/secretstore.h"
#include "store/tenantstore.h"
#include "tenantpins.h"

#include <QUrl>

namespace causa::xdrtenants {

Result<void> save(CaseStore &store, const TenantProfile &profile)
{
    auto changed = tenantstore::save(store, profile);
    if (!changed)
        return changed.error();
    if (!changed.value()) { // saving it as it is: a confirmation, audited as one
        auto confirmed = confirm(store, profile.name);
        return confirmed ? Result<void>() : Result<void>(confirmed.error());
    }
    return tenantpins::confirm(tenantstore::storeId(store), profile);
}

Result<TenantProfile> confirm(CaseStore &store, const QString &name)
{
    auto profile = tenantstore::get(store, name);
    if (!profile)
        return profile.error();
    if (auto audited =
            tenantstore::auditConfirmed(store, name, tenantpins::describe(profile.value()));
        !audited)
        return audited.error();
    if (auto pinned = tenantpins::confirm(tenantstore::storeId(store), profile.value()); !pinned)
        return pinned.error();
    return profile;
}

Result<bool> remove(CaseStore &store, const QString &name)
{
    auto removed = tenantstore::remove(store, name);
    if (!removed)
        return removed.error();
    if (auto forgotten = tenantpins::forget(tenantstore::storeId(store), name); !forgotten)
        return forgotten.error();
    return removed;
}

Result<XdrEndpoint> endpoint(const CaseStore &store, const TenantProfile &profile)
{
    if (auto pinned = tenantpins::check(tenantstore::storeId(store), profile); !pinned)
        return pinned.error();
    return endpointUnpinned(profile);
}

Result<XdrEndpoint> endpointUnpinned(const TenantProfile &profile)
{
    XdrEndpoint e;
    e.baseUrl = QUrl(profile.apiUrl);
    e.apiKeyId = profile.keyId;
    e.advancedKey = profile.advancedKey;
    e.tls.caFile = profile.caFile;
    e.tls.allowSelfSigned = profile.allowSelfSigned;
    e.timeoutMs = profile.timeoutMs;
    auto key = secrets::read(profile.secretName());
    if (!key)
        return key.error();
    if (key->isEmpty())
        return makeError(
            errc::kXdrNoKey,
            QStringLiteral("no API key stored for tenant '%1' (%2); set it with "
                           "'causa-cli tenant add %1 ... --key-stdin' or Tools > XDR tenants")
                .arg(profile.name, secrets::backendDescription()));
    e.apiKey = key.value();
    return e;
}

} // namespace causa::xdrtenants
