#pragma once

#include "core/importoptions.h"
#include "core/records.h"
#include "core/result.h"

#include <QByteArray>
#include <QString>

namespace causa {

class ImportSession;

// Imports Cortex XDR API replies (every shape in SPEC §4.1) into the store, streaming alerts one
// at a time. One document is all-or-nothing: the caller's session is rolled back on any error.
class XdrImporter final
{
public:
    // Sniffs the first bytes of a file: does this look like an XDR reply?
    static bool looksLike(const QByteArray &head);

    Result<void> importFile(ImportSession &session, const QString &path,
                            const ImportOptions &options = {});
    // Same for a reply already in memory (live pull); `origin` names it in errors.
    Result<void> importBytes(ImportSession &session, const QByteArray &bytes, const QString &origin,
                             const ImportOptions &options = {});

    static constexpr int kMaxDepth = 256;
};

} // namespace causa
