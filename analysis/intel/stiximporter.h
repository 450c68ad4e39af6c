#pragma once

#include "core/importoptions.h"
#include "core/result.h"

#include <QByteArray>
#include <QString>

namespace causa {

class ImportSession;

// Imports STIX 2.1 bundles: every `indicator` object with a STIX pattern over ipv4-addr,
// ipv6-addr, domain-name, url or file:hashes (SHA-256, SHA-1, MD5) becomes intel entries (one per
// comparison in the pattern). Score from indicator_types: benign 1; anomalous-activity/unknown 2;
// malicious-activity, attribution, compromised 3; none given: 3, or 2 when confidence < 50.
// confidence, valid_from/valid_until, TLP 1.0/2.0 marking-definitions in object_marking_refs
// (well-known ids or marking objects in the bundle) and created_by_ref identity names are kept.
// Revoked indicators are skipped. One document, all or nothing; unusable patterns are reported.
class StixImporter final
{
public:
    static bool looksLike(const QByteArray &head);
    Result<void> importFile(ImportSession &session, const QString &path,
                            const ImportOptions &options);
};

} // namespace causa
