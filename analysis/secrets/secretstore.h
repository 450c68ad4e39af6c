#pragma once

#include "core/result.h"

#include <QString>

namespace causa::secrets {

// Where API keys live: never in the case store, logs, audit or reports.
//
// Backends, chosen by CAUSA_SECRET_STORE (keychain | file; default keychain when built with
// qtkeychain, else file):
//  - keychain: the OS keychain through qtkeychain (Secret Service / KWallet on Linux, Keychain
//    on macOS, Credential Manager on Windows). When the OS offers no keychain (a headless box
//    without a Secret Service daemon) Causa falls back to the file backend and says so in
//    backendDescription().
//  - file: secrets.json in the per-user config folder ($XDG_CONFIG_HOME/causa, or
//    CAUSA_SECRETS_FILE), created with 0600 permissions. It is plain text protected only by
//    file permissions: fine for tests and lab machines, the keychain is better.
// Secret names are short ASCII ids such as "xdr-tenant/prod", "virustotal", "abuseipdb".

// The secret, or an empty string when none is stored; an error only when the backend failed.
Result<QString> read(const QString &name);
Result<void> write(const QString &name, const QString &value);
// Removing a secret that is not there is not an error.
Result<void> remove(const QString &name);
// "OS keychain", "file /home/x/.config/causa/secrets.json (0600)", ...: shown to the user.
QString backendDescription();
// True when this build links qtkeychain.
bool keychainAvailable();

// A provider key: the secret store first, then the environment variable (older setups).
QString readWithEnvFallback(const QString &name, const char *envVar);

} // namespace causa::secrets
