#pragma once

#include "core/importoptions.h"
#include "core/records.h"
#include "core/result.h"

#include <QString>

namespace causa {

class CaseStore;

// Recognises a file's format (or a ZIP of such files) from its first bytes and runs the matching importer inside one
// store transaction. Returns what was added.
class ImportDispatcher final
{
public:
    explicit ImportDispatcher(CaseStore &store) : m_store(store) {}
    Result<ImportCounts> importFile(const QString &path, const ImportOptions &options = {});
    // "xdr", "events", "intel", ... or empty when unknown.
    static QString detectFormat(const QString &path, const QByteArray &head);

private:
    // A ZIP archive: every member in a format Causa reads, in one transaction.
    Result<ImportCounts> importArchive(const QString &path, const ImportOptions &options);

    CaseStore &m_store;
};

} // namespace causa
