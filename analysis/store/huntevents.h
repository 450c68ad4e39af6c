#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>

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

namespace eventq {

// Streams the events of these endpoints, by endpoint and time, to `fn` (all stored events
// when `endpointIds` is empty and `everyEndpoint` is set); stops early when fn returns false.
// Returns how many rows were read.
Result<qint64> forEachEvent(CaseStore &store, const QList<qint64> &endpointIds, bool everyEndpoint,
                            const std::function<bool(const StoredEventRow &)> &fn);

} // namespace eventq
} // namespace causa
