#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QString>

namespace causa::secrets {

// Files holding keys and secrets: created readable by the owner only (0600) from the first
// byte, inside a folder only the owner can enter (0700), and replaced atomically (write a
// temporary with that mode, fsync, rename), so no reader ever sees a partial or open file.

// Writes (or replaces) path with bytes.
Result<void> writePrivateFile(const QString &path, const QByteArray &bytes);
// Creates path with bytes only if it does not exist yet; when another process created it
// first, returns false and leaves that file alone (the caller reads it).
Result<bool> createPrivateFile(const QString &path, const QByteArray &bytes);

} // namespace causa::secrets
