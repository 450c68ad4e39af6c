#pragma once

#include "store/storetypes.h"

#include <QWidget>

class QAction;
class QComboBox;
class QLineEdit;
class QToolButton;
class QLabel;
class QTableView;
class QTimer;

namespace causa {

class CaseQueueModel;
class WorkbenchService;

// The case queue: cases paged from the store as the view scrolls; sorting and full-text
// filtering run in the store, so a million alerts stay fluid.
class CaseQueuePanel final : public QWidget
{
    Q_OBJECT

public:
    explicit CaseQueuePanel(WorkbenchService *service, QWidget *parent = nullptr);
    void reload();
    void selectCase(qint64 caseId);
    qint64 currentCaseId() const;
    QLineEdit *filterEdit() const { return m_filterEdit; }
    QTableView *view() const { return m_view; }
    CaseQueueModel *model() const { return m_model; }
    const CaseFilter &filter() const { return m_filter; }
    // "Assign to me", "Assign to…", "Unassign" on the current case (also its context menu).
    QAction *assignToMeAction() const { return m_assignToMe; }
    QAction *assignToAction() const { return m_assignTo; }
    QAction *unassignAction() const { return m_unassign; }
    // The analyst name used for "me" (Tools ▸ Set analyst name…, else $USER).
    static QString analystName();
    // Saved views (filter text + sort, per user): the combo lists them, Save stores the current one.
    QComboBox *viewCombo() const { return m_views; }
    void saveCurrentView(const QString &name);
    void applyView(const QString &name);

Q_SIGNALS:
    void caseSelected(qint64 caseId);
    // After each (re)load of the first page: how many cases match the current filter.
    void queueLoaded(qint64 total);

private:
    void updateCount();
    void updateAssignActions();
    // Asks the service to assign the current case; passes the row_version shown so a change by
    // another analyst meanwhile comes back as a conflict instead of being overwritten.
    void assignCurrent(const QString &assignee);
    void reloadViews();

    WorkbenchService *m_service;
    CaseQueueModel *m_model;
    CaseFilter m_filter;
    quint64 m_generation = 0;
    qint64 m_pendingSelection = 0;
    QLineEdit *m_filterEdit;
    QTimer *m_debounce;
    QLabel *m_count;
    QTableView *m_view;
    QAction *m_assignToMe;
    QAction *m_assignTo;
    QAction *m_unassign;
    QComboBox *m_views;
    QToolButton *m_saveView;
};

} // namespace causa
