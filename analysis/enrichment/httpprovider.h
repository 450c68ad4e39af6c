#pragma once

#include "enrichmentprovider.h"

#include <QObject>

#include <nlohmann/json_fwd.hpp>

#include <deque>

class QNetworkAccessManager;
class QNetworkReply;

namespace causa {

// Connection settings of one online provider. The API key lives only in memory: it comes from
// the environment or the OS keychain and is never written to the store, logs or reports.
struct HttpProviderConfig
{
    QString baseUrl;
    QString apiKey;
    bool enabled = true;
    int timeoutMs = 15000;
    int ratePerMinute = 4;
    qint64 ttlMs = 24LL * 3600 * 1000;
    int maxRetries = 2;          // after HTTP 429
    int backoffMs = 1000;        // first retry wait when the server gives no Retry-After
    int maxRetryAfterMs = 60000; // a longer Retry-After ends the lookup as "rate limited"
};

// An online provider over QNetworkAccessManager: requests are paced to the rate limit, time out,
// and HTTP 429 is retried after Retry-After (or exponential backoff) and otherwise reported as
// "rate limited". Subclasses build the request and read the reply.
class HttpProvider : public EnrichmentProvider
{
public:
    HttpProvider(HttpProviderConfig config, QNetworkAccessManager *network);
    ~HttpProvider() override;

    bool isRemote() const final { return true; }
    int timeoutMs() const final { return m_config.timeoutMs; }
    int ratePerMinute() const final { return m_config.ratePerMinute; }
    qint64 ttlMs() const final { return m_config.ttlMs; }
    bool hasKey() const { return !m_config.apiKey.isEmpty(); }
    const HttpProviderConfig &config() const { return m_config; }

    void lookup(const EnrichmentSubject &subject, Callback done) final;

    // Why a provider URL is refused ("" when fine): the key is only sent over https, except to
    // a loopback address (local test servers and proxies).
    static QString urlProblem(const QUrl &url);

protected:
    // Reads a 2xx or 404 reply into a result (score, verdict, raw) or sets result.error.
    virtual void parse(const EnrichmentSubject &subject, int status, const QByteArray &body,
                       ProviderResult &result) const = 0;
    QByteArray apiKey() const { return m_config.apiKey.toUtf8(); }
    QUrl endpoint(const QString &path) const;
    // The key for a request header, or a placeholder when previewing what would be sent.
    QByteArray keyHeader(bool redact) const
    {
        return redact ? QByteArrayLiteral("<redacted>") : apiKey();
    }
    // Removes the key from any text that could reach a user (server error bodies echo headers).
    QString scrub(QString text) const;
    // Parses a provider's JSON body (depth-limited); a clear message naming the provider otherwise.
    static bool parseJsonBody(const QString &provider, const QByteArray &body, nlohmann::json &out,
                              QString *error);
    // root["a"]["b"]… or null when a step is missing or not an object.
    static const nlohmann::json *jsonPath(const nlohmann::json &root,
                                          std::initializer_list<const char *> keys);

private:
    void send(const EnrichmentSubject &subject, Callback done, int attempt);
    void finished(QNetworkReply *reply, const EnrichmentSubject &subject, Callback done,
                  int attempt, bool timedOut);
    // When the next request may leave, given the rate limit.
    qint64 reserveSlot(qint64 extraDelayMs = 0);

    HttpProviderConfig m_config;
    QNetworkAccessManager *m_network;
    QObject m_context; // owns timers; lives on the thread that created the provider
    qint64 m_nextSlot = 0;
    // After a 429 we gave up on, or an unreachable server, further lookups fail fast until then
    // (monotonic ms) instead of queueing behind the rate limit.
    qint64 m_blockedUntil = 0;
    QString m_blockedReason;
};

} // namespace causa
