#include "xdrtransport.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QHostAddress>
#include <QRandomGenerator>

namespace causa::xdrauth {

namespace {

bool isLoopback(const QUrl &url)
{
    const QString host = url.host();
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress addr(host);
    return !addr.isNull() && addr.isLoopback();
}

} // namespace

QByteArray makeNonce()
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QByteArray nonce(64, Qt::Uninitialized);
    auto *rng = QRandomGenerator::system();
    for (char &c : nonce)
        c = alphabet[rng->bounded(62)];
    return nonce;
}

QList<QPair<QByteArray, QByteArray>> headers(const XdrEndpoint &endpoint, const QByteArray &nonce,
                                             qint64 timestampMs)
{
    QList<QPair<QByteArray, QByteArray>> h;
    h.append({QByteArrayLiteral("x-xdr-auth-id"), endpoint.apiKeyId.toUtf8()});
    if (endpoint.advancedKey) {
        const QByteArray ts = QByteArray::number(timestampMs);
        const QByteArray hash =
            QCryptographicHash::hash(QByteArray(endpoint.apiKey.toUtf8() + nonce + ts),
                                     QCryptographicHash::Sha256)
                .toHex();
        h.append({QByteArrayLiteral("x-xdr-nonce"), nonce});
        h.append({QByteArrayLiteral("x-xdr-timestamp"), ts});
        h.append({QByteArrayLiteral("Authorization"), hash});
    } else {
        h.append({QByteArrayLiteral("Authorization"), endpoint.apiKey.toUtf8()});
    }
    return h;
}

QString refusal(const XdrEndpoint &endpoint)
{
    if (!endpoint.baseUrl.isValid() || endpoint.baseUrl.host().isEmpty())
        return QStringLiteral("no Cortex XDR URL configured");
    if (endpoint.baseUrl.scheme() != QLatin1String("https") && !isLoopback(endpoint.baseUrl))
        return QStringLiteral("refusing to send an API key over %1; Cortex XDR needs https")
            .arg(endpoint.baseUrl.scheme());
    if (endpoint.apiKey.isEmpty() || endpoint.apiKeyId.isEmpty())
        return QStringLiteral("no Cortex XDR API key or key id");
    return {};
}

QUrl apiUrl(const XdrEndpoint &endpoint, const QString &path)
{
    QString base = endpoint.baseUrl.toString();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return QUrl(base + QLatin1String("/public_api/v1") + path);
}

HttpOnceResponse post(const XdrEndpoint &endpoint, const QString &path,
                      const nlohmann::json &requestData)
{
    auto h = headers(endpoint, makeNonce(), QDateTime::currentMSecsSinceEpoch());
    h.prepend({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    const QByteArray body =
        QByteArray::fromStdString(nlohmann::json{{"request_data", requestData}}.dump());
    return httpPostOnce(apiUrl(endpoint, path), h, body, endpoint.timeoutMs, endpoint.tls);
}

} // namespace causa::xdrauth
