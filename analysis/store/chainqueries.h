#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <vector>

namespace causa {

class CaseStore;

// One stored event with its raw record, as the lateral-movement chain reads it.
struct ChainEventRow
{
    qint64 id = 0;
    qint64 endpointId = 0;
    QString host;
    QString kind;
    int code = 0;
    QString channel;
    qint64 ts = 0;
    QString processKey;
    QString summary;
    QByteArray data; // the record as imported (every field the source wrote)
};

// A host the store knows, with its recorded addresses.
struct ChainEndpoint
{
    qint64 id = 0;
    QString key;  // endpoint_key: how importers name a host (lowercase short name)
    QString host; // may be empty when an alert named the endpoint before its logs came
    QString ips;  // as stored: comma or space separated
};

// Which events to read: endpoints (empty = every endpoint), event codes, a closed time window
// (from = to = 0: all time) and an optional case-insensitive prefix of the summary.
struct ChainEventFilter
{
    QList<qint64> endpointIds;
    QList<int> codes;
    qint64 from = 0;
    qint64 to = 0;
    QString summaryPrefix;
    int limit = 20000; // a bound so a noisy host cannot flood the chain
};

// Read-side SQL of the lateral-movement chain (analysis/investigation/lateralchain).
namespace chainq {

Result<std::vector<ChainEventRow>> events(const CaseStore &store, const ChainEventFilter &filter);
Result<std::vector<ChainEndpoint>> endpoints(const CaseStore &store);
// The remote addresses a case's alerts name (the sources of remote execution, XDR
// action_remote_ip); the case's endpoints are eventq::caseEndpointIds.
Result<QStringList> caseRemoteIps(const CaseStore &store, qint64 caseId);
// The endpoint of a host name (matched like the importers key it); 0 when unknown.
Result<qint64> endpointIdForHost(const CaseStore &store, const QString &host);

} // namespace chainq
} // namespace causa
