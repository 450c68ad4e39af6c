#include "casepagesservice.h"

#include "store/casestore.h"
#include "store/eventqueries.h"
#include "workbenchservice.h"

#include <QPointer>

namespace causa {

CasePagesService::CasePagesService(WorkbenchService *workbench, QObject *parent)
    : QObject(parent), m_workbench(workbench), m_store(workbench->store())
{
    qRegisterMetaType<causa::TimelineOverview>();
    qRegisterMetaType<std::vector<causa::TimelineEvent>>();
    qRegisterMetaType<causa::TimelineEvent>();
    qRegisterMetaType<std::vector<causa::AuditEntry>>();
    qRegisterMetaType<causa::AuditVerification>();
    qRegisterMetaType<std::vector<causa::EvidenceItem>>();
    qRegisterMetaType<causa::EvidenceItem>();
}

namespace {

Result<TimelineOverview> overviewOf(CaseStore &store, const TimelineRequest &request)
{
    TimelineOverview o;
    o.request = request;
    if (!request.host.isEmpty()) {
        auto id = eventq::endpointIdForHost(store, request.host);
        if (!id)
            return id.error();
        if (id.value() != 0)
            o.endpointIds << id.value();
    } else {
        auto ids = eventq::caseEndpointIds(store, request.caseId);
        if (!ids)
            return ids.error();
        o.endpointIds = ids.value();
    }
    auto hosts = timelineq::hostNames(store, o.endpointIds);
    if (!hosts)
        return hosts.error();
    o.hosts = hosts.value();
    o.from = request.from;
    o.to = request.to;
    if (o.from == 0 && o.to == 0) {
        auto span = timelineq::eventSpan(store, o.endpointIds);
        if (!span)
            return span.error();
        o.from = span.value().first;
        o.to = span.value().second;
        auto all = timelineq::alerts(store, o.endpointIds, 0, 0);
        if (!all)
            return all.error();
        for (const TimelineAlert &a : all.value()) {
            if (a.ts <= 0)
                continue;
            o.from = o.from == 0 ? a.ts : std::min(o.from, a.ts);
            o.to = std::max(o.to, a.ts);
        }
        // Pad so the first and last event are not glued to the chart's edges.
        const qint64 pad = std::max<qint64>((o.to - o.from) / 50, 1000);
        if (o.from != 0 || o.to != 0) {
            o.from -= pad;
            o.to += pad;
        }
    }
    o.bucketMs = timelineq::bucketWidthFor(o.to - o.from);
    // Buckets align to whole multiples of their width so the axis reads 12:05, 12:06…
    o.from -= o.from % o.bucketMs;
    TimelineScope scope;
    scope.endpointIds = o.endpointIds;
    scope.from = o.from;
    scope.to = o.to;
    auto buckets = timelineq::buckets(store, scope, o.bucketMs);
    if (!buckets)
        return buckets.error();
    o.buckets = std::move(buckets.value());
    for (const TimelineBucket &b : o.buckets)
        o.total += b.count;
    auto alerts = timelineq::alerts(store, o.endpointIds, o.from, o.to);
    if (!alerts)
        return alerts.error();
    o.alerts = std::move(alerts.value());
    return o;
}

} // namespace

quint64 CasePagesService::loadTimeline(const TimelineRequest &request)
{
    const quint64 generation = ++m_timelineGeneration;
    QPointer<CasePagesService> self(this);
    auto store = m_store;
    m_workbench->postRead([self, store, request, generation] {
        auto o = overviewOf(*store, request);
        QMetaObject::invokeMethod(self, [self, generation, o = std::move(o)]() mutable {
            if (!self || generation != self->m_timelineGeneration)
                return;
            if (!o) {
                Q_EMIT self->errorOccurred(o.error().toString());
                return;
            }
            o.value().generation = generation;
            Q_EMIT self->timelineLoaded(o.value());
        });
    });
    return generation;
}

quint64 CasePagesService::loadEvents(const TimelineScope &scope, int pageSize)
{
    const quint64 generation = ++*m_eventsGeneration;
    QPointer<CasePagesService> self(this);
    auto store = m_store;
    auto current = m_eventsGeneration;
    m_workbench->postRead([self, store, scope, pageSize, generation, current] {
        // A newer filter may already be waiting: skip the work, not just the result.
        if (generation != current->load())
            return;
        auto total = timelineq::countEvents(*store, scope);
        auto rows = total ? timelineq::events(*store, scope, 0, pageSize)
                          : Result<std::vector<TimelineEvent>>(total.error());
        QMetaObject::invokeMethod(
            self, [self, generation, total = std::move(total), rows = std::move(rows)] {
                if (!self || generation != *self->m_eventsGeneration)
                    return;
                if (!total || !rows)
                    Q_EMIT self->errorOccurred(!total ? total.error().toString()
                                                      : rows.error().toString());
                else
                    Q_EMIT self->eventsLoaded(generation, total.value(), rows.value());
            });
    });
    return generation;
}

void CasePagesService::loadEventPage(quint64 generation, const TimelineScope &scope, qint64 offset,
                                     int pageSize)
{
    QPointer<CasePagesService> self(this);
    auto store = m_store;
    m_workbench->postRead([self, store, scope, offset, pageSize, generation] {
        auto rows = timelineq::events(*store, scope, offset, pageSize);
        QMetaObject::invokeMethod(self, [self, generation, offset, rows = std::move(rows)] {
            if (!self || generation != *self->m_eventsGeneration)
                return;
            if (!rows)
                Q_EMIT self->errorOccurred(rows.error().toString());
            else
                Q_EMIT self->eventPageLoaded(generation, offset, rows.value());
        });
    });
}

void CasePagesService::findEvent(qint64 eventId)
{
    QPointer<CasePagesService> self(this);
    auto store = m_store;
    m_workbench->postRead([self, store, eventId] {
        auto event = timelineq::eventById(*store, eventId);
        QMetaObject::invokeMethod(self, [self, eventId, event = std::move(event)] {
            if (!self)
                return;
            if (!event)
                Q_EMIT self->errorOccurred(event.error().toString());
            else if (event.value().id == 0)
                Q_EMIT self->errorOccurred(tr("Event %1 is no longer in the store").arg(eventId));
            else
                Q_EMIT self->eventFound(event.value());
        });
    });
}

void CasePagesService::loadAudit(qint64 caseId)
{
    QPointer<CasePagesService> self(this);
    auto store = m_store;
    m_workbench->postRead([self, store, caseId] {
        auto conn = store->connection();
        auto entries = conn ? audit::entries(conn.value(), caseId)
                            : Result<std::vector<AuditEntry>>(conn.error());
        QMetaObject::invokeMethod(self, [self, caseId, entries = std::move(entries)] {
            if (!self)
                return;
            if (!entries)
                Q_EMIT self->errorOccurred(entries.error().toString());
            else
                Q_EMIT self->auditLoaded(caseId, entries.value());
        });
    });
}

void CasePagesService::verifyAudit(qint64 caseId)
{
    QPointer<CasePagesService> self(this);
    auto store = m_store;
    m_workbench->postRead([self, store, caseId] {
        // Entries and verdict from one read, so the page shows the rows the verdict is about.
        auto conn = store->connection();
        auto entries = conn ? audit::entries(conn.value(), caseId)
                            : Result<std::vector<AuditEntry>>(conn.error());
        auto result =
            conn ? audit::verify(conn.value(), caseId) : Result<AuditVerification>(conn.error());
        QMetaObject::invokeMethod(
            self, [self, caseId, entries = std::move(entries), result = std::move(result)] {
                if (!self)
                    return;
                if (!entries || !result) {
                    Q_EMIT self->errorOccurred(!entries ? entries.error().toString()
                                                        : result.error().toString());
                    return;
                }
                Q_EMIT self->auditLoaded(caseId, entries.value());
                Q_EMIT self->auditVerified(caseId, result.value());
            });
    });
}

void CasePagesService::loadEvidence(qint64 caseId)
{
    QPointer<CasePagesService> self(this);
    auto store = m_store;
    m_workbench->postRead([self, store, caseId] {
        auto items = evidencestore::items(*store, caseId);
        QMetaObject::invokeMethod(self, [self, caseId, items = std::move(items)] {
            if (!self)
                return;
            if (!items)
                Q_EMIT self->errorOccurred(items.error().toString());
            else
                Q_EMIT self->evidenceLoaded(caseId, items.value());
        });
    });
}

void CasePagesService::tagEvidence(qint64 caseId, const QString &kind, const QString &ref,
                                   const QString &label, const QString &comment,
                                   const QString &actor)
{
    QPointer<CasePagesService> self(this);
    auto store = m_store;
    m_workbench->postWrite([self, store, caseId, kind, ref, label, comment, actor] {
        bool created = false;
        auto item = evidencestore::tag(*store, caseId, kind, ref, label, comment, actor, &created);
        QMetaObject::invokeMethod(self, [self, caseId, created, item = std::move(item)] {
            if (!self)
                return;
            if (!item) {
                Q_EMIT self->errorOccurred(item.error().toString());
                return;
            }
            Q_EMIT self->evidenceTagged(caseId, item.value(), created);
            self->loadEvidence(caseId);
            self->loadAudit(caseId);
        });
    });
}

void CasePagesService::untagEvidence(qint64 caseId, qint64 evidenceId, const QString &actor)
{
    QPointer<CasePagesService> self(this);
    auto store = m_store;
    m_workbench->postWrite([self, store, caseId, evidenceId, actor] {
        auto r = evidencestore::untag(*store, evidenceId, actor);
        QMetaObject::invokeMethod(self,
                                  [self, caseId, error = r ? QString() : r.error().toString()] {
                                      if (!self)
                                          return;
                                      if (!error.isEmpty())
                                          Q_EMIT self->errorOccurred(error);
                                      self->loadEvidence(caseId);
                                      self->loadAudit(caseId);
                                  });
    });
}

} // namespace causa
