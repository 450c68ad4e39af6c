#pragma once

#include "httptestserver.h"

#include <QMutex>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <memory>
#include <vector>

namespace causa::test {

// A Cortex XDR tenant on loopback for tests: a real HttpTestServer answering
// get_incident_extra_data, get_alerts_by_filter_data (filters, sort, paging) and
// get_original_alerts from data the test loads, checking every request's auth headers (standard
// or advanced, the hash recomputed here) and body shape. Faults are injected per path.
class XdrTenantServer
{
public:
    XdrTenantServer(QString keyId, QString key, bool advanced);

    QString baseUrl() const { return m_server->baseUrl(); }
    HttpTestServer &http() { return *m_server; }

    // Replies served for get_incident_extra_data, by incident id.
    void addIncident(const QString &id, const QByteArray &reply);
    // Alerts in the get_alerts_by_filter_data shape ({"alert_fields": {...}}).
    void addAlert(nlohmann::json alert);
    // The next `count` requests to paths containing `pathPart` get this answer instead.
    void injectFault(const QString &pathPart, int count, HttpTestServer::Response response,
                     int skipFirst = 0);

    // What went wrong in requests (bad auth, bad body), empty when every request was right.
    QStringList violations() const;
    QList<nlohmann::json> bodies(const QString &pathPart) const;
    int requests(const QString &pathPart) const;

    static HttpTestServer::Response reply(int status, const nlohmann::json &body);

private:
    HttpTestServer::Response handle(const HttpTestServer::Request &r);
    bool checkAuth(const HttpTestServer::Request &r, QString *why) const;
    HttpTestServer::Response alertsByFilter(const nlohmann::json &request);

    struct Fault
    {
        QString pathPart;
        int skip = 0;
        int count = 0;
        HttpTestServer::Response response;
    };

    QString m_keyId;
    QString m_key;
    bool m_advanced;
    mutable QMutex m_mutex;
    QMap<QString, QByteArray> m_incidents;
    std::vector<nlohmann::json> m_alerts;
    std::vector<Fault> m_faults;
    QStringList m_violations;
    std::vector<std::pair<QString, nlohmann::json>> m_bodies;
    std::unique_ptr<HttpTestServer> m_server;
};

} // namespace causa::test
