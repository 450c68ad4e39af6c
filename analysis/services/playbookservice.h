#pragma once

#include "playbook/playbookengine.h"
#include "store/storetypes.h"

#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace causa {

class WorkbenchService;

// What the Playbook page shows after a load or a command: the case's latest run (none until the
// analyst starts one), every case's pending approvals and the outcome of the command.
struct PlaybookSnapshot
{
    quint64 generation = 0;
    qint64 caseId = 0;
    std::optional<RunView> view;
    std::vector<ActionRecord> pending;
    CaseSummary caseSummary;
    QString error;
    bool changed = false; // a command ran (the case may have changed), not only a load
};

// The Playbook page's door to the engine. load() only reads, on the workbench's reader pool, so
// opening a case writes nothing; commands run one at a time on a thread of their own (a stage may
// wait on an online provider or a connector, and imports must not wait behind it). Results come
// back as values with their request's generation; results for a case no longer shown are stale.
class PlaybookService final : public QObject
{
    Q_OBJECT

public:
    // engine, the latest run of the case (0 when none); returns what the command decided.
    using Command = std::function<Result<void>(PlaybookEngine &engine, qint64 runId)>;

    explicit PlaybookService(WorkbenchService *workbench, QObject *parent = nullptr);
    ~PlaybookService() override;

    void setConnectorFactory(std::function<std::shared_ptr<ActionConnector>()> factory);
    // Team defaults applied before a new run's own inputs (NAME=VALUE).
    void setInputDefaults(const QStringList &assignments) { m_inputDefaults = assignments; }

    quint64 load(qint64 caseId);
    // Runs the command; with startRun, a run is started first when the case has none or its
    // latest one is completed (newRunInputs are its inputs).
    quint64 submit(qint64 caseId, Command command, bool startRun, const QStringList &newRunInputs,
                   const QString &analyst);
    // Starts a new run with these inputs whatever the latest run's state.
    quint64 startNewRun(qint64 caseId, const QStringList &inputs, const QString &analyst);
    bool busy() const { return m_running.load() > 0; }

Q_SIGNALS:
    void snapshotReady(const causa::PlaybookSnapshot &snapshot);

private:
    quint64 post(qint64 caseId, bool write, std::function<Result<qint64>(PlaybookEngine &)> work);

    WorkbenchService *m_workbench;
    std::shared_ptr<CaseStore> m_store;
    std::function<std::shared_ptr<ActionConnector>()> m_connectors;
    QStringList m_inputDefaults;
    QThreadPool m_commands;
    std::atomic<quint64> m_generation{0};
    std::atomic<int> m_running{0};
};

} // namespace causa

Q_DECLARE_METATYPE(causa::PlaybookSnapshot)
