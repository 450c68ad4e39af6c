#pragma once

#include "core/result.h"
#include "core/severity.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

namespace causa {

class CaseStore;

// Which events the timeline shows: some endpoints, a closed time window, optional kinds and text.
struct TimelineScope
{
    QList<qint64> endpointIds;
    qint64 from = 0;    // epoch ms, inclusive; 0 with to = 0 means "all time"
    qint64 to = 0;      // epoch ms, inclusive
    QStringList groups; // kind groups (kindGroups()); empty = every kind
    QString text;       // case-insensitive substring of the summary or process image
};

// Event counts of one raw kind in one time bucket.
struct TimelineBucket
{
    qint64 start = 0; // epoch ms of the bucket's start
    QString kind;
    qint64 count = 0;
};

// One event row of the timeline table.
struct TimelineEvent
{
    qint64 id = 0;
    qint64 ts = 0;
    QString host;
    QString kind;
    int eventCode = 0;
    QString processKey;
    QString image;
    qint64 pid = -1;
    QString summary;
};

// An alert drawn as a marker on the chart.
struct TimelineAlert
{
    qint64 id = 0;
    qint64 caseId = 0;
    qint64 ts = 0;
    QString name;
    QString host;
    Severity severity = Severity::Unknown;
};

// Read-side SQL of the host timeline. Counting is done per bucket in SQL so a host with millions
// of events costs one indexed range scan, never a row per event in memory.
namespace timelineq {

// First and last event time on the endpoints; {0, 0} when there are none.
Result<std::pair<qint64, qint64>> eventSpan(CaseStore &store, const QList<qint64> &endpointIds);
// Counts per (bucket, kind) over the scope's window; kinds/text of the scope are ignored.
Result<std::vector<TimelineBucket>> buckets(CaseStore &store, const TimelineScope &scope,
                                            qint64 bucketMs);
Result<qint64> countEvents(CaseStore &store, const TimelineScope &scope);
// A page of events ordered by time then id.
Result<std::vector<TimelineEvent>> events(CaseStore &store, const TimelineScope &scope,
                                          qint64 offset, int limit);
// One event by id (for "jump to" from the evidence page); id 0 when it no longer exists.
Result<TimelineEvent> eventById(CaseStore &store, qint64 eventId);
Result<std::vector<TimelineAlert>> alerts(CaseStore &store, const QList<qint64> &endpointIds,
                                          qint64 from, qint64 to);
// Host names of endpoints, in id order.
Result<QStringList> hostNames(CaseStore &store, const QList<qint64> &endpointIds);

// Groups a raw event kind for the chart: process, network, file, registry, service, pipe, logon, other.
QString kindGroup(const QString &rawKind);
QStringList kindGroups();
// A readable bucket width for a span: ≤ maxBuckets buckets of 1 s, 5 s, … 1 min, 5 min … 1 day.
qint64 bucketWidthFor(qint64 spanMs, int maxBuckets = 240);

} // namespace timelineq
} // namespace causa
