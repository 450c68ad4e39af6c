#include "httpprovider.h"

#include "core/jsonutil.h"
#include "core/logging.h"
#include "store/sqlutil.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

#include <nlohmann/json.hpp>

namespace causa {

namespace {

// Monotonic milliseconds for pacing (wall time can jump).
qint64 monotonicMs()
{
    static QElapsedTimer clock = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return clock.elapsed();
}

// Retry-After is seconds or an HTTP date; -1 when absent or unreadable.
qint64 retryAfterMs(const QByteArray &header)
{
    const QByteArray h = header.trimmed();
    if (h.isEmpty())
        return -1;
    bool ok = false;
    const qint64 s = h.toLongLong(&ok);
    if (ok)
        return s < 0 ? -1 : s * 1000;
    const QDateTime when = QDateTime::fromString(QString::fromLatin1(h), Qt::RFC2822Date);
    if (!when.isValid())
        return -1;
    return std::max<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(when));
}

bool isLoopback(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

} // namespace

QString HttpProvider::urlProblem(const QUrl &url)
{
    if (!url.isValid() || url.host().isEmpty())
        return QStringLiteral("the base URL \"%1\" is not a valid URL")
            .arg(url.toString(QUrl::RemoveUserInfo));
    if (url.scheme() == QLatin1String("https"))
        return {};
    if (url.scheme() == QLatin1String("http") && isLoopback(url.host()))
        return {};
    return QStringLiteral("the base URL must be https (plain http only to this machine): %1")
        .arg(url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery));
}

HttpProvider::HttpProvider(HttpProviderConfig config, QNetworkAccessManager *network)
    : m_config(std::move(config)), m_network(network)
{}

HttpProvider::~HttpProvider() = default;

QUrl HttpProvider::endpoint(const QString &path) const
{
    QString base = m_config.baseUrl;
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return QUrl(base + path);
}

QString HttpProvider::scrub(QString text) const
{
    if (!m_config.apiKey.isEmpty())
        text.replace(m_config.apiKey, QStringLiteral("<redacted>"));
    return text;
}

qint64 HttpProvider::reserveSlot(qint64 extraDelayMs)
{
    const qint64 now = monotonicMs();
    const qint64 interval = m_config.ratePerMinute > 0 ? 60000 / m_config.ratePerMinute : 0;
    const qint64 at = std::max(now + extraDelayMs, m_nextSlot);
    m_nextSlot = at + interval;
    return at - now;
}

void HttpProvider::lookup(const EnrichmentSubject &subject, Callback done)
{
    const qint64 delay = reserveSlot();
    QTimer::singleShot(int(delay), &m_context, [this, subject, done = std::move(done)]() mutable {
        send(subject, std::move(done), 0);
    });
}

void HttpProvider::send(const EnrichmentSubject &subject, Callback done, int attempt)
{
    if (const qint64 wait = m_blockedUntil - monotonicMs(); wait > 0) {
        ProviderResult r;
        r.provider = name();
        r.reliability = reliability();
        r.error = m_blockedReason.arg((wait + 999) / 1000);
        done(std::move(r));
        return;
    }
    auto out = request(subject, false);
    if (!out) {
        ProviderResult r;
        r.provider = name();
        r.reliability = reliability();
        r.error = QStringLiteral("%1 does not look up %2 indicators").arg(name(), subject.type);
        done(std::move(r));
        return;
    }
    if (const QString problem = urlProblem(out->url); !problem.isEmpty()) {
        ProviderResult r;
        r.provider = name();
        r.reliability = reliability();
        r.error = problem;
        done(std::move(r));
        return;
    }
    QNetworkRequest req(out->url);
    for (const auto &[header, value] : out->headers)
        req.setRawHeader(header, value);
    // The key travels in a header: a redirect to another host (or port or scheme) would hand it
    // to that host, so only same-origin redirects are followed.
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                     QNetworkRequest::SameOriginRedirectPolicy);
    QNetworkReply *reply = m_network->sendCustomRequest(req, out->method);
    // The URL is logged without headers: the key travels only in a header.
    qCDebug(lcNet) << name() << out->method << out->url.toString(QUrl::RemoveQuery);
    auto timedOut = std::make_shared<bool>(false);
    auto *timer = new QTimer(reply);
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, reply, [reply, timedOut] {
        *timedOut = true;
        reply->abort();
    });
    timer->start(std::max(1, m_config.timeoutMs));
    QObject::connect(reply, &QNetworkReply::finished, &m_context,
                     [this, reply, subject, done = std::move(done), attempt, timedOut]() mutable {
                         finished(reply, subject, std::move(done), attempt, *timedOut);
                     });
}

void HttpProvider::finished(QNetworkReply *reply, const EnrichmentSubject &subject, Callback done,
                            int attempt, bool timedOut)
{
    reply->deleteLater();
    ProviderResult r;
    r.provider = name();
    r.reliability = reliability();
    r.fetchedAt = sql::nowMs();
    r.expiresAt = r.fetchedAt + m_config.ttlMs;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (timedOut) {
        r.error = QStringLiteral("timed out after %1 ms").arg(m_config.timeoutMs);
        done(std::move(r));
        return;
    }
    if (status == 0) {
        r.error = scrub(QStringLiteral("network error: %1").arg(reply->errorString()));
        // A server we cannot reach now will not be reachable for the next queued lookup either.
        m_blockedUntil = monotonicMs() + 60000;
        m_blockedReason =
            QStringLiteral("not tried: the server was unreachable (%1; retry in %2 s)")
                .arg(scrub(reply->errorString()), QStringLiteral("%1"));
        done(std::move(r));
        return;
    }
    const QByteArray body = reply->readAll();
    if (status == 429) {
        const qint64 told = retryAfterMs(reply->rawHeader("Retry-After"));
        const qint64 wait = told >= 0 ? told : qint64(m_config.backoffMs) << attempt;
        if (attempt < m_config.maxRetries && wait <= m_config.maxRetryAfterMs) {
            const qint64 delay = reserveSlot(wait);
            qCInfo(lcNet) << name() << "rate limited; retrying in" << delay << "ms";
            QTimer::singleShot(int(delay), &m_context,
                               [this, subject, done = std::move(done), attempt]() mutable {
                                   send(subject, std::move(done), attempt + 1);
                               });
            return;
        }
        // The other queued lookups must not hammer a server that asked us to wait.
        m_blockedUntil = monotonicMs() + wait;
        m_blockedReason = QStringLiteral("rate limited (HTTP 429 earlier; retry after %1 s)");
        r.error = told >= 0 ? QStringLiteral("rate limited (HTTP 429, retry after %1 s)")
                                  .arg((told + 999) / 1000)
                            : QStringLiteral("rate limited (HTTP 429)");
        done(std::move(r));
        return;
    }
    if (status == 401 || status == 403) {
        r.error = QStringLiteral("authentication failed (HTTP %1): check the API key").arg(status);
        done(std::move(r));
        return;
    }
    if ((status >= 200 && status < 300) || status == 404) {
        parse(subject, status, body, r);
        r.error = scrub(r.error);
        done(std::move(r));
        return;
    }
    if (status >= 300 && status < 400) {
        const QUrl to = reply->url().resolved(QUrl::fromEncoded(reply->rawHeader("Location")));
        r.error = scrub(
            QStringLiteral("HTTP %1: the server redirected to another origin (%2); not followed")
                .arg(status)
                .arg(to.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery)));
        done(std::move(r));
        return;
    }
    QString snippet = QString::fromUtf8(body.left(200)).simplified();
    r.error = scrub(QStringLiteral("HTTP %1%2")
                        .arg(status)
                        .arg(snippet.isEmpty() ? QString() : QStringLiteral(": ") + snippet));
    done(std::move(r));
}

bool HttpProvider::parseJsonBody(const QString &provider, const QByteArray &body,
                                 nlohmann::json &out, QString *error)
{
    if (body.trimmed().isEmpty()) {
        *error = QStringLiteral("malformed %1 reply: empty body").arg(provider);
        return false;
    }
    auto doc = js::parseDocument(body, provider + QStringLiteral(" reply"), 64);
    if (!doc) {
        *error = QStringLiteral("malformed %1 reply: %2 (%3)")
                     .arg(provider, doc.error().message, doc.error().location);
        return false;
    }
    out = std::move(doc.value());
    return true;
}

const nlohmann::json *HttpProvider::jsonPath(const nlohmann::json &root,
                                             std::initializer_list<const char *> keys)
{
    const nlohmann::json *cur = &root;
    for (const char *k : keys) {
        if (!cur->is_object())
            return nullptr;
        const auto it = cur->find(k);
        if (it == cur->end())
            return nullptr;
        cur = &*it;
    }
    return cur;
}

} // namespace causa
