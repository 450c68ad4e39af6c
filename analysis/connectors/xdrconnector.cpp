#include "xdrconnector.h"

#include "core/errorcodes.h"
#include "core/jsonutil.h"
#include "core/logging.h"
#include "httponce.h"

#include <QThread>

namespace causa {

using nlohmann::json;

namespace {

const char *kBasePath = "/public_api/v1";

QString payloadStr(const ActionRecord &a, const char *key)
{
    return js::str(a.payload, key);
}

} // namespace

XdrConnectorSettings XdrConnectorSettings::fromEnvironment()
{
    XdrConnectorSettings s;
    s.baseUrl = QUrl(qEnvironmentVariable("CAUSA_XDR_URL"));
    s.apiKeyId = qEnvironmentVariable("CAUSA_XDR_API_KEY_ID");
    s.apiKey = qEnvironmentVariable("CAUSA_XDR_API_KEY");
    const QString adv = qEnvironmentVariable("CAUSA_XDR_ADVANCED").toLower();
    s.advancedKey =
        adv == QLatin1String("1") || adv == QLatin1String("true") || adv == QLatin1String("yes");
    return s;
}

XdrEndpoint XdrConnectorSettings::endpoint() const
{
    XdrEndpoint e;
    e.baseUrl = baseUrl;
    e.apiKeyId = apiKeyId;
    e.apiKey = apiKey;
    e.advancedKey = advancedKey;
    e.tls = tls;
    e.timeoutMs = timeoutMs;
    return e;
}

XdrConnector::XdrConnector(XdrConnectorSettings settings) : m_settings(std::move(settings)) {}

QString XdrConnector::executeCommandsScriptUid()
{
    // The uid of Cortex XDR's built-in "execute_commands" script.
    return QStringLiteral("a6f7683c8e217d85bd3c398f0d3fb6bf");
}

bool XdrConnector::supports(const QString &kind) const
{
    return kind == QLatin1String("terminate_causality") ||
           kind == QLatin1String("terminate_process") || kind == QLatin1String("block_hash") ||
           kind == QLatin1String("isolate_endpoint");
}

Result<XdrRequest> XdrConnector::requestFor(const ActionRecord &a)
{
    auto missing = [&](const char *field) {
        return makeError(errc::kXdrRequest,
                         QStringLiteral("action %1 (%2) has no %3; Cortex XDR cannot act on it")
                             .arg(a.id)
                             .arg(a.kind, QLatin1String(field)));
    };
    const QString agent = payloadStr(a, "agent_id");
    XdrRequest r;
    if (a.kind == QLatin1String("terminate_causality")) {
        const QString causality = payloadStr(a, "causality_id");
        if (agent.isEmpty())
            return missing("agent_id");
        if (causality.isEmpty())
            return missing("causality_id");
        r.path = QStringLiteral("/endpoints/terminate_causality/");
        r.requestData = {{"agent_id", js::toStd(agent)}, {"causality_id", js::toStd(causality)}};
    } else if (a.kind == QLatin1String("terminate_process")) {
        const qint64 pid = js::int64(a.payload, "pid", -1);
        if (agent.isEmpty())
            return missing("agent_id");
        if (pid <= 0)
            return missing("pid");
        r.path = QStringLiteral("/scripts/run_script/");
        r.requestData = {
            {"script_uid", js::toStd(executeCommandsScriptUid())},
            {"timeout", 600},
            {"filters", json::array({{{"field", "endpoint_id_list"},
                                      {"operator", "in"},
                                      {"value", json::array({js::toStd(agent)})}}})},
            {"parameters_values",
             {{"commands_list", json::array({"taskkill /F /PID " + std::to_string(pid)})}}}};
    } else if (a.kind == QLatin1String("block_hash")) {
        const QString sha = payloadStr(a, "sha256");
        if (sha.isEmpty())
            return missing("sha256");
        r.path = QStringLiteral("/hash_exceptions/blocklist/");
        r.requestData = {{"hash_list", json::array({js::toStd(sha)})},
                         {"comment", js::toStd(payloadStr(a, "comment"))}};
        const QString incident = payloadStr(a, "incident_id");
        if (!incident.isEmpty())
            r.requestData["incident_id"] = js::toStd(incident);
    } else if (a.kind == QLatin1String("isolate_endpoint")) {
        if (agent.isEmpty())
            return missing("agent_id");
        r.path = QStringLiteral("/endpoints/isolate");
        r.requestData = {{"endpoint_id", js::toStd(agent)}};
    } else {
        return makeError(
            errc::kXdrUnsupported,
            QStringLiteral("the Cortex XDR connector cannot carry out '%1' actions; export them "
                           "instead (--connector export)")
                .arg(a.kind));
    }
    return r;
}

QByteArray XdrConnector::makeNonce()
{
    return xdrauth::makeNonce();
}

QList<QPair<QByteArray, QByteArray>> XdrConnector::authHeaders(const QByteArray &nonce,
                                                               qint64 timestampMs) const
{
    return xdrauth::headers(m_settings.endpoint(), nonce, timestampMs);
}

Result<json> XdrConnector::preview(const ActionRecord &action) const
{
    auto r = requestFor(action);
    if (!r)
        return r.error();
    json headers = {{"Content-Type", "application/json"},
                    {"x-xdr-auth-id", js::toStd(m_settings.apiKeyId)},
                    {"Authorization",
                     m_settings.advancedKey ? "<sha256(key + nonce + timestamp)>" : "<api key>"}};
    if (m_settings.advancedKey) {
        headers["x-xdr-nonce"] = "<64 random alphanumerics>";
        headers["x-xdr-timestamp"] = "<epoch ms>";
    }
    QString base = m_settings.baseUrl.toString();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return json{{"connector", "xdr"},
                {"method", "POST"},
                {"url", js::toStd(base + QLatin1String(kBasePath) + r->path)},
                {"headers", headers},
                {"body", {{"request_data", r->requestData}}}};
}

XdrConnector::Response XdrConnector::callOnce(const XdrRequest &request)
{
    const HttpOnceResponse h =
        xdrauth::post(m_settings.endpoint(), request.path, request.requestData);
    Response out;
    out.httpStatus = h.status;
    out.body = h.body.left(1 << 20);
    out.error = h.error;
    out.mayHaveReachedServer = h.mayHaveReachedServer;
    return out;
}

XdrConnector::Response XdrConnector::call(const XdrRequest &request)
{
    Response r;
    if (const QString why = xdrauth::refusal(m_settings.endpoint()); !why.isEmpty()) {
        // The same refusal, worded for where this connector's settings come from.
        if (!m_settings.baseUrl.isValid() || m_settings.baseUrl.host().isEmpty())
            r.error = QStringLiteral("no Cortex XDR URL configured (--xdr-url or CAUSA_XDR_URL)");
        else if (!why.startsWith(QLatin1String("refusing")))
            r.error = QStringLiteral(
                "no Cortex XDR API key (set CAUSA_XDR_API_KEY and CAUSA_XDR_API_KEY_ID)");
        else
            r.error = why;
        r.mayHaveReachedServer = false;
        return r;
    }
    int delay = m_settings.backoffMs;
    const int attempts = std::max(1, m_settings.maxAttempts);
    for (int attempt = 1;; ++attempt) {
        r = callOnce(request);
        r.attempts = attempt;
        const bool ok = r.error.isEmpty() && r.httpStatus >= 200 && r.httpStatus < 300;
        if (ok || attempt >= attempts)
            break;
        // A retry must never repeat an action that may already have taken effect: only calls
        // that never reached the server, explicit "slow down" answers, or pure reads go again.
        const bool neverArrived = !r.error.isEmpty() && !r.mayHaveReachedServer;
        const bool throttled = r.httpStatus == 429;
        const bool transient = !r.error.isEmpty() || r.httpStatus >= 500;
        if (!(neverArrived || throttled || (request.idempotent && transient)))
            break;
        qCInfo(lcNet) << "XDR" << request.path << "attempt" << attempt << "failed, retrying in"
                      << delay << "ms";
        QThread::msleep(ulong(delay));
        delay *= 2;
    }
    return r;
}

ConnectorOutcome XdrConnector::execute(const ActionRecord &action)
{
    ConnectorOutcome out;
    auto request = requestFor(action);
    if (!request) {
        out.result = {{"error", js::toStd(request.error().message)}};
        return out;
    }
    const Response r = call(request.value());
    out.result["endpoint"] = js::toStd(QLatin1String(kBasePath) + request->path);
    out.result["attempts"] = r.attempts;
    if (r.httpStatus)
        out.result["http_status"] = r.httpStatus;
    json reply = json::parse(r.body.toStdString(), nullptr, false);
    if (!reply.is_discarded())
        out.result["reply"] = reply.contains("reply") ? reply["reply"] : reply;
    else if (!r.body.isEmpty())
        out.result["reply_text"] = r.body.left(2000).toStdString();
    if (!r.error.isEmpty()) {
        out.result["error"] = js::toStd(r.error);
        if (r.mayHaveReachedServer)
            out.result["outcome_unknown"] = true; // check the XDR action center before retrying
        return out;
    }
    if (r.httpStatus == 401 || r.httpStatus == 403) {
        out.result["error"] =
            "Cortex XDR rejected the API key (check the key id, the key and whether it is an advanced key)";
        return out;
    }
    if (r.httpStatus < 200 || r.httpStatus >= 300) {
        out.result["error"] =
            js::toStd(QStringLiteral("Cortex XDR answered HTTP %1").arg(r.httpStatus));
        if (r.httpStatus >= 500)
            out.result["outcome_unknown"] = true;
        return out;
    }
    out.succeeded = true;
    // Actions that run on the endpoint return a group action id whose status can be polled.
    qint64 actionId = -1;
    if (reply.is_object() && reply.contains("reply") && reply["reply"].is_object())
        actionId = js::int64(reply["reply"], "action_id",
                             js::int64(reply["reply"], "group_action_id", -1));
    if (actionId > 0) {
        out.result["action_id"] = actionId;
        XdrRequest status{
            QStringLiteral("/actions/get_action_status/"), {{"group_action_id", actionId}}, true};
        for (int poll = 0; poll < m_settings.statusPolls; ++poll) {
            if (poll > 0)
                QThread::msleep(ulong(m_settings.pollIntervalMs));
            const Response s = call(status);
            json sj = json::parse(s.body.toStdString(), nullptr, false);
            if (!s.error.isEmpty() || s.httpStatus != 200 || sj.is_discarded()) {
                out.result["status_error"] = js::toStd(
                    s.error.isEmpty() ? QStringLiteral("HTTP %1").arg(s.httpStatus) : s.error);
                continue;
            }
            const json data = sj.contains("reply") && sj["reply"].is_object()
                                  ? sj["reply"].value("data", json())
                                  : json();
            out.result["status"] = data;
            out.result.erase("status_error");
            bool pending = false;
            bool failed = false;
            if (data.is_object())
                for (const auto &[endpoint, st] : data.items()) {
                    const std::string v = st.is_string() ? st.get<std::string>() : std::string();
                    pending |= v == "PENDING" || v == "IN_PROGRESS" || v == "PENDING_ABORT";
                    failed |= v == "FAILED" || v == "TIMEOUT" || v == "ABORTED" ||
                              v == "CANCELED" || v == "EXPIRED";
                }
            if (failed) {
                out.succeeded = false;
                out.result["error"] = "Cortex XDR reports the action failed on the endpoint";
                break;
            }
            if (!pending)
                break;
        }
    }
    return out;
}

} // namespace causa
