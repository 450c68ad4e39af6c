// The small HTTP client under hostile answers (issue 18): chunk sizes that would overflow,
// malformed chunk framing, oversized heads, and request headers carrying CR/LF. The server is a
// raw TCP socket on loopback sending exactly the bytes of each row.
#include "connectors/chunkeddecoder.h"
#include "connectors/httponce.h"

#include <QFuture>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QtConcurrent>

using namespace causa;

namespace {

// Serves one connection: reads the request head, writes `answer`, closes. Runs the client on a
// worker thread while this thread's event loop serves.
HttpOnceResponse exchange(const QByteArray &answer,
                          const QList<QPair<QByteArray, QByteArray>> &headers = {},
                          int *connections = nullptr)
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost))
        qFatal("cannot listen on loopback");
    int accepted = 0;
    QObject::connect(&server, &QTcpServer::newConnection, &server, [&] {
        QTcpSocket *s = server.nextPendingConnection();
        ++accepted;
        auto *request = new QByteArray;
        QObject::connect(s, &QTcpSocket::readyRead, s, [s, request, answer] {
            request->append(s->readAll());
            if (!request->contains("\r\n\r\n"))
                return;
            s->write(answer);
            s->disconnectFromHost();
        });
        QObject::connect(s, &QTcpSocket::disconnected, s, [s, request] {
            delete request;
            s->deleteLater();
        });
    });
    const QUrl url(QStringLiteral("http://127.0.0.1:%1/api").arg(server.serverPort()));
    QFuture<HttpOnceResponse> f =
        QtConcurrent::run([url, headers] { return httpPostOnce(url, headers, "{}", 10000); });
    while (!f.isFinished())
        QTest::qWait(5);
    if (connections)
        *connections = accepted;
    return f.result();
}

QByteArray chunkedHead()
{
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
}

} // namespace

class TestHttpOnce : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hostileChunkedAnswers_data()
    {
        QTest::addColumn<QByteArray>("chunks");
        QTest::addColumn<QString>("errorPart"); // empty: the body must decode
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("two chunks") << QByteArray("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n") << ""
                                    << QByteArray("hello world");
        QTest::newRow("chunk extension")
            << QByteArray("5;name=v\r\nhello\r\n0\r\n\r\n") << "" << QByteArray("hello");
        QTest::newRow("upper-case hex")
            << QByteArray("A\r\n0123456789\r\n0\r\n\r\n") << "" << QByteArray("0123456789");
        QTest::newRow("size that overflows 64 bits")
            << QByteArray("7fffffffffffffff\r\nabc\r\n0\r\n\r\n") << "body limit" << QByteArray();
        QTest::newRow("size of 2^64-1")
            << QByteArray("ffffffffffffffff\r\nabc\r\n0\r\n\r\n") << "body limit" << QByteArray();
        QTest::newRow("many hex digits") << QByteArray(40, 'f') + "\r\nabc\r\n0\r\n\r\n"
                                         << "body limit" << QByteArray();
        QTest::newRow("size just past the limit")
            << QByteArray("4000001\r\nabc\r\n0\r\n\r\n") << "body limit" << QByteArray();
        QTest::newRow("negative size")
            << QByteArray("-5\r\nhello\r\n0\r\n\r\n") << "malformed chunk size" << QByteArray();
        QTest::newRow("no digits")
            << QByteArray("\r\nhello\r\n0\r\n\r\n") << "malformed chunk size" << QByteArray();
        QTest::newRow("data longer than its size")
            << QByteArray("3\r\nhello\r\n0\r\n\r\n") << "not followed by CR LF" << QByteArray();
        QTest::newRow("bare LF size line")
            << QByteArray("5\nhello\r\n0\r\n\r\n") << "CR LF" << QByteArray();
        QTest::newRow("endless size line")
            << QByteArray(5000, '0') << "longer than" << QByteArray();
        QByteArray many;
        QByteArray expected;
        for (int i = 0; i < 50000; ++i) {
            many += "1\r\n" + QByteArray(1, char('a' + i % 26)) + "\r\n";
            expected += char('a' + i % 26);
        }
        QTest::newRow("50000 one-byte chunks") << many + "0\r\n\r\n"
                                               << "" << expected;
    }
    void hostileChunkedAnswers()
    {
        QFETCH(QByteArray, chunks);
        QFETCH(QString, errorPart);
        QFETCH(QByteArray, body);
        const HttpOnceResponse r = exchange(chunkedHead() + chunks);
        if (errorPart.isEmpty()) {
            QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
            QCOMPARE(r.status, 200);
            QCOMPARE(r.body, body);
        } else {
            QVERIFY2(r.error.contains(errorPart), qPrintable(r.error));
        }
    }

    // The decoder gives the same answer whether bytes come all at once or one by one.
    void decoderIsIncremental_data() { hostileChunkedAnswers_data(); }
    void decoderIsIncremental()
    {
        QFETCH(QByteArray, chunks);
        QFETCH(QString, errorPart);
        QFETCH(QByteArray, body);
        ChunkedDecoder whole(64 << 20);
        whole.feed(chunks);
        ChunkedDecoder bytewise(64 << 20);
        for (qsizetype i = 0;
             i < chunks.size() && bytewise.state() == ChunkedDecoder::State::NeedMore; ++i)
            bytewise.feed(QByteArrayView(chunks).sliced(i, 1));
        QCOMPARE(int(whole.state()), int(bytewise.state()));
        QCOMPARE(whole.body(), bytewise.body());
        if (errorPart.isEmpty()) {
            QCOMPARE(int(whole.state()), int(ChunkedDecoder::State::Done));
            QCOMPARE(whole.body(), body);
        } else {
            QCOMPARE(int(whole.state()), int(ChunkedDecoder::State::Failed));
            QCOMPARE(whole.error(), bytewise.error());
        }
    }

    void oversizedHeadIsRefused()
    {
        QByteArray head = "HTTP/1.1 200 OK\r\n";
        while (head.size() < 200 * 1024)
            head += "X-Padding: " + QByteArray(100, 'p') + "\r\n";
        const HttpOnceResponse r = exchange(head);
        QVERIFY2(r.error.contains(QStringLiteral("header is larger")), qPrintable(r.error));
    }

    void headerValuesWithLineBreaksAreRefused_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("CR LF in value")
            << QByteArray("x-xdr-auth-id") << QByteArray("1\r\nX-Injected: yes");
        QTest::newRow("bare LF in value")
            << QByteArray("Authorization") << QByteArray("key\nGET / HTTP/1.1");
        QTest::newRow("bare CR in value") << QByteArray("Authorization") << QByteArray("key\rx");
        QTest::newRow("NUL in value") << QByteArray("Authorization") << QByteArray("key\0x", 5);
        QTest::newRow("colon in name") << QByteArray("x-a: b") << QByteArray("c");
        QTest::newRow("space in name") << QByteArray("x a") << QByteArray("c");
        QTest::newRow("empty name") << QByteArray() << QByteArray("c");
    }
    void headerValuesWithLineBreaksAreRefused()
    {
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, value);
        int connections = -1;
        const HttpOnceResponse r = exchange("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}",
                                            {{name, value}}, &connections);
        QVERIFY2(r.error.startsWith(QStringLiteral("request refused")), qPrintable(r.error));
        QVERIFY(!r.mayHaveReachedServer);
        QCOMPARE(connections, 0);
    }

    void plainHeadersStillWork()
    {
        const HttpOnceResponse r = exchange("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}",
                                            {{"Authorization", "k3y"}, {"x-xdr-auth-id", "7"}});
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.body, QByteArray("{}"));
    }
};

QTEST_GUILESS_MAIN(TestHttpOnce)
#include "tst_httponce.moc"
