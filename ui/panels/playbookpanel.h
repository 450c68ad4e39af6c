#pragma once

#include "services/playbookservice.h"

#include <QWidget>

#include <functional>
#include <memory>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTextBrowser;
class QToolButton;
class QLineEdit;
class QTreeView;
class QTreeWidget;
class QVBoxLayout;

namespace causa {

class PlaybookStageModel;

// The Playbook page, where the analyst works a case end to end: the stages with their state and
// why; each stage's outputs as tables and badges (raw JSON one click away); run, step, re-run,
// skip and override with a reason; approval cards; the remediation checklist; the proposed
// resolution with Close and Reopen; the pending approvals of every case. Loading a case only
// reads: a run starts when the analyst asks. All work goes through PlaybookService.
class PlaybookPanel final : public QWidget
{
    Q_OBJECT

public:
    PlaybookPanel(PlaybookService *service, QWidget *parent = nullptr);
    ~PlaybookPanel() override;
    void setCase(qint64 caseId);
    void setAnalyst(const QString &name) { m_analyst = name; }
    // Defaults for the inputs of a new run (NAME=VALUE, from the store's settings).
    void setInputDefaults(const QStringList &assignments);
    // The inputs a new run would start with (NAME=VALUE).
    QStringList inputAssignments() const;

    // The commands behind the buttons (the buttons ask for reasons, then call these).
    void runAll();
    void step();
    void rerunStage(const QString &stageId);
    void skipStage(const QString &stageId, const QString &reason);
    void overrideOutput(const QString &stageId, const QString &key, const nlohmann::json &value,
                        const QString &reason);
    void startNewRun();
    void decide(qint64 actionId, bool approve, const QString &note);
    void tickChecklist(int index, bool done, const QString &note);
    void closeCase(const QString &resolution, const QString &note);
    void reopenCase(const QString &reason);
    void proposeAction(const QString &kind, const QString &target, const QString &reason);

    QPushButton *runStageButton() const { return m_step; }
    QPushButton *runAllButton() const { return m_runAll; }
    QPushButton *rerunButton() const { return m_rerun; }
    QPushButton *skipButton() const { return m_skip; }
    QPushButton *overrideButton() const { return m_override; }
    QPushButton *newRunButton() const { return m_newRun; }
    QPushButton *closeButton() const { return m_close; }
    QPushButton *reopenButton() const { return m_reopen; }
    QListWidget *checklist() const { return m_checklist; }
    QTreeWidget *approvalQueue() const { return m_queue; }
    QTextBrowser *stageDetail() const { return m_detail; }
    // "Inputs for a new run": folded to one line of values until the analyst opens it.
    QToolButton *inputsToggle() const { return m_inputsToggle; }
    QLabel *inputsSummary() const { return m_inputsSummary; }
    QGroupBox *inputsForm() const { return m_inputs; }
    QLabel *titleLabel() const { return m_title; }
    QTreeView *stageList() const { return m_stages; }
    PlaybookStageModel *stageModel() const { return m_stageModel; }
    QWidget *approvalCards() const { return m_cards; }
    const std::optional<RunView> &runView() const { return m_view; }
    bool busy() const;

Q_SIGNALS:
    void viewUpdated(const QString &error);
    // A command may have changed the case itself (verdict, severity, status). Only after work,
    // never after merely loading: listeners reload what they show without looping back.
    void caseChanged(qint64 caseId);
    // A link in a stage's outputs: "cmdline" (index), "host" (name), "indicator" (value).
    void navigateRequested(const QString &page, const QString &ref);

protected:
    // A theme switch re-renders the stage pane (its links carry the palette's link colour).
    void changeEvent(QEvent *event) override;

private:
    QWidget *buildLeft(QWidget *parent);
    QWidget *buildRight(QWidget *parent);
    void submit(PlaybookService::Command command, bool startRun = true);
    void show(const PlaybookSnapshot &s);
    void showStage();
    void rebuildCards();
    void rebuildChecklist();
    void updateWidgets();
    void updateInputsSummary();
    void onLink(const QUrl &url);
    void askSkip();
    void askOverride();
    void askClose();
    void askReopen();
    QString selectedStage() const;
    const StageStateRecord *stageRecord(const QString &stageId) const;

    PlaybookService *m_service;
    QString m_analyst;
    qint64 m_caseId = 0;
    quint64 m_generation = 0;
    bool m_raw = false;
    std::optional<RunView> m_view;
    CaseSummary m_case;
    std::vector<ActionRecord> m_pending;

    QLabel *m_title;
    QLabel *m_status;
    QTreeView *m_stages;
    PlaybookStageModel *m_stageModel;
    QTextBrowser *m_detail = nullptr;
    QPushButton *m_runAll;
    QPushButton *m_step;
    QPushButton *m_rerun;
    QPushButton *m_skip;
    QPushButton *m_override;
    QPushButton *m_newRun;
    QToolButton *m_inputsToggle;
    QLabel *m_inputsSummary;
    QGroupBox *m_inputs;
    QCheckBox *m_autoRemediation;
    QCheckBox *m_twoPerson;
    QSpinBox *m_highThreshold;
    QSpinBox *m_criticalThreshold;
    QSpinBox *m_minScore;
    QLineEdit *m_window;
    QComboBox *m_verdictRule;
    QGroupBox *m_decision;
    QLabel *m_proposal;
    QPushButton *m_close;
    QPushButton *m_reopen;
    QListWidget *m_checklist;
    QWidget *m_cards;
    QVBoxLayout *m_cardsLayout = nullptr;
    QTreeWidget *m_queue;
};

} // namespace causa
