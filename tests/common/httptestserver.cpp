#include "httptestserver.h"

#include <QMutexLocker>
#include <QPointer>
#include <QSemaphore>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace causa::test {

class HttpTestServerWorker : public QObject
{
public:
    HttpTestServerWorker(HttpTestServer *owner) : m_owner(owner) {}

    quint16 start()
    {
        m_server = new QTcpServer(this);
        if (!m_server->listen(QHostAddress::LocalHost, 0))
            return 0;
        QObject::connect(m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server->nextPendingConnection())
                accept(s);
        });
        return m_server->serverPort();
    }

private:
    void accept(QTcpSocket *socket)
    {
        auto buffer = std::make_shared<QByteArray>();
        QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
            buffer->append(socket->readAll());
            for (;;) {
                const qsizetype headerEnd = buffer->indexOf("\r\n\r\n");
                if (headerEnd < 0)
                    return;
                HttpTestServer::Request req;
                const QList<QByteArray> lines = buffer->left(headerEnd).split('\n');
                const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
                req.method = first.value(0);
                req.path = first.value(1);
                for (int i = 1; i < lines.size(); ++i) {
                    const qsizetype colon = lines[i].indexOf(':');
                    if (colon > 0)
                        req.headers.insert(lines[i].left(colon).trimmed().toLower(),
                                           lines[i].mid(colon + 1).trimmed());
                }
                const qsizetype length = req.headers.value("content-length", "0").toLongLong();
                if (buffer->size() < headerEnd + 4 + length)
                    return;
                req.body = buffer->mid(headerEnd + 4, length);
                buffer->remove(0, headerEnd + 4 + length);
                respond(socket, m_owner->handle(req));
            }
        });
    }

    void respond(QTcpSocket *socket, const HttpTestServer::Response &resp)
    {
        QPointer<QTcpSocket> guard(socket);
        auto send = [guard, resp] {
            if (!guard)
                return;
            if (resp.dropConnection) {
                guard->abort();
                return;
            }
            QByteArray out = "HTTP/1.1 " + QByteArray::number(resp.status) + " Status\r\n";
            auto headers = resp.headers;
            if (!headers.contains("content-type"))
                headers.insert("content-type", "application/json");
            headers.insert("content-length", QByteArray::number(resp.body.size()));
            for (auto it = headers.cbegin(); it != headers.cend(); ++it)
                out += it.key() + ": " + it.value() + "\r\n";
            out += "\r\n" + resp.body;
            guard->write(out);
            guard->flush();
        };
        if (resp.delayMs > 0)
            QTimer::singleShot(resp.delayMs, socket, send);
        else
            send();
    }

    HttpTestServer *m_owner;
    QTcpServer *m_server = nullptr;
};

HttpTestServer::HttpTestServer(Handler handler) : m_handler(std::move(handler))
{
    auto *worker = new HttpTestServerWorker(this);
    worker->moveToThread(&m_thread);
    m_worker = worker;
    m_thread.start();
    QSemaphore ready;
    QMetaObject::invokeMethod(worker, [this, worker, &ready] {
        m_port = worker->start();
        ready.release();
    });
    ready.acquire();
}

HttpTestServer::~HttpTestServer()
{
    QMetaObject::invokeMethod(
        m_worker, [this] { delete m_worker; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

QString HttpTestServer::baseUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_port);
}

QList<HttpTestServer::Request> HttpTestServer::requests() const
{
    QMutexLocker lock(&m_mutex);
    return m_requests;
}

int HttpTestServer::requestCount() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_requests.size());
}

void HttpTestServer::setHandler(Handler handler)
{
    QMutexLocker lock(&m_mutex);
    m_handler = std::move(handler);
}

HttpTestServer::Response HttpTestServer::handle(const Request &r)
{
    Handler h;
    {
        QMutexLocker lock(&m_mutex);
        m_requests.append(r);
        h = m_handler;
    }
    return h ? h(r) : Response{404, "{}", {}, 0, false};
}

} // namespace causa::test
