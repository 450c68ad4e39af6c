#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>
#include <QUrl>

namespace causa {

// The answer to one HTTP request.
struct HttpOnceResponse
{
    int status = 0;
    QByteArray body;
    QString error;
    // False only when the request certainly never left this machine (no connection).
    bool mayHaveReachedServer = true;
    bool timedOut = false;
    // Response headers with lower-case names (e.g. "retry-after").
    QMap<QByteArray, QByteArray> headers;
};

// How https peers are verified. The defaults (system CAs, full verification) are right for a
// production tenant; lab tenants with their own CA name a CA file, and only as a last resort
// accept self-signed certificates.
struct HttpTlsOptions
{
    QString caFile;               // PEM file of extra trusted CAs
    bool allowSelfSigned = false; // skip certificate verification (lab tenants only)
};

// Sends one HTTP/1.1 POST and reads the answer, on the calling thread, with a deadline.
// QNetworkAccessManager silently re-sends a request whose connection dropped; a response action
// must reach the server at most once, so this client never re-sends anything. TLS is verified
// with the system's CAs (https), plain TCP is used for http.
HttpOnceResponse httpPostOnce(const QUrl &url, const QList<QPair<QByteArray, QByteArray>> &headers,
                              const QByteArray &body, int timeoutMs,
                              const HttpTlsOptions &tls = {});

} // namespace causa
