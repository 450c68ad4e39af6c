#pragma once

#include "core/importoptions.h"
#include "core/records.h"
#include "core/result.h"
#include "xdrclient.h"

namespace causa {

class CaseStore;

// What one pull brought in.
struct XdrPullOutcome
{
    QString tenant;
    qint64 caseId = 0; // the pulled incident's case (pullIncident)
    ImportCounts counts;
    qint64 alertsFetched = 0; // alerts in every searched page
    qint64 alertsTotal = 0;   // what the tenant said matched
    bool truncated = false;
    QStringList hosts; // hosts the related-alert search asked about
    qint64 fromMs = 0;
    qint64 toMs = 0;
};

// Pulls from a Cortex XDR tenant into the store through the same XDR importer as files (same
// idempotency, same errors). Everything is fetched first and then imported in ONE transaction,
// so a failed or cancelled pull leaves the store exactly as it was.
class XdrPuller final
{
public:
    XdrPuller(CaseStore &store, XdrClient &client, QString tenant);

    // The incident (get_incident_extra_data); with `related`, also every alert on its hosts
    // within ±windowMs of its alerts (get_alerts_by_filter_data, paged).
    Result<XdrPullOutcome> pullIncident(const QString &incidentId, bool related, qint64 windowMs,
                                        const ImportOptions &options = {});
    // An alert search (related alerts of a stored case, hunting by hash/IP), imported.
    Result<XdrPullOutcome> pullAlerts(const XdrAlertQuery &query, const QString &what,
                                      const ImportOptions &options = {});

    // Hosts and [first, last] alert time of an incident reply, for the related-alert search.
    static XdrAlertQuery relatedQuery(const QByteArray &incidentReply, qint64 windowMs);

private:
    Result<void> importAll(const std::vector<std::pair<QByteArray, QString>> &documents,
                           const QString &sourceName, const ImportOptions &options,
                           XdrPullOutcome &out);

    CaseStore &m_store;
    XdrClient &m_client;
    QString m_tenant;
};

} // namespace causa
