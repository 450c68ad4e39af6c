#pragma once

#include <QString>

namespace causa {

// One threat-intelligence fact as imported from a feed: "this value is malicious/good, says who,
// how sure, under which sharing marking, valid when". Stored in intel_entries.
struct IntelEntry
{
    QString feed;                         // the file it came from
    QString kind = QStringLiteral("ioc"); // "ioc" or "allowlist"
    QString type;                         // sha256, sha1, md5, ipv4, ipv6, domain, url
    QString value;                        // normalised like case indicators
    int score = 0;                        // DBot 0-3
    int confidence = 0;                   // 0-100, 0 = not stated
    QString tlp = QStringLiteral("AMBER");
    QString pap; // "" when the feed does not say
    QString creator;
    QString description;
    qint64 validFrom = 0; // epoch ms, 0 = open
    qint64 validUntil = 0;
    qint64 importedAt = 0;
};

} // namespace causa
