#pragma once

#include "playbook/playbookengine.h"

#include <QFutureWatcher>
#include <QThreadPool>
#include <QWidget>

#include <functional>
#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTextBrowser;
class QLineEdit;
class QTreeView;
class QTreeWidget;
class QVBoxLayout;

namespace causa {

class CaseStore;
class PlaybookStageModel;

// The playbook stepper: stages with their state, inputs and outputs; "Run stage" and "Run to
// next approval"; approval cards that say how each proposal came about; the pending-approvals
// queue of every case; the run's input settings. All work goes through the PlaybookEngine on a
// worker thread; results come back as immutable RunView values. Widgets never run SQL.
class PlaybookPanel final : public QWidget
{
    Q_OBJECT

public:
    PlaybookPanel(std::shared_ptr<CaseStore> store, QWidget *parent = nullptr);
    ~PlaybookPanel() override;
    void setCase(qint64 caseId);
    void setAnalyst(const QString &name) { m_analyst = name; }
    // Defaults for the inputs of a new run (NAME=VALUE, from the store's settings).
    void setInputDefaults(const QStringList &assignments);
    // The inputs a new run would start with (NAME=VALUE).
    QStringList inputAssignments() const;
    // The connector approved actions go through (none: they stay approved until one is set).
    void setConnectorFactory(std::function<std::shared_ptr<ActionConnector>()> factory);

    QPushButton *runStageButton() const { return m_runStage; }
    QPushButton *runAllButton() const { return m_runAll; }
    QTreeView *stageList() const { return m_stages; }
    PlaybookStageModel *stageModel() const { return m_stageModel; }
    QWidget *approvalCards() const { return m_cards; }
    bool busy() const;

    // Approve/reject an action card (the buttons call these).
    void decide(qint64 actionId, bool approve, const QString &note);

Q_SIGNALS:
    void viewUpdated(const QString &error);
    // A step, run or decision may have changed the case itself (verdict, severity, status).
    // Only after work, never after merely loading a run: listeners reload what they show without
    // looping back through setCase.
    void caseChanged(qint64 caseId);

private:
    struct Outcome
    {
        std::optional<RunView> view;
        std::vector<ActionRecord> pending;
        QString error;
        qint64 caseId = 0;
        bool changed = false; // the job ran engine work (not just loading the latest run)
    };
    using Job = std::function<Result<void>(PlaybookEngine &, qint64 &runId)>;
    void submit(Job job, bool changes = true);
    void show(const Outcome &o);
    void showStage();
    void rebuildCards();
    void updateWidgets();
    QString selectedStage() const;

    std::shared_ptr<CaseStore> m_store;
    std::function<std::shared_ptr<ActionConnector>()> m_connectors;
    QString m_analyst;
    qint64 m_caseId = 0;
    qint64 m_runId = 0;
    std::optional<RunView> m_view;
    std::vector<ActionRecord> m_pending;
    QThreadPool m_pool;
    QFutureWatcher<Outcome> m_watcher;

    QLabel *m_title;
    QTreeView *m_stages;
    PlaybookStageModel *m_stageModel;
    QTextBrowser *m_detail;
    QPushButton *m_runStage;
    QPushButton *m_runAll;
    QCheckBox *m_autoRemediation;
    QCheckBox *m_twoPerson;
    QSpinBox *m_highThreshold;
    QSpinBox *m_criticalThreshold;
    QSpinBox *m_minScore;
    QLineEdit *m_window;
    QComboBox *m_verdictRule;
    QWidget *m_cards;
    QVBoxLayout *m_cardsLayout;
    QTreeWidget *m_queue;
};

} // namespace causa
