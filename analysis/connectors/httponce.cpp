#include "httponce.h"

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

// Decodes a chunked body; returns false while incomplete.
bool dechunk(const QByteArray &in, QByteArray *out)
{
    QByteArray result;
    qsizetype pos = 0;
    for (;;) {
        const qsizetype eol = in.indexOf("\r\n", pos);
        if (eol < 0)
            return false;
        bool ok = false;
        const qint64 size = in.mid(pos, eol - pos).split(';').first().trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0)
            return false;
        pos = eol + 2;
        if (size == 0)
            break;
        if (in.size() < pos + size + 2)
            return false;
        result += in.mid(pos, size);
        pos += size + 2;
    }
    *out = result;
    return true;
}

} // namespace

HttpOnceResponse httpPostOnce(const QUrl &url, const QList<QPair<QByteArray, QByteArray>> &headers,
                              const QByteArray &body, int timeoutMs, const HttpTlsOptions &tlsOptions)
{
    HttpOnceResponse r;
    const QDeadlineTimer deadline(timeoutMs);
    const bool tls = url.scheme() == QLatin1String("https");
    std::unique_ptr<QTcpSocket> socket;
    const quint16 port = quint16(url.port(tls ? 443 : 80));
    if (tls) {
        auto ssl = std::make_unique<QSslSocket>();
        if (tlsOptions.allowSelfSigned) {
            ssl->setPeerVerifyMode(QSslSocket::VerifyNone);
        } else {
            ssl->setPeerVerifyMode(QSslSocket::VerifyPeer);
            if (!tlsOptions.caFile.isEmpty()) {
                QSslConfiguration conf = ssl->sslConfiguration();
                const QList<QSslCertificate> extra = QSslCertificate::fromPath(tlsOptions.caFile);
                if (extra.isEmpty()) {
                    r.error = QStringLiteral("no certificate could be read from the CA file %1").arg(tlsOptions.caFile);
                    r.mayHaveReachedServer = false;
                    return r;
                }
                conf.addCaCertificates(extra);
                ssl->setSslConfiguration(conf);
            }
        }
        ssl->connectToHostEncrypted(url.host(), port);
        if (!ssl->waitForEncrypted(int(std::max<qint64>(1, deadline.remainingTime())))) {
            r.error = QStringLiteral("TLS connection to %1 failed: %2").arg(url.host(), ssl->errorString());
            r.mayHaveReachedServer = false;
            return r;
        }
        socket = std::move(ssl);
    } else {
        socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(url.host(), port);
        if (!socket->waitForConnected(int(std::max<qint64>(1, deadline.remainingTime())))) {
            r.error = QStringLiteral("cannot connect to %1:%2: %3").arg(url.host()).arg(port).arg(socket->errorString());
            r.mayHaveReachedServer = false;
            return r;
        }
    }
    QByteArray path = url.path(QUrl::FullyEncoded).toUtf8();
    if (path.isEmpty())
        path = "/";
    if (url.hasQuery())
        path += '?' + url.query(QUrl::FullyEncoded).toUtf8();
    QByteArray request = "POST " + path + " HTTP/1.1\r\nHost: " + url.host().toUtf8();
    if (url.port() > 0)
        request += ':' + QByteArray::number(url.port());
    request += "\r\nConnection: close\r\nAccept: application/json\r\nContent-Length: "
               + QByteArray::number(body.size()) + "\r\n";
    for (const auto &h : headers)
        request += h.first + ": " + h.second + "\r\n";
    request += "\r\n" + body;
    socket->write(request);
    while (socket->bytesToWrite() > 0) {
        if (deadline.hasExpired() || !socket->waitForBytesWritten(int(std::max<qint64>(1, deadline.remainingTime())))) {
            r.error = QStringLiteral("sending the request failed: %1").arg(socket->errorString());
            return r;
        }
    }
    QByteArray buf;
    qsizetype headerEnd = -1;
    if (!readUntil(*socket, buf, deadline, [&](const QByteArray &b) { return (headerEnd = b.indexOf("\r\n\r\n")) >= 0; })) {
        r.timedOut = deadline.hasExpired();
        r.error = r.timedOut ? QStringLiteral("no answer within %1 ms").arg(timeoutMs)
                             : QStringLiteral("the server closed the connection without answering");
        return r;
    }
    const QList<QByteArray> lines = buf.left(headerEnd).split('\n');
    const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
    r.status = statusLine.value(1).toInt();
    qint64 contentLength = -1;
    bool chunked = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        r.headers.insert(name, value);
        if (name == "content-length")
            contentLength = value.toLongLong();
        else if (name == "transfer-encoding" && value.toLower().contains("chunked"))
            chunked = true;
    }
    const qsizetype start = headerEnd + 4;
    bool complete = false;
    if (chunked) {
        complete = readUntil(*socket, buf, deadline, [&](const QByteArray &b) { return dechunk(b.mid(start), &r.body); });
    } else if (contentLength >= 0) {
        complete = readUntil(*socket, buf, deadline, [&](const QByteArray &b) { return b.size() - start >= contentLength; });
        r.body = buf.mid(start, contentLength);
    } else {
        complete = readUntil(*socket, buf, deadline, [&](const QByteArray &) { return socket->state() != QAbstractSocket::ConnectedState; });
        r.body = buf.mid(start);
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
