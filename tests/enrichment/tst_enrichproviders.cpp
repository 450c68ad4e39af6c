// VirusTotal v3 and AbuseIPDB v2 clients against a real HTTP server on loopback answering in
// those APIs' documented shapes: verdicts, 404, 401, 429 with Retry-After, timeouts, malformed
// bodies, dropped connections (SPEC §8).
#include "httptestserver.h"
#include "testutils.h"

#include "enrichment/abuseipdbprovider.h"
#include "enrichment/virustotalprovider.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QTimer>
#include <QUrlQuery>

using namespace causa;
using Server = test::HttpTestServer;

namespace {

const QString kVtKey = QStringLiteral("vt-test-key-5b0e9c");
const QString kAbuseKey = QStringLiteral("abuse-test-key-77f1");

QByteArray vtBody(int malicious, int suspicious, int harmless, int undetected,
                  const char *type = "file")
{
    return QByteArrayLiteral(R"({"data": {"id": "x", "type": ")") + type +
           QByteArrayLiteral(
               R"(", "links": {"self": "https://www.virustotal.com/api/v3/x"}, "attributes": {)") +
           R"("reputation": -12, "last_analysis_date": 1767600000, "last_analysis_stats": {)" +
           "\"malicious\": " + QByteArray::number(malicious) +
           ", \"suspicious\": " + QByteArray::number(suspicious) +
           ", \"harmless\": " + QByteArray::number(harmless) +
           ", \"undetected\": " + QByteArray::number(undetected) +
           R"(, "timeout": 0}, "last_analysis_results": {}}}})";
}

QByteArray abuseBody(int confidence, bool whitelisted = false)
{
    return QByteArrayLiteral(
               R"({"data": {"ipAddress": "45.137.21.9", "isPublic": true, "ipVersion": 4, "isWhitelisted": )") +
           (whitelisted ? "true" : "false") + R"(, "abuseConfidenceScore": )" +
           QByteArray::number(confidence) +
           R"(, "countryCode": "NL", "usageType": "Data Center/Web Hosting/Transit", "isp": "Example Hosting",
              "domain": "example-hosting.net", "hostnames": [], "isTor": false, "totalReports": 42,
              "numDistinctUsers": 17, "lastReportedAt": "2026-01-05T10:00:00+00:00"}})";
}

EnrichmentSubject subject(const QString &type, const QString &value)
{
    EnrichmentSubject s;
    s.indicatorId = 7;
    s.type = type;
    s.value = value;
    return s;
}

HttpProviderConfig config(const Server &server, const QString &key)
{
    HttpProviderConfig c;
    c.baseUrl = server.baseUrl();
    c.apiKey = key;
    c.timeoutMs = 2000;
    c.ratePerMinute = 0;
    c.backoffMs = 10;
    c.maxRetries = 2;
    c.maxRetryAfterMs = 2000;
    return c;
}

ProviderResult run(EnrichmentProvider &provider, const EnrichmentSubject &s)
{
    ProviderResult out;
    bool done = false;
    QEventLoop loop;
    provider.lookup(s, [&](ProviderResult r) {
        out = std::move(r);
        done = true;
        loop.quit();
    });
    QTimer guard;
    guard.setSingleShot(true);
    QObject::connect(&guard, &QTimer::timeout, &loop, &QEventLoop::quit);
    guard.start(30000);
    if (!done)
        loop.exec();
    if (!done)
        out.error = QStringLiteral("test: no answer");
    return out;
}

} // namespace

class TestEnrichProviders : public QObject
{
    Q_OBJECT

    QNetworkAccessManager m_network;

private Q_SLOTS:
    void virusTotalVerdicts_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QByteArray>("expectedPath");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("score");
        QTest::addColumn<QString>("verdictPart");
        const QString sha =
            QStringLiteral("c3337f4290161ceb82d33cf36e4341b815fa7055df07eb83d5545cec8d39c57e");
        QTest::newRow("file malicious")
            << QStringLiteral("sha256") << sha << ("/api/v3/files/" + sha.toLatin1()) << 200
            << vtBody(41, 2, 0, 27) << 3 << QStringLiteral("41/70 engines malicious");
        QTest::newRow("file few detections is suspicious")
            << QStringLiteral("md5") << QStringLiteral("25334458c0790a8b1d3bc49b77c4e9c5")
            << QByteArray("/api/v3/files/25334458c0790a8b1d3bc49b77c4e9c5") << 200
            << vtBody(2, 0, 0, 68) << 2 << QStringLiteral("2/70");
        QTest::newRow("ip harmless")
            << QStringLiteral("ipv4") << QStringLiteral("45.137.21.9")
            << QByteArray("/api/v3/ip_addresses/45.137.21.9") << 200
            << vtBody(0, 0, 61, 30, "ip_address") << 1 << QStringLiteral("0/91");
        QTest::newRow("domain") << QStringLiteral("domain") << QStringLiteral("c2.bad-domain.org")
                                << QByteArray("/api/v3/domains/c2.bad-domain.org") << 200
                                << vtBody(7, 1, 50, 20, "domain") << 3 << QStringLiteral("7/78");
        // URL ids are base64url without padding (VirusTotal's documented url identifier).
        QTest::newRow("url id is base64url")
            << QStringLiteral("url") << QStringLiteral("http://c2.bad-domain.org/stage2.ps1?a=1")
            << QByteArray("/api/v3/urls/aHR0cDovL2MyLmJhZC1kb21haW4ub3JnL3N0YWdlMi5wczE_YT0x")
            << 200 << vtBody(0, 0, 0, 90, "url") << 0 << QStringLiteral("0/90");
        QTest::newRow("not found is unknown")
            << QStringLiteral("sha256") << sha << ("/api/v3/files/" + sha.toLatin1()) << 404
            << QByteArray(R"({"error": {"code": "NotFoundError", "message": "File not found"}})")
            << 0 << QStringLiteral("not known to VirusTotal");
    }
    void virusTotalVerdicts()
    {
        QFETCH(QString, type);
        QFETCH(QString, value);
        QFETCH(QByteArray, expectedPath);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(int, score);
        QFETCH(QString, verdictPart);
        Server server([&](const Server::Request &) {
            return Server::Response{status, body, {}, 0, false};
        });
        VirusTotalProvider vt(config(server, kVtKey), &m_network);
        const ProviderResult r = run(vt, subject(type, value));
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(int(r.score), score);
        QVERIFY2(r.verdict.contains(verdictPart), qPrintable(r.verdict));
        QCOMPARE(r.reliability, QStringLiteral("B"));
        QVERIFY(r.expiresAt > r.fetchedAt);
        QCOMPARE(server.requestCount(), 1);
        const auto req = server.requests().first();
        QCOMPARE(req.method, QByteArray("GET"));
        QCOMPARE(req.path, expectedPath);
        QCOMPARE(req.headers.value("x-apikey"), kVtKey.toUtf8());
        QCOMPARE(req.headers.value("accept"), QByteArray("application/json"));
        QVERIFY(!r.raw.contains(kVtKey));
    }

    void abuseIpDbVerdicts_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("score");
        QTest::newRow("confidence 100 is malicious") << abuseBody(100) << 3;
        QTest::newRow("confidence 40 is suspicious") << abuseBody(40) << 2;
        QTest::newRow("whitelisted is good") << abuseBody(0, true) << 1;
        QTest::newRow("confidence 0 is unknown") << abuseBody(0) << 0;
    }
    void abuseIpDbVerdicts()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, score);
        Server server([&](const Server::Request &) {
            return Server::Response{200, body, {}, 0, false};
        });
        AbuseIpDbProvider abuse(config(server, kAbuseKey), &m_network);
        const ProviderResult r =
            run(abuse, subject(QStringLiteral("ipv4"), QStringLiteral("45.137.21.9")));
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(int(r.score), score);
        QVERIFY(r.verdict.contains(QStringLiteral("42 reports")));
        const auto req = server.requests().first();
        const QUrl url(QString::fromLatin1(req.path));
        QCOMPARE(url.path(), QStringLiteral("/api/v2/check"));
        const QUrlQuery q(url);
        QCOMPARE(q.queryItemValue(QStringLiteral("ipAddress")), QStringLiteral("45.137.21.9"));
        QCOMPARE(q.queryItemValue(QStringLiteral("maxAgeInDays")), QStringLiteral("90"));
        QCOMPARE(req.headers.value("key"), kAbuseKey.toUtf8());
        QCOMPARE(req.headers.value("accept"), QByteArray("application/json"));
    }

    void failures_data()
    {
        QTest::addColumn<bool>("virusTotal");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("delayMs");
        QTest::addColumn<bool>("drop");
        QTest::addColumn<QString>("error");
        QTest::addColumn<int>("requests");
        QTest::newRow("vt 401")
            << true << 401
            << QByteArray(
                   R"({"error": {"code": "WrongCredentialsError", "message": "Wrong API key"}})")
            << 0 << false << QStringLiteral("authentication failed (HTTP 401)") << 1;
        QTest::newRow("abuseipdb 401")
            << false << 401
            << QByteArray(R"({"errors": [{"detail": "Authentication failed.", "status": 401}]})")
            << 0 << false << QStringLiteral("authentication failed (HTTP 401)") << 1;
        QTest::newRow("vt malformed body")
            << true << 200 << QByteArray("{\"data\": {\"attributes\": {\"last_anal") << 0 << false
            << QStringLiteral("malformed VirusTotal reply") << 1;
        QTest::newRow("vt body without stats")
            << true << 200 << QByteArray(R"({"data": {"attributes": {}}})") << 0 << false
            << QStringLiteral("no data.attributes.last_analysis_stats") << 1;
        QTest::newRow("vt html error page")
            << true << 200 << QByteArray("<html><body>Gateway</body></html>") << 0 << false
            << QStringLiteral("malformed VirusTotal reply") << 1;
        QTest::newRow("abuseipdb malformed body")
            << false << 200 << QByteArray(R"({"data": {"abuseConfidenceScore": "high"}})") << 0
            << false << QStringLiteral("malformed AbuseIPDB reply") << 1;
        QTest::newRow("abuseipdb empty body")
            << false << 200 << QByteArray() << 0 << false
            << QStringLiteral("malformed AbuseIPDB reply: empty body") << 1;
        QTest::newRow("vt timeout") << true << 200 << vtBody(1, 0, 0, 0) << 3000 << false
                                    << QStringLiteral("timed out after 400 ms") << 1;
        QTest::newRow("abuseipdb timeout") << false << 200 << abuseBody(90) << 3000 << false
                                           << QStringLiteral("timed out after 400 ms") << 1;
        QTest::newRow("vt dropped connection")
            << true << 200 << QByteArray() << 0 << true << QStringLiteral("network error") << -1;
        QTest::newRow("vt server error") << true << 503 << QByteArray("busy") << 0 << false
                                         << QStringLiteral("HTTP 503: busy") << 1;
    }
    void failures()
    {
        QFETCH(bool, virusTotal);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(int, delayMs);
        QFETCH(bool, drop);
        QFETCH(QString, error);
        QFETCH(int, requests);
        Server server([&](const Server::Request &) {
            return Server::Response{status, body, {}, delayMs, drop};
        });
        HttpProviderConfig c = config(server, virusTotal ? kVtKey : kAbuseKey);
        c.timeoutMs = 400;
        std::unique_ptr<HttpProvider> p;
        if (virusTotal)
            p = std::make_unique<VirusTotalProvider>(c, &m_network);
        else
            p = std::make_unique<AbuseIpDbProvider>(c, &m_network);
        const ProviderResult r =
            run(*p, subject(QStringLiteral("ipv4"), QStringLiteral("45.137.21.9")));
        QVERIFY2(r.error.contains(error), qPrintable(r.error));
        QCOMPARE(int(r.score), 0);
        if (requests >= 0)
            QCOMPARE(server.requestCount(), requests);
        else
            QVERIFY(server.requestCount() >= 1); // Qt may resend once on a closed connection
        QVERIFY(!r.error.contains(c.apiKey));
    }

    void rateLimitedThenAnswers()
    {
        std::atomic_int calls{0};
        Server server([&](const Server::Request &) {
            if (calls.fetch_add(1) == 0)
                return Server::Response{
                    429,
                    R"({"error": {"code": "QuotaExceededError", "message": "Quota exceeded"}})",
                    {{"Retry-After", "1"}},
                    0,
                    false};
            return Server::Response{200, vtBody(12, 0, 0, 58), {}, 0, false};
        });
        VirusTotalProvider vt(config(server, kVtKey), &m_network);
        const ProviderResult r =
            run(vt, subject(QStringLiteral("sha256"), QString(64, QLatin1Char('a'))));
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(int(r.score), 3);
        QCOMPARE(server.requestCount(), 2);
    }

    void rateLimitedGivesUp_data()
    {
        QTest::addColumn<QByteArray>("retryAfter");
        QTest::addColumn<int>("requests");
        QTest::addColumn<QString>("error");
        // No Retry-After: exponential backoff, then give up after maxRetries.
        QTest::newRow("always 429")
            << QByteArray() << 3 << QStringLiteral("rate limited (HTTP 429)");
        // A Retry-After beyond what we may wait ends at once.
        QTest::newRow("retry after an hour")
            << QByteArray("3600") << 1
            << QStringLiteral("rate limited (HTTP 429, retry after 3600 s)");
    }
    void rateLimitedGivesUp()
    {
        QFETCH(QByteArray, retryAfter);
        QFETCH(int, requests);
        QFETCH(QString, error);
        Server server([&](const Server::Request &) {
            Server::Response resp{
                429,
                R"({"errors": [{"detail": "Daily rate limit of 1000 requests exceeded for this endpoint.", "status": 429}]})",
                {},
                0,
                false};
            if (!retryAfter.isEmpty())
                resp.headers.insert("Retry-After", retryAfter);
            return resp;
        });
        AbuseIpDbProvider abuse(config(server, kAbuseKey), &m_network);
        const ProviderResult r =
            run(abuse, subject(QStringLiteral("ipv4"), QStringLiteral("45.137.21.9")));
        QCOMPARE(r.error, error);
        QCOMPARE(server.requestCount(), requests);
    }

    void unreachableServerFailsFastAfterFirstError()
    {
        Server server([](const Server::Request &) {
            return Server::Response{200, {}, {}, 0, true};
        });
        VirusTotalProvider vt(config(server, kVtKey), &m_network);
        const ProviderResult first =
            run(vt, subject(QStringLiteral("ipv4"), QStringLiteral("45.137.21.9")));
        QVERIFY2(first.error.startsWith(QStringLiteral("network error")), qPrintable(first.error));
        const int sent = server.requestCount();
        const ProviderResult second =
            run(vt, subject(QStringLiteral("ipv4"), QStringLiteral("45.137.21.10")));
        QVERIFY2(second.error.startsWith(QStringLiteral("not tried: the server was unreachable")),
                 qPrintable(second.error));
        QCOMPARE(server.requestCount(), sent); // nothing more went out
    }

    void previewRedactsKey()
    {
        Server server([](const Server::Request &) { return Server::Response{}; });
        VirusTotalProvider vt(config(server, kVtKey), &m_network);
        const auto req = vt.request(
            subject(QStringLiteral("domain"), QStringLiteral("c2.bad-domain.org")), true);
        QVERIFY(req.has_value());
        QCOMPARE(req->url.toString(),
                 server.baseUrl() + QStringLiteral("/api/v3/domains/c2.bad-domain.org"));
        QCOMPARE(req->headers.first().second, QByteArray("<redacted>"));
        const auto real = vt.request(
            subject(QStringLiteral("domain"), QStringLiteral("c2.bad-domain.org")), false);
        QCOMPARE(real->headers.first().second, kVtKey.toUtf8());
        QCOMPARE(server.requestCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestEnrichProviders)
#include "tst_enrichproviders.moc"
