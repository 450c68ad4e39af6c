#pragma once

#include "core/importoptions.h"
#include "core/result.h"

#include <QByteArray>
#include <QString>

namespace causa {

class ImportSession;

// Imports MISP JSON: an event export {"Event": {...}}, a feed's event file (same shape), the REST
// reply {"response": [{"Event": ...}]}, or an array of events. Attributes of the event and of its
// objects become intel entries: ip-src/ip-dst(|port), domain, hostname, domain|ip, url, uri, md5,
// sha1, sha256 and filename|<hash>. to_ids=true means malicious (3), false suspicious (2);
// tlp:* and PAP:* tags (attribute tags over event tags) set the markings; the event's Orgc is the
// creator. One document, all or nothing; attributes with bad values are reported and rejected.
class MispImporter final
{
public:
    static bool looksLike(const QByteArray &head);
    Result<void> importFile(ImportSession &session, const QString &path,
                            const ImportOptions &options);
};

} // namespace causa
