#pragma once

#include "store/auditlog.h"
#include "store/evidencestore.h"
#include "store/timelinequeries.h"

#include <QObject>

#include <atomic>
#include <memory>
#include <vector>

namespace causa {

class CaseStore;
class WorkbenchService;

// What the timeline should show: a case's hosts over all time, or one host in a window
// (a pivot ±N minutes around an alert, process or event).
struct TimelineRequest
{
    qint64 caseId = 0;
    QString host;    // empty = the case's endpoints
    qint64 from = 0; // epoch ms; from = to = 0 = every event of the endpoints
    qint64 to = 0;
};

// The chart's data: per-bucket counts, alert markers and the window they cover.
struct TimelineOverview
{
    quint64 generation = 0;
    TimelineRequest request;
    QList<qint64> endpointIds;
    QStringList hosts;
    qint64 from = 0;
    qint64 to = 0;
    qint64 bucketMs = 60000;
    std::vector<TimelineBucket> buckets;
    std::vector<TimelineAlert> alerts;
    qint64 total = 0; // events in the window, all kinds
};

// The timeline, audit and evidence pages' door to the store. Jobs run on the workbench service's
// reader pool and single writer thread; results come back as values; stale ones are dropped.
class CasePagesService final : public QObject
{
    Q_OBJECT

public:
    explicit CasePagesService(WorkbenchService *workbench, QObject *parent = nullptr);

    // Overview for the chart; a newer call makes older results stale.
    quint64 loadTimeline(const TimelineRequest &request);
    // Table: count + first page, then pages on demand (same generation).
    quint64 loadEvents(const TimelineScope &scope, int pageSize = 200);
    void loadEventPage(quint64 generation, const TimelineScope &scope, qint64 offset,
                       int pageSize = 200);

    // Looks an event up by id (jump from the evidence page); answers with eventFound.
    void findEvent(qint64 eventId);
    void loadAudit(qint64 caseId);
    void verifyAudit(qint64 caseId);
    void loadEvidence(qint64 caseId);
    void tagEvidence(qint64 caseId, const QString &kind, const QString &ref, const QString &label,
                     const QString &comment, const QString &actor);
    void untagEvidence(qint64 caseId, qint64 evidenceId, const QString &actor);

Q_SIGNALS:
    void timelineLoaded(const causa::TimelineOverview &overview);
    void eventsLoaded(quint64 generation, qint64 total,
                      const std::vector<causa::TimelineEvent> &firstPage);
    void eventPageLoaded(quint64 generation, qint64 offset,
                         const std::vector<causa::TimelineEvent> &rows);
    void eventFound(const causa::TimelineEvent &event);
    void auditLoaded(qint64 caseId, const std::vector<causa::AuditEntry> &entries);
    void auditVerified(qint64 caseId, const causa::AuditVerification &result);
    void evidenceLoaded(qint64 caseId, const std::vector<causa::EvidenceItem> &items);
    void evidenceTagged(qint64 caseId, const causa::EvidenceItem &item, bool created);
    void errorOccurred(const QString &message);

private:
    WorkbenchService *m_workbench;
    std::shared_ptr<CaseStore> m_store;
    std::atomic<quint64> m_timelineGeneration{0};
    // Shared with jobs so a queued count can see it is stale before it starts.
    std::shared_ptr<std::atomic<quint64>> m_eventsGeneration =
        std::make_shared<std::atomic<quint64>>(0);
};

} // namespace causa

Q_DECLARE_METATYPE(causa::TimelineOverview)
Q_DECLARE_METATYPE(std::vector<causa::TimelineEvent>)
Q_DECLARE_METATYPE(causa::TimelineEvent)
Q_DECLARE_METATYPE(std::vector<causa::AuditEntry>)
Q_DECLARE_METATYPE(causa::AuditVerification)
Q_DECLARE_METATYPE(std::vector<causa::EvidenceItem>)
Q_DECLARE_METATYPE(causa::EvidenceItem)
