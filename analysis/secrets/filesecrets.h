#pragma once

#include "core/result.h"

#include <QString>

namespace causa::secrets::detail {

// The file backend: one JSON object {name: value} written atomically with 0600 permissions.
QString secretsFilePath();
Result<QString> fileRead(const QString &name);
Result<void> fileWrite(const QString &name, const QString &value);
Result<void> fileRemove(const QString &name);

// The keychain backend (keychainsecrets.cpp); NotImplemented-style errors without qtkeychain.
// *unavailable is set when the OS has no keychain service at all (then the file is used).
Result<QString> keychainRead(const QString &name, bool *unavailable);
Result<void> keychainWrite(const QString &name, const QString &value, bool *unavailable);
Result<void> keychainRemove(const QString &name, bool *unavailable);
// True when keychainsecrets.cpp was compiled against qtkeychain.
bool keychainBuilt();

} // namespace causa::secrets::detail
