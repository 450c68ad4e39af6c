#pragma once

#include "httponce.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

#include <nlohmann/json.hpp>

namespace causa {

// Where and how to reach one Cortex XDR tenant: shared by the response connector and the pull
// client so the API-key scheme lives in exactly one place.
struct XdrEndpoint
{
    QUrl baseUrl;     // https://api-<tenant>.xdr.<region>.paloaltonetworks.com
    QString apiKeyId; // x-xdr-auth-id
    QString apiKey;   // never stored, logged or reported
    bool advancedKey = false;
    HttpTlsOptions tls;
    int timeoutMs = 30000;
};

namespace xdrauth {

// 64 random alphanumerics, as the advanced key scheme asks for.
QByteArray makeNonce();
// x-xdr-auth-id + Authorization (standard: the key itself; advanced: hex SHA-256 of
// key + nonce + timestamp, with x-xdr-nonce and x-xdr-timestamp).
QList<QPair<QByteArray, QByteArray>> headers(const XdrEndpoint &endpoint, const QByteArray &nonce,
                                             qint64 timestampMs);
// Why a request must not be sent (no URL, http to a non-loopback host, no key), or empty.
QString refusal(const XdrEndpoint &endpoint);
// base + /public_api/v1 + path.
QUrl apiUrl(const XdrEndpoint &endpoint, const QString &path);

// One POST of {"request_data": requestData} with fresh auth headers; never retried here.
HttpOnceResponse post(const XdrEndpoint &endpoint, const QString &path,
                      const nlohmann::json &requestData);

} // namespace xdrauth

} // namespace causa
