#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QMutex>
#include <QString>
#include <QThread>

#include <functional>

namespace causa::test {

// A real HTTP/1.1 server on 127.0.0.1 (random port) running on its own thread, so it answers
// both in-process clients and child processes (causa-cli) while the test blocks.
class HttpTestServer
{
public:
    struct Request
    {
        QByteArray method;
        QByteArray path;                      // with query string
        QMap<QByteArray, QByteArray> headers; // lower-case names
        QByteArray body;
    };
    struct Response
    {
        int status = 200;
        QByteArray body;
        QMap<QByteArray, QByteArray> headers;
        int delayMs = 0;             // wait before answering (timeouts)
        bool dropConnection = false; // close without answering
    };
    using Handler = std::function<Response(const Request &)>;

    explicit HttpTestServer(Handler handler);
    ~HttpTestServer();
    HttpTestServer(const HttpTestServer &) = delete;
    HttpTestServer &operator=(const HttpTestServer &) = delete;

    quint16 port() const { return m_port; }
    QString baseUrl() const;
    QList<Request> requests() const;
    int requestCount() const;
    void setHandler(Handler handler);

private:
    friend class HttpTestServerWorker;
    Response handle(const Request &r);

    mutable QMutex m_mutex;
    Handler m_handler;
    QList<Request> m_requests;
    QThread m_thread;
    quint16 m_port = 0;
    QObject *m_worker = nullptr;
};

} // namespace causa::test
