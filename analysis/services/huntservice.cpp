#include "huntservice.h"

#include "sigma/hunt.h"
#include "sigma/teamrules.h"
#include "store/eventqueries.h"
#include "store/settingsstore.h"
#include "store/timelinequeries.h"
#include "workbenchservice.h"

#include <QPointer>

namespace causa {

namespace {

HuntPageResult hunt(CaseStore &store, qint64 caseId, bool allHosts,
                    const std::function<bool()> &stale)
{
    HuntPageResult out;
    out.caseId = caseId;
    out.allHosts = allHosts;
    auto values = settingsstore::values(store, sigma::kSigmaPathsSetting);
    if (!values) {
        out.error = values.error().toString();
        return out;
    }
    if (const auto it = values->find(sigma::kSigmaPathsSetting); it != values->end())
        out.ruleFolders = sigma::splitRuleFolders(it->second);
    const std::shared_ptr<const sigma::RuleSet> rules = sigma::teamRuleSet(out.ruleFolders);
    out.rules = rules->rules();
    sigma::HuntScope scope;
    scope.cancelled = stale;
    if (!allHosts) {
        if (caseId <= 0) {
            out.error = QStringLiteral("select a case, or hunt over every host");
            return out;
        }
        scope.caseId = caseId;
        auto endpoints = eventq::caseEndpointIds(store, caseId);
        auto names = endpoints ? timelineq::hostNames(store, endpoints.value())
                               : Result<QStringList>(endpoints.error());
        if (names)
            out.hosts = names.value();
    }
    auto report = sigma::huntStore(store, *rules, scope);
    if (!report) {
        out.error = report.error().toString();
        return out;
    }
    out.rulesLoaded = report->rulesLoaded;
    out.skipped = std::move(report->skipped);
    out.eventsScanned = report->eventsScanned;
    out.eventsUnreadable = report->eventsUnreadable;
    out.alertsScanned = report->alertsScanned;
    out.hits.reserve(report->matches.size());
    for (sigma::SigmaMatch &m : report->matches) {
        if (stale())
            break;
        HuntPageHit hit;
        if (m.source == sigma::MatchSource::Alert) {
            hit.kind = QStringLiteral("xdr_alert");
            hit.summary = m.alertName;
        } else if (auto e = timelineq::eventById(store, m.eventId); e && e->id != 0) {
            hit.kind = e->kind;
            hit.summary = e->summary;
            hit.processKey = e->processKey;
            hit.image = e->image;
            hit.pid = e->pid;
        }
        hit.match = std::move(m);
        out.hits.push_back(std::move(hit));
    }
    return out;
}

} // namespace

HuntService::HuntService(WorkbenchService *workbench, QObject *parent)
    : QObject(parent), m_workbench(workbench), m_store(workbench->store())
{
    qRegisterMetaType<causa::HuntPageResult>();
}

HuntService::~HuntService()
{
    cancel();
}

quint64 HuntService::run(qint64 caseId, bool allHosts)
{
    const quint64 generation = ++*m_generation;
    QPointer<HuntService> self(this);
    auto store = m_store;
    auto current = m_generation;
    ++m_running;
    m_workbench->postRead([self, store, current, generation, caseId, allHosts] {
        const auto stale = [current, generation] { return current->load() != generation; };
        HuntPageResult result = hunt(*store, caseId, allHosts, stale);
        result.generation = generation;
        QMetaObject::invokeMethod(self, [self, generation, result = std::move(result)] {
            if (!self)
                return;
            --self->m_running;
            if (generation == self->m_generation->load())
                Q_EMIT self->huntFinished(result);
        });
    });
    return generation;
}

void HuntService::cancel()
{
    ++*m_generation;
}

} // namespace causa
