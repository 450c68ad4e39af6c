#pragma once

#include "connectors/xdrtransport.h"
#include "core/result.h"

#include <QByteArray>
#include <QStringList>

#include <atomic>
#include <functional>
#include <vector>

namespace causa {

// What to ask get_alerts_by_filter_data for: alerts on these hosts (OR), or carrying these
// hashes / IPs (OR), optionally within [fromMs, toMs] (source_insert_ts). Groups are ANDed.
struct XdrAlertQuery
{
    QStringList hostNames; // agent_hostname EQ
    QStringList sha256;    // action/actor/causality process and file SHA-256
    QStringList ips;       // action_remote_ip, action_local_ip, agent_ip_addresses
    qint64 fromMs = 0;
    qint64 toMs = 0; // 0 = no time bound
    QString sortField = QStringLiteral("source_insert_ts");
    bool descending = false;

    bool isEmpty() const { return hostNames.isEmpty() && sha256.isEmpty() && ips.isEmpty(); }
    // {"filter_data": {"filter": {"AND": [{"OR": [...]}, ...]}, "sort": [...], "paging": {...}}}
    nlohmann::json requestData(qint64 from, qint64 to) const;
};

// Every page of one alert search, as the raw replies (imported like files).
struct XdrAlertPages
{
    std::vector<QByteArray> pages;
    qint64 total = 0; // reply.total_count / result_count of the first page
    qint64 fetched = 0;
    bool truncated = false; // stopped at maxAlerts
};

struct XdrClientOptions
{
    int maxAttempts = 4;  // per request; pulls are reads, so 429, 5xx and lost connections retry
    int backoffMs = 1000; // doubled per retry; Retry-After wins when the server sends it
    int maxBackoffMs = 60000;
    int pageSize = 100;
    qint64 maxAlerts = 20000; // a runaway search stops here and says so
    const std::atomic_bool *cancel = nullptr;
    // One line per request and retry, for progress displays ("page 3 (200/1234 alerts)").
    std::function<void(const QString &status)> status;
};

// Reads from one Cortex XDR tenant: incidents with their alerts and artifacts, alert searches
// with paging, original alerts. Errors come back with codes callers can act on:
// xdr-auth (401/403), xdr-rate-limited (429 after retries), xdr-server (5xx), xdr-unreachable,
// xdr-timeout, xdr-http, xdr-bad-reply, xdr-refused (no key / http to a remote host), cancelled.
class XdrClient final
{
public:
    explicit XdrClient(XdrEndpoint endpoint, XdrClientOptions options = {});

    // POST /incidents/get_incident_extra_data/ — the raw reply.
    Result<QByteArray> incidentExtraData(const QString &incidentId, int alertsLimit = 1000);
    // POST /alerts/get_alerts_by_filter_data/ page after page.
    Result<XdrAlertPages> alertsByFilter(const XdrAlertQuery &query);
    // POST /alerts/get_original_alerts/ — the raw reply.
    Result<QByteArray> originalAlerts(const QStringList &alertIds);
    // A cheap authenticated call (one alert); "OK" text or the error (401, unreachable, ...).
    Result<QString> testConnection();

    const XdrEndpoint &endpoint() const { return m_endpoint; }

private:
    Result<QByteArray> call(const QString &path, const nlohmann::json &requestData);
    bool cancelled() const { return m_options.cancel && m_options.cancel->load(); }
    void say(const QString &s) const;

    XdrEndpoint m_endpoint;
    XdrClientOptions m_options;
};

} // namespace causa
