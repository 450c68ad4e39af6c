#include "xdrclient.h"

#include "core/errorcodes.h"
#include "core/jsonutil.h"
#include "core/logging.h"

#include <QDeadlineTimer>
#include <QThread>

namespace causa {

using nlohmann::json;

namespace {

constexpr auto kIncidentPath = "/incidents/get_incident_extra_data/";
constexpr auto kAlertsPath = "/alerts/get_alerts_by_filter_data/";
constexpr auto kOriginalPath = "/alerts/get_original_alerts/";

json orOf(const char *const *fields, int fieldCount, const QStringList &values, const char *type)
{
    json any = json::array();
    for (int i = 0; i < fieldCount; ++i)
        for (const QString &v : values)
            any.push_back({{"SEARCH_FIELD", fields[i]},
                           {"SEARCH_TYPE", type},
                           {"SEARCH_VALUE", js::toStd(v)}});
    return json{{"OR", any}};
}

// "reply": {"err_code", "err_msg", "err_extra"} is how the XDR API explains a failure.
QString serverMessage(const QByteArray &body)
{
    const json j = json::parse(body.left(1 << 20).toStdString(), nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return QString::fromUtf8(body.left(200)).simplified();
    const json &r = j.contains("reply") && j["reply"].is_object() ? j["reply"] : j;
    QString msg = js::str(r, "err_msg");
    const QString extra = js::str(r, "err_extra");
    if (!extra.isEmpty())
        msg += (msg.isEmpty() ? QString() : QStringLiteral(": ")) + extra;
    return msg.left(300);
}

int retryAfterMs(const HttpOnceResponse &h)
{
    bool ok = false;
    const int s = h.headers.value("retry-after").trimmed().toInt(&ok);
    return ok && s >= 0 ? s * 1000 : -1;
}

} // namespace

json XdrAlertQuery::requestData(qint64 from, qint64 to) const
{
    json all = json::array();
    if (!hostNames.isEmpty()) {
        static const char *const f[] = {"agent_hostname"};
        all.push_back(orOf(f, 1, hostNames, "EQ"));
    }
    json anyIoc = json::array();
    if (!sha256.isEmpty()) {
        static const char *const f[] = {"action_process_image_sha256", "actor_process_image_sha256",
                                        "causality_actor_process_image_sha256",
                                        "action_file_sha256"};
        json hashes = orOf(f, 4, sha256, "EQ");
        for (json &c : hashes["OR"])
            anyIoc.push_back(std::move(c));
    }
    if (!ips.isEmpty()) {
        static const char *const f[] = {"action_remote_ip", "action_local_ip",
                                        "agent_ip_addresses"};
        json addresses = orOf(f, 3, ips, "CONTAINS");
        for (json &c : addresses["OR"])
            anyIoc.push_back(std::move(c));
    }
    if (!anyIoc.empty())
        all.push_back({{"OR", anyIoc}});
    if (toMs > 0)
        all.push_back({{"SEARCH_FIELD", "source_insert_ts"},
                       {"SEARCH_TYPE", "RANGE"},
                       {"SEARCH_VALUE", {{"from", fromMs}, {"to", toMs}}}});
    return {{"filter_data",
             {{"sort", json::array({{{"FIELD", js::toStd(sortField)},
                                     {"ORDER", descending ? "DESC" : "ASC"}}})},
              {"paging", {{"from", from}, {"to", to}}},
              {"filter", {{"AND", all}}}}}};
}

XdrClient::XdrClient(XdrEndpoint endpoint, XdrClientOptions options)
    : m_endpoint(std::move(endpoint)), m_options(std::move(options))
{}

void XdrClient::say(const QString &s) const
{
    qCInfo(lcNet) << "XDR" << s;
    if (m_options.status)
        m_options.status(s);
}

Result<QByteArray> XdrClient::call(const QString &path, const json &requestData)
{
    if (const QString why = xdrauth::refusal(m_endpoint); !why.isEmpty())
        return makeError(errc::kXdrRefused, why, path);
    const QString where = xdrauth::apiUrl(m_endpoint, path).toString();
    int delay = std::max(1, m_options.backoffMs);
    const int attempts = std::max(1, m_options.maxAttempts);
    for (int attempt = 1;; ++attempt) {
        if (cancelled())
            return makeError(errc::kCancelled, QStringLiteral("pull cancelled"), where);
        const HttpOnceResponse h = xdrauth::post(m_endpoint, path, requestData);
        Error e;
        int wait = delay;
        if (!h.error.isEmpty() && h.status == 0) {
            if (h.timedOut)
                e = makeError(errc::kXdrTimeout,
                              QStringLiteral("Cortex XDR did not answer within %1 s")
                                  .arg(m_endpoint.timeoutMs / 1000.0),
                              where);
            else
                e = makeError(errc::kXdrUnreachable,
                              QStringLiteral("cannot reach Cortex XDR: %1").arg(h.error), where);
        } else if (h.status == 401 || h.status == 403) {
            // Never retried: the same key will be rejected again.
            const QString msg = serverMessage(h.body);
            return makeError(
                errc::kXdrAuth,
                QStringLiteral(
                    "Cortex XDR rejected the API key (HTTP %1%2); check the key id, the key "
                    "and whether it is a standard or an advanced key")
                    .arg(h.status)
                    .arg(msg.isEmpty() ? QString() : QStringLiteral(": ") + msg),
                where);
        } else if (h.status == 429) {
            e = makeError(
                errc::kXdrRateLimited,
                QStringLiteral("Cortex XDR rate limit (HTTP 429) still hit after %1 attempts")
                    .arg(attempt),
                where);
            if (const int ra = retryAfterMs(h); ra >= 0)
                wait = ra;
        } else if (h.status >= 500) {
            const QString msg = serverMessage(h.body);
            e = makeError(errc::kXdrServer,
                          QStringLiteral("Cortex XDR server error HTTP %1%2")
                              .arg(h.status)
                              .arg(msg.isEmpty() ? QString() : QStringLiteral(": ") + msg),
                          where);
        } else if (!h.error.isEmpty()) {
            e = makeError(h.timedOut ? errc::kXdrTimeout : errc::kXdrUnreachable,
                          QStringLiteral("incomplete answer from Cortex XDR: %1").arg(h.error),
                          where);
        } else if (h.status < 200 || h.status >= 300) {
            const QString msg = serverMessage(h.body);
            return makeError(errc::kXdrHttp,
                             QStringLiteral("Cortex XDR answered HTTP %1%2")
                                 .arg(h.status)
                                 .arg(msg.isEmpty() ? QString() : QStringLiteral(": ") + msg),
                             where);
        } else {
            return h.body;
        }
        if (attempt >= attempts) {
            e.message += QStringLiteral(" (%1 attempt%2)")
                             .arg(attempts)
                             .arg(attempts > 1 ? QStringLiteral("s") : QString());
            return e;
        }
        wait = std::min(wait, m_options.maxBackoffMs);
        say(QStringLiteral("%1: %2; retrying in %3 s").arg(path, e.message).arg(wait / 1000.0));
        // Sleep in slices so a cancel is honoured during long Retry-After waits.
        QDeadlineTimer until(wait);
        while (!until.hasExpired() && !cancelled())
            QThread::msleep(ulong(std::clamp<qint64>(until.remainingTime(), 1, 100)));
        delay = std::min(delay * 2, m_options.maxBackoffMs);
    }
}

Result<QByteArray> XdrClient::incidentExtraData(const QString &incidentId, int alertsLimit)
{
    if (incidentId.trimmed().isEmpty())
        return makeError(errc::kUsage, QStringLiteral("no incident id given"));
    say(QStringLiteral("fetching incident %1").arg(incidentId));
    auto body =
        call(QLatin1String(kIncidentPath),
             {{"incident_id", js::toStd(incidentId.trimmed())}, {"alerts_limit", alertsLimit}});
    if (!body)
        return body;
    // Not JSON at all (a proxy's HTML page) is the tenant's fault; a broken JSON document is left
    // to the importer, which names the byte just as it does for files.
    if (!body->trimmed().startsWith('{'))
        return makeError(
            errc::kXdrBadReply,
            QStringLiteral(
                "the incident reply is not a Cortex XDR {\"reply\": ...} JSON document: %1")
                .arg(QString::fromUtf8(body->left(80)).simplified()),
            QLatin1String(kIncidentPath));
    return body;
}

Result<XdrAlertPages> XdrClient::alertsByFilter(const XdrAlertQuery &query)
{
    XdrAlertPages out;
    if (query.isEmpty())
        return out;
    const qint64 pageSize = std::max(1, m_options.pageSize);
    for (qint64 from = 0;; from += pageSize) {
        if (from >= m_options.maxAlerts) {
            out.truncated = true;
            break;
        }
        say(QStringLiteral("alerts %1-%2%3")
                .arg(from)
                .arg(from + pageSize)
                .arg(out.total > 0 ? QStringLiteral(" of %1").arg(out.total) : QString()));
        auto body = call(QLatin1String(kAlertsPath), query.requestData(from, from + pageSize));
        if (!body)
            return body.error();
        const json j = json::parse(body->toStdString(), nullptr, false);
        const json *reply =
            j.is_object() && j.contains("reply") && j["reply"].is_object() ? &j["reply"] : nullptr;
        if (!reply || !reply->contains("alerts") || !(*reply)["alerts"].is_array())
            return makeError(
                errc::kXdrBadReply,
                QStringLiteral("page at %1: no reply.alerts array in the answer").arg(from),
                QLatin1String(kAlertsPath));
        const qint64 n = qint64((*reply)["alerts"].size());
        if (from == 0)
            out.total = js::int64(*reply, "total_count", js::int64(*reply, "result_count", n));
        out.fetched += n;
        if (n > 0)
            out.pages.push_back(body.value());
        if (n < pageSize || out.fetched >= out.total)
            break;
    }
    return out;
}

Result<QByteArray> XdrClient::originalAlerts(const QStringList &alertIds)
{
    json ids = json::array();
    for (const QString &id : alertIds)
        ids.push_back(js::toStd(id));
    return call(QLatin1String(kOriginalPath), {{"alert_id_list", ids}});
}

Result<QString> XdrClient::testConnection()
{
    auto body =
        call(QLatin1String(kAlertsPath),
             {{"filter_data",
               {{"paging", {{"from", 0}, {"to", 1}}}, {"filter", {{"AND", json::array()}}}}}});
    if (!body)
        return body.error();
    const json j = json::parse(body->toStdString(), nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("reply"))
        return makeError(errc::kXdrBadReply,
                         QStringLiteral("the tenant answered, but not with a Cortex XDR reply"),
                         xdrauth::apiUrl(m_endpoint, QLatin1String(kAlertsPath)).toString());
    return QStringLiteral("OK: authenticated as key id %1 (%2 key)")
        .arg(m_endpoint.apiKeyId,
             m_endpoint.advancedKey ? QStringLiteral("advanced") : QStringLiteral("standard"));
}

} // namespace causa
