#pragma once

#include "actionconnector.h"
#include "xdrtransport.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>

namespace causa {

struct XdrConnectorSettings
{
    QUrl baseUrl;     // https://api-<tenant>.xdr.<region>.paloaltonetworks.com
    QString apiKeyId; // x-xdr-auth-id
    QString apiKey;   // never stored, logged or reported
    bool advancedKey = false;
    int timeoutMs = 30000;
    int maxAttempts = 3; // only for calls that certainly did not reach the server, or reads
    int backoffMs = 500; // doubled on each retry
    int statusPolls = 3; // get_action_status polls after an action was accepted (0 = none)
    int pollIntervalMs = 2000;
    HttpTlsOptions tls;

    // The tenant address and key as the shared XDR transport takes them.
    XdrEndpoint endpoint() const;
    // CAUSA_XDR_API_KEY / CAUSA_XDR_API_KEY_ID / CAUSA_XDR_URL / CAUSA_XDR_ADVANCED=1.
    static XdrConnectorSettings fromEnvironment();
};

// One HTTP request as the connector would send it.
struct XdrRequest
{
    QString path;
    nlohmann::json requestData;
    bool idempotent = false;
};

// Cortex XDR public API: terminate_causality, run_script (execute_commands: taskkill),
// hash blocklist, isolate, get_action_status. Standard and advanced API-key auth, TLS verified,
// timeouts, and retries that never repeat a call that may already have taken effect.
class XdrConnector final : public ActionConnector
{
public:
    explicit XdrConnector(XdrConnectorSettings settings);

    QString name() const override { return QStringLiteral("xdr"); }
    bool supports(const QString &kind) const override;
    Result<nlohmann::json> preview(const ActionRecord &action) const override;
    ConnectorOutcome execute(const ActionRecord &action) override;

    // The request for an action (exposed for tests and the export of dry runs).
    static Result<XdrRequest> requestFor(const ActionRecord &action);
    // Auth headers; for advanced keys nonce/timestamp are inputs so tests can recompute them.
    QList<QPair<QByteArray, QByteArray>> authHeaders(const QByteArray &nonce,
                                                     qint64 timestampMs) const;
    static QByteArray makeNonce();
    static QString executeCommandsScriptUid();

    struct Response
    {
        int httpStatus = 0;
        QByteArray body;
        QString error;
        bool mayHaveReachedServer = true;
        int attempts = 0;
    };
    // POSTs {"request_data": ...} to path with retries as allowed by `idempotent`.
    Response call(const XdrRequest &request);

private:
    Response callOnce(const XdrRequest &request);

    XdrConnectorSettings m_settings;
};

} // namespace causa
