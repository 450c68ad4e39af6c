#pragma once

#include "core/importoptions.h"
#include "core/result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace causa {

class ImportSession;

// Imports IOC lists and allowlists: a CSV with a header naming its columns (type, value, score,
// confidence, tlp, pap, description, source/creator, valid_from, valid_until, kind; common aliases
// such as indicator, ioc, verdict, comment are accepted, in any order, comma/semicolon/tab
// separated) or a plain list with one indicator per line. An allowlist is a file whose name says
// so (allowlist, whitelist, safelist), whose comment header says "# allowlist", or rows whose
// kind column says "allowlist": its entries score 1 (good). Bad rows are reported through
// ImportOptions::warn (file:line: field: problem), counted as rejected, and the rest is kept.
class IocCsvImporter final
{
public:
    static bool looksLike(const QString &path, const QByteArray &head);
    Result<void> importFile(ImportSession &session, const QString &path,
                            const ImportOptions &options);

    // RFC 4180 fields of one line; false when a quoted field is not closed.
    static bool splitLine(const QByteArray &line, char delimiter, QStringList *fields);
};

} // namespace causa
