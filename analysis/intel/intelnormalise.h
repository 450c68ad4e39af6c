#pragma once

#include <QString>

namespace causa::intel {

// Maps a feed's type name ("ip-dst", "SHA-256", "domain-name", "FileHash-SHA256", "hostname")
// to Causa's indicator type, or "" when it is not one Causa enriches.
QString canonicalType(const QString &feedType);
// Normalises value for type the way case indicators are stored (lower-case hashes, canonical IPs,
// lower-case domains without trailing dot). When type is empty it is inferred. Returns "" and
// sets *problem when the value is not a valid one of that type.
QString normaliseValue(const QString &value, QString *type, QString *problem);
// "malicious", "3", "suspicious", "good", "benign", "allow" ... -> 0-3, or -1 when unreadable.
int parseScore(const QString &text);
// ISO 8601 ("2026-01-01T00:00:00Z", "2026-01-01") or epoch seconds/ms -> epoch ms, 0 if empty,
// -1 if unreadable.
qint64 parseTime(const QString &text);
// "TLP:RED", "red", "tlp:amber+strict", "WHITE" -> "RED", "AMBER+STRICT", "CLEAR"; "" if not TLP.
QString parseTlp(const QString &text);
// "PAP:RED" / "red" -> "RED"; "" if not PAP.
QString parsePap(const QString &text);

} // namespace causa::intel
