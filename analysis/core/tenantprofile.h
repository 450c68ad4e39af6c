#pragma once

#include <QString>

namespace causa {

// One Cortex XDR tenant the analyst can pull from. The profile is plain settings (in the store's
// settings table, so the CLI, the workbench and a team store see the same tenants); its API key
// lives only in the secret store under secretName(). The endpoint with the key is built in xdr/
// (xdr/xdrtenants.h), never from here.
struct TenantProfile
{
    QString name;   // "prod", "lab" — letters, digits, '-', '_', '.'
    QString apiUrl; // https://api-<tenant>.xdr.<region>.paloaltonetworks.com
    QString keyId;  // x-xdr-auth-id
    bool advancedKey = false;
    QString caFile;               // extra CA (PEM) for tenants behind a private CA
    bool allowSelfSigned = false; // lab tenants only: no certificate verification
    int timeoutMs = 30000;

    QString secretName() const { return secretNameFor(name); }
    static QString secretNameFor(const QString &tenant)
    {
        return QStringLiteral("xdr-tenant/") + tenant;
    }
    // Why this profile cannot be saved (bad name, URL, key id), or empty.
    QString validate() const;
    static bool validName(const QString &name);
};

} // namespace causa
