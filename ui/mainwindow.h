#pragma once

#include "services/casedetail.h"

#include <QMainWindow>

#include <memory>

class QActionGroup;
class QLabel;
class QProgressBar;
class QTabWidget;
class QToolButton;

namespace causa {

class CaseOverviewPanel;
class CaseQueuePanel;
class MessageBar;
class NotesPanel;
class EnrichmentPanel;
class ProcessTreePanel;
class CommandLinePanel;
class WorkbenchActions;
class WorkbenchService;

// The workbench window: case queue on the left, the selected case's pages on the right.
// Pages are separate panel classes; this class only wires them to the service.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(WorkbenchService *service, QWidget *parent = nullptr);
    ~MainWindow() override;

    CaseQueuePanel *queuePanel() const { return m_queue; }
    CaseOverviewPanel *overviewPanel() const { return m_overview; }
    ProcessTreePanel *processTreePanel() const { return m_tree; }
    EnrichmentPanel *enrichmentPanel() const { return m_enrichment; }
    // Asks for TLP/PAP (case or one indicator) and has the service store it.
    void askMarking(qint64 indicatorId = 0, const QString &value = {});
    MessageBar *messageBar() const { return m_messages; }
    WorkbenchService *service() const { return m_service; }
    // File → Open store / Recent stores / Export and Tools → Settings (ui/workbenchactions).
    WorkbenchActions *workbenchActions() const { return m_actions; }
    QTabWidget *casePages() const { return m_pages; }
    // Adds a page to the case view (process tree, command line, enrichment, playbook…).
    void addCasePage(QWidget *page, const QString &title);
    qint64 currentCaseId() const { return m_currentCase; }
    QString analystName() const;
    // Every command of the window (menus, palette, shortcut sheet).
    QList<QAction *> commands() const;
    void showCommandPalette();
    // View → Theme: System, Light, Dark (checked = the saved choice).
    QList<QAction *> themeActions() const;

    void importFiles(const QStringList &paths);
    // What the last imports reported line by line ("file:line: reason"), and the dialog with them.
    const QStringList &importProblems() const { return m_importProblems; }
    void showImportProblems();

Q_SIGNALS:
    void caseDetailLoaded(const causa::CaseDetail &detail);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void buildMenus();
    void onQueueLoaded(qint64 total);
    void onImportFinished();
    void syncThemeActions();

    WorkbenchService *m_service;
    CaseQueuePanel *m_queue;
    CaseOverviewPanel *m_overview;
    NotesPanel *m_notes;
    EnrichmentPanel *m_enrichment;
    ProcessTreePanel *m_tree;
    CommandLinePanel *m_commandLines;
    QTabWidget *m_pages;
    MessageBar *m_messages;
    QLabel *m_status;
    QProgressBar *m_progress;
    QToolButton *m_cancel;
    WorkbenchActions *m_actions = nullptr;
    QActionGroup *m_themeGroup = nullptr;
    qint64 m_currentCase = 0;
    bool m_offeredSample = false;
    QStringList m_importErrors;
    QStringList m_importProblems;
    int m_importedAlerts = 0;
};

} // namespace causa
