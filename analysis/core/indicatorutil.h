#pragma once

#include <QString>

namespace causa::indicator {

bool isHex(QStringView s);
bool isMd5(QStringView s);
bool isSha1(QStringView s);
bool isSha256(QStringView s);
// "1.1.1.1." -> "1.1.1.1"; returns "ipv4"/"ipv6" in type, or empty when not an address.
QString normaliseIp(const QString &text, QString *type);
// Private, loopback, link-local, CGNAT, multicast, documentation and other reserved ranges.
bool isInternalIp(const QString &ip);
// Lowercased hash if valid for its length, else empty; type is md5/sha1/sha256.
QString normaliseHash(const QString &text, QString *type);

// The key that joins a host across sources: "FIN-WS-042.corp.example" and "fin-ws-042" are the
// same endpoint. Lowercased short name; IP addresses are kept whole.
QString endpointKey(const QString &hostName);

} // namespace causa::indicator
