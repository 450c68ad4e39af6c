#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>
#include <vector>

namespace causa {

class CaseStore;

// One stored event as a hunt reads it: its row id, time, host and the raw JSON it was
// imported from (events.data).
struct StoredEventRow
{
    qint64 id = 0;
    qint64 ts = 0;
    qint64 endpointId = 0;
    QString host;
    QString channel;
    int eventCode = 0;
    QByteArray data;
};

// One process a stored alert names, in the role it plays there ("causality", "actor",
// "os_actor", "action": processRoleName()).
struct StoredAlertProcess
{
    QString role;
    QString key; // processes.process_key: one process may play several roles
    QString imageName;
    QString imagePath;
    QString commandLine;
    QString user;
    QString md5;
    QString sha1;
    QString sha256;
    qint64 pid = -1;
};

// One stored alert as a hunt reads it: its row id, the source's alert id, time, host, user and
// the processes it names (from alerts, alert_processes and processes, not from its raw JSON).
struct StoredAlertRow
{
    qint64 id = 0;
    QString alertId; // the source's id ("31337")
    QString name;
    qint64 ts = 0; // detected_at
    QString host;
    QString user;
    std::vector<StoredAlertProcess> processes;

    const StoredAlertProcess *process(const QString &role) const;
};

namespace eventq {

// Streams the events of these endpoints, by endpoint and time, to `fn` (all stored events
// when `endpointIds` is empty and `everyEndpoint` is set); stops early when fn returns false.
// Returns how many rows were read.
Result<qint64> forEachEvent(CaseStore &store, const QList<qint64> &endpointIds, bool everyEndpoint,
                            const std::function<bool(const StoredEventRow &)> &fn);

// Streams the alerts of a case (caseId > 0), else of these endpoints (every stored alert when
// `endpointIds` is empty and `everyEndpoint` is set), by host, time and id, to `fn`; stops
// early when fn returns false. Returns how many alerts were read.
Result<qint64> forEachAlert(CaseStore &store, qint64 caseId, const QList<qint64> &endpointIds,
                            bool everyEndpoint,
                            const std::function<bool(const StoredAlertRow &)> &fn);

} // namespace eventq
} // namespace causa
