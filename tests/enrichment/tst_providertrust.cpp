// Where an enrichment key may go (issue 18): providers follow no redirect to another origin
// (the key would go with it) and their base URL must be https, except to this machine.
#include "httptestserver.h"
#include "testutils.h"

#include "enrichment/virustotalprovider.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QTimer>

#include <algorithm>

using namespace causa;
using Server = test::HttpTestServer;

namespace {

const QString kKey = QStringLiteral("vt-trust-key-91c2");
const QString kSha =
    QStringLiteral("c3337f4290161ceb82d33cf36e4341b815fa7055df07eb83d5545cec8d39c57e");

HttpProviderConfig config(const QString &baseUrl)
{
    HttpProviderConfig c;
    c.baseUrl = baseUrl;
    c.apiKey = kKey;
    c.timeoutMs = 3000;
    c.ratePerMinute = 0;
    c.maxRetries = 0;
    return c;
}

ProviderResult lookup(EnrichmentProvider &provider)
{
    EnrichmentSubject s;
    s.indicatorId = 1;
    s.type = QStringLiteral("sha256");
    s.value = kSha;
    ProviderResult out;
    bool done = false;
    QEventLoop loop;
    provider.lookup(s, [&](ProviderResult r) {
        out = std::move(r);
        done = true;
        loop.quit();
    });
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    if (!done)
        loop.exec();
    if (!done)
        out.error = QStringLiteral("test: no answer");
    return out;
}

QByteArray vtBody()
{
    return R"({"data": {"id": "x", "type": "file", "attributes": {"last_analysis_stats": )"
           R"({"malicious": 0, "suspicious": 0, "harmless": 0, "undetected": 70}}}})";
}

} // namespace

class TestProviderTrust : public QObject
{
    Q_OBJECT

    QNetworkAccessManager m_network;

private Q_SLOTS:
    void noRedirectToAnotherOrigin_data()
    {
        QTest::addColumn<int>("status");
        QTest::newRow("302 found") << 302;
        QTest::newRow("301 moved permanently") << 301;
        QTest::newRow("307 temporary") << 307;
        QTest::newRow("308 permanent") << 308;
    }
    void noRedirectToAnotherOrigin()
    {
        QFETCH(int, status);
        Server elsewhere([](const Server::Request &) {
            return Server::Response{200, vtBody(), {}, 0, false};
        });
        Server provider([&](const Server::Request &r) {
            Server::Response resp{status, {}, {}, 0, false};
            resp.headers.insert("Location", elsewhere.baseUrl().toUtf8() + r.path);
            return resp;
        });
        VirusTotalProvider vt(config(provider.baseUrl()), &m_network);
        const ProviderResult r = lookup(vt);
        QCOMPARE(provider.requestCount(), 1);
        QCOMPARE(elsewhere.requestCount(), 0); // the key never reached the other host
        QVERIFY2(r.error.contains(QStringLiteral("another origin")), qPrintable(r.error));
        QVERIFY(!r.error.contains(kKey));
    }

    void sameOriginRedirectIsFollowed()
    {
        Server provider([](const Server::Request &r) {
            if (r.path.startsWith("/moved"))
                return Server::Response{200, vtBody(), {}, 0, false};
            Server::Response resp{302, {}, {}, 0, false};
            resp.headers.insert("Location", "/moved" + r.path);
            return resp;
        });
        VirusTotalProvider vt(config(provider.baseUrl()), &m_network);
        const ProviderResult r = lookup(vt);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        // The redirected request went to the same server with the key, once. (Qt's network
        // access may resend the first request on a fresh connection: that one is not counted.)
        const auto requests = provider.requests();
        const auto moved =
            std::count_if(requests.cbegin(), requests.cend(),
                          [](const Server::Request &q) { return q.path.startsWith("/moved"); });
        QCOMPARE(moved, 1);
        QVERIFY(!requests.front().path.startsWith("/moved"));
        QVERIFY(requests.last().path.startsWith("/moved"));
        QCOMPARE(requests.last().headers.value("x-apikey"), kKey.toUtf8());
    }

    void baseUrlMustBeHttps_data()
    {
        QTest::addColumn<QString>("baseUrl");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("http to a remote host") << "http://www.virustotal.example" << false;
        QTest::newRow("http to a remote address") << "http://198.51.100.9:8080" << false;
        QTest::newRow("ftp") << "ftp://files.example" << false;
        QTest::newRow("no host") << "https://" << false;
        QTest::newRow("https") << "https://www.virustotal.com" << true;
        QTest::newRow("http loopback v4") << "http://127.0.0.1:8080" << true;
        QTest::newRow("http loopback v6") << "http://[::1]:8080" << true;
        QTest::newRow("http localhost") << "http://localhost:8080" << true;
    }
    void baseUrlMustBeHttps()
    {
        QFETCH(QString, baseUrl);
        QFETCH(bool, allowed);
        QCOMPARE(HttpProvider::urlProblem(QUrl(baseUrl)).isEmpty(), allowed);
        if (allowed)
            return;
        // A refused URL fails the lookup at once, without any connection attempt.
        VirusTotalProvider vt(config(baseUrl), &m_network);
        const ProviderResult r = lookup(vt);
        QVERIFY2(r.error.contains(QStringLiteral("https")) ||
                     r.error.contains(QStringLiteral("not a valid URL")),
                 qPrintable(r.error));
    }
};

QTEST_GUILESS_MAIN(TestProviderTrust)
#include "tst_providertrust.moc"
