#pragma once

#include "sigma/sigmatypes.h"

#include <QMetaType>
#include <QObject>

#include <atomic>
#include <memory>
#include <vector>

namespace causa {

class CaseStore;
class WorkbenchService;

// One Sigma match with what the Hunt page shows of its event (kind, summary, the process it
// belongs to), read from the store beside the match; for an XDR alert hit, kind "xdr_alert"
// and the alert's name as the summary.
struct HuntPageHit
{
    sigma::SigmaMatch match;
    QString kind;       // process_create, service_install, …
    QString summary;    // the timeline's one-line summary of the event
    QString processKey; // empty when the event has no process
    QString image;
    qint64 pid = -1;
};

// What the Hunt page shows: the team's rule set over the events of a case's hosts or of every
// host in the store. An immutable value, handed from the reader pool to the page.
struct HuntPageResult
{
    quint64 generation = 0;
    qint64 caseId = 0;
    bool allHosts = false;
    QStringList hosts;       // the hosts hunted over (empty with allHosts)
    QStringList ruleFolders; // the team's folders from hunt.sigma_paths (the pack comes first)
    int rulesLoaded = 0;
    std::vector<sigma::RuleInfo> rules;
    std::vector<sigma::SkippedRule> skipped;
    std::vector<HuntPageHit> hits; // by host, time, rule
    qint64 eventsScanned = 0;
    qint64 eventsUnreadable = 0;
    // the case's (or every) stored XDR alert, matched as a process creation
    qint64 alertsScanned = 0;
    QString error; // the hunt could not run (store error); the rest is empty then
};

// The Hunt page's door to the store: runs the team's Sigma rules (the project's pack plus the
// store's hunt.sigma_paths folders) with the same engine as causa-cli hunt and stage 4c, on the
// workbench's reader pool. A newer run makes older ones stale: they stop at the next event and
// their results are dropped.
class HuntService final : public QObject
{
    Q_OBJECT

public:
    explicit HuntService(WorkbenchService *workbench, QObject *parent = nullptr);
    ~HuntService() override;

    // Hunts the case's hosts, or every host in the store; returns the run's generation.
    quint64 run(qint64 caseId, bool allHosts);
    // Drops the running hunt (its result never arrives).
    void cancel();
    bool busy() const { return m_running.load() > 0; }

Q_SIGNALS:
    void huntFinished(const causa::HuntPageResult &result);

private:
    WorkbenchService *m_workbench;
    std::shared_ptr<CaseStore> m_store;
    // Shared with jobs so a running hunt sees it became stale.
    std::shared_ptr<std::atomic<quint64>> m_generation = std::make_shared<std::atomic<quint64>>(0);
    std::atomic<int> m_running{0};
};

} // namespace causa

Q_DECLARE_METATYPE(causa::HuntPageResult)
