#include "httponce.h"

#include "chunkeddecoder.h"

#include <QDeadlineTimer>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>

#include <memory>

namespace causa {

namespace {

// Pulled incidents and alert pages can be large; actions answer in a few bytes.
constexpr qsizetype kMaxBody = 64 << 20;

// Reads until `done(buffer)` or the deadline; false on timeout or close before done.
template<typename Done>
bool readUntil(QTcpSocket &s, QByteArray &buf, const QDeadlineTimer &deadline, Done done)
{
    while (!done(buf)) {
        if (buf.size() > kMaxBody)
            return false;
        if (s.bytesAvailable() > 0) {
            buf += s.readAll();
            continue;
        }
        if (s.state() != QAbstractSocket::ConnectedState)
            return done(buf);
        const qint64 left = deadline.remainingTime();
        if (left == 0 || !s.waitForReadyRead(int(std::min<qint64>(left, 1000)))) {
            if (deadline.hasExpired())
                return false;
            if (s.state() != QAbstractSocket::ConnectedState) {
                buf += s.readAll();
                return done(buf);
            }
        }
    }
    return true;
}

// Header names are tokens; values may not carry CR, LF or NUL, which would end the header early
// and let text (an API key id from a shared profile, say) add headers or a second request.
QString headerProblem(const QList<QPair<QByteArray, QByteArray>> &headers)
{
    for (const auto &h : headers) {
        if (h.first.isEmpty())
            return QStringLiteral("an empty header name");
        for (const char c : h.first)
            if (c <= ' ' || c == ':' || c >= 0x7f)
                return QStringLiteral("the header name \"%1\" has a character not allowed there")
                    .arg(QString::fromLatin1(h.first.toPercentEncoding()));
        for (const char c : h.second)
            if (c == '\r' || c == '\n' || c == '\0')
                return QStringLiteral("the value of header %1 contains a line break or NUL")
                    .arg(QString::fromLatin1(h.first.toPercentEncoding()));
    }
    return {};
}

// The response head ends with an empty line; servers keep it far below this.
constexpr qsizetype kMaxHead = 64 << 10;

// A connected (and for https, encrypted) socket, or nullptr with r.error set.
std::unique_ptr<QTcpSocket> connectTo(const QUrl &url, const HttpTlsOptions &tlsOptions,
                                      const QDeadlineTimer &deadline, HttpOnceResponse &r)
{
    const bool tls = url.scheme() == QLatin1String("https");
    const quint16 port = quint16(url.port(tls ? 443 : 80));
    r.mayHaveReachedServer = false;
    if (!tls) {
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(url.host(), port);
        if (!socket->waitForConnected(int(std::max<qint64>(1, deadline.remainingTime())))) {
            r.error = QStringLiteral("cannot connect to %1:%2: %3")
                          .arg(url.host())
                          .arg(port)
                          .arg(socket->errorString());
            return nullptr;
        }
        r.mayHaveReachedServer = true;
        return socket;
    }
    auto ssl = std::make_unique<QSslSocket>();
    if (tlsOptions.allowSelfSigned) {
        ssl->setPeerVerifyMode(QSslSocket::VerifyNone);
    } else {
        ssl->setPeerVerifyMode(QSslSocket::VerifyPeer);
        if (!tlsOptions.caFile.isEmpty()) {
            QSslConfiguration conf = ssl->sslConfiguration();
            const QList<QSslCertificate> extra = QSslCertificate::fromPath(tlsOptions.caFile);
            if (extra.isEmpty()) {
                r.error = QStringLiteral("no certificate could be read from the CA file %1")
                              .arg(tlsOptions.caFile);
                return nullptr;
            }
            conf.addCaCertificates(extra);
            ssl->setSslConfiguration(conf);
        }
    }
    ssl->connectToHostEncrypted(url.host(), port);
    if (!ssl->waitForEncrypted(int(std::max<qint64>(1, deadline.remainingTime())))) {
        r.error =
            QStringLiteral("TLS connection to %1 failed: %2").arg(url.host(), ssl->errorString());
        return nullptr;
    }
    r.mayHaveReachedServer = true;
    return ssl;
}

QByteArray requestBytes(const QUrl &url, const QList<QPair<QByteArray, QByteArray>> &headers,
                        const QByteArray &body)
{
    QByteArray path = url.path(QUrl::FullyEncoded).toUtf8();
    if (path.isEmpty())
        path = "/";
    if (url.hasQuery())
        path += '?' + url.query(QUrl::FullyEncoded).toUtf8();
    QByteArray request = "POST " + path + " HTTP/1.1\r\nHost: " + url.host().toUtf8();
    if (url.port() > 0)
        request += ':' + QByteArray::number(url.port());
    request += "\r\nConnection: close\r\nAccept: application/json\r\nContent-Length: " +
               QByteArray::number(body.size()) + "\r\n";
    for (const auto &h : headers)
        request += h.first + ": " + h.second + "\r\n";
    request += "\r\n" + body;
    return request;
}

// How the body is framed, from the response head.
struct BodyFraming
{
    qint64 contentLength = -1;
    bool chunked = false;
};

BodyFraming parseHead(const QByteArray &head, HttpOnceResponse &r)
{
    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
    r.status = statusLine.value(1).toInt();
    BodyFraming framing;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        r.headers.insert(name, value);
        if (name == "content-length")
            framing.contentLength = value.toLongLong();
        else if (name == "transfer-encoding" && value.toLower().contains("chunked"))
            framing.chunked = true;
    }
    return framing;
}

// Reads the body that starts at buf[start]; true when it arrived whole. A malformed chunked
// body sets r.error.
bool readBody(QTcpSocket &socket, QByteArray &buf, qsizetype start, BodyFraming framing,
              const QDeadlineTimer &deadline, HttpOnceResponse &r)
{
    if (framing.chunked) {
        ChunkedDecoder decoder(kMaxBody);
        qsizetype fed = start;
        const bool ended = readUntil(socket, buf, deadline, [&](const QByteArray &b) {
            decoder.feed(QByteArrayView(b).sliced(fed));
            fed = b.size();
            return decoder.state() != ChunkedDecoder::State::NeedMore;
        });
        if (decoder.state() == ChunkedDecoder::State::Failed) {
            r.error = QStringLiteral("malformed chunked answer: ") + decoder.error();
            return false;
        }
        r.body = decoder.body();
        return ended && decoder.state() == ChunkedDecoder::State::Done;
    }
    if (framing.contentLength >= 0) {
        const bool whole = readUntil(socket, buf, deadline, [&](const QByteArray &b) {
            return b.size() - start >= framing.contentLength;
        });
        r.body = buf.mid(start, framing.contentLength);
        return whole;
    }
    const bool closed = readUntil(socket, buf, deadline, [&](const QByteArray &) {
        return socket.state() != QAbstractSocket::ConnectedState;
    });
    r.body = buf.mid(start);
    return closed;
}

} // namespace

HttpOnceResponse httpPostOnce(const QUrl &url, const QList<QPair<QByteArray, QByteArray>> &headers,
                              const QByteArray &body, int timeoutMs,
                              const HttpTlsOptions &tlsOptions)
{
    HttpOnceResponse r;
    if (const QString problem = headerProblem(headers); !problem.isEmpty()) {
        r.error = QStringLiteral("request refused: ") + problem;
        r.mayHaveReachedServer = false;
        return r;
    }
    const QDeadlineTimer deadline(timeoutMs);
    std::unique_ptr<QTcpSocket> socket = connectTo(url, tlsOptions, deadline, r);
    if (!socket)
        return r;
    socket->write(requestBytes(url, headers, body));
    while (socket->bytesToWrite() > 0) {
        if (deadline.hasExpired() ||
            !socket->waitForBytesWritten(int(std::max<qint64>(1, deadline.remainingTime())))) {
            r.error = QStringLiteral("sending the request failed: %1").arg(socket->errorString());
            return r;
        }
    }
    QByteArray buf;
    qsizetype headerEnd = -1;
    qsizetype searched = 0; // each read only searches the new bytes (and 3 before them)
    const auto headDone = [&](const QByteArray &b) {
        headerEnd = b.indexOf("\r\n\r\n", std::max<qsizetype>(0, searched - 3));
        searched = b.size();
        return headerEnd >= 0 || b.size() > kMaxHead;
    };
    if (!readUntil(*socket, buf, deadline, headDone) || headerEnd < 0) {
        r.timedOut = deadline.hasExpired();
        r.error = r.timedOut ? QStringLiteral("no answer within %1 ms").arg(timeoutMs)
                  : buf.size() > kMaxHead
                      ? QStringLiteral("the answer's header is larger than %1 bytes").arg(kMaxHead)
                      : QStringLiteral("the server closed the connection without answering");
        return r;
    }
    const BodyFraming framing = parseHead(buf.left(headerEnd), r);
    const bool complete = readBody(*socket, buf, headerEnd + 4, framing, deadline, r);
    if (!r.error.isEmpty()) {
        socket->abort();
        return r;
    }
    if (!complete && r.status == 0)
        r.error = QStringLiteral("incomplete answer");
    else if (!complete) {
        r.timedOut = deadline.hasExpired();
        r.error = r.timedOut ? QStringLiteral("no complete answer within %1 ms").arg(timeoutMs)
                             : QStringLiteral("incomplete answer");
    }
    socket->abort();
    return r;
}

} // namespace causa
