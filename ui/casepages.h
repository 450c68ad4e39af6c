#pragma once

#include "services/casedetail.h"
#include "store/evidencestore.h"

#include <QObject>
#include <QPointer>

#include <memory>

class QAbstractItemView;
class QAction;
class QWidget;

namespace causa {

class AuditPanel;
class ChainPanel;
class ChainService;
class CasePagesService;
class EvidencePanel;
class HuntPanel;
class HuntService;
class MainWindow;
class TimelinePanel;
class WorkbenchService;
struct ScopedForest;
struct Note;

// What the analyst has selected on the current case page, as an evidence target and pivot point.
struct PageSelection
{
    QString kind; // alert, process, event, indicator, command_line, note; empty = nothing
    QString ref;
    QString label;
    QString host; // for pivots; empty when the item has no host/time
    qint64 ts = 0;
    bool canPivot() const { return !host.isEmpty() && ts > 0; }
};

// Registers the Timeline, Evidence and Audit pages on the main window in one place, and adds
// "Tag as evidence…" and "Pivot ±N min" to the pages' context menus, a Case menu and so the
// command palette. Owned by the window.
class CasePages final : public QObject
{
    Q_OBJECT

public:
    CasePages(MainWindow *window, WorkbenchService *workbench);
    ~CasePages() override;

    CasePagesService *service() const { return m_service; }
    TimelinePanel *timeline() const { return m_timeline; }
    EvidencePanel *evidence() const { return m_evidence; }
    AuditPanel *audit() const { return m_audit; }
    ChainPanel *chain() const { return m_chain; }
    HuntPanel *hunt() const { return m_hunt; }
    // Opens a process of a chain hop in the Process tree page: in the case's tree when it is
    // there, else in its host's own tree (the source host is often outside the case).
    void openProcess(const QString &host, const QString &processKey);
    QAction *tagAction() const { return m_tag; }
    QAction *pivotAction() const { return m_pivot; }

    // Opens an event on the Timeline page (looked up by id, selected once shown).
    void openEvent(qint64 eventId);
    // The selection of the current page (or of `page` when given).
    PageSelection selection(QWidget *page = nullptr) const;
    // Tags without asking (tests, scripted use); tagSelection() asks for an optional comment.
    void tag(const PageSelection &s, const QString &comment);
    void tagSelection();
    bool pivotSelection();
    void jumpTo(const EvidenceItem &item);
    // Reloads evidence and audit (the playbook tags evidence and appends audit entries).
    void refresh();

private:
    void installContextMenu(QAbstractItemView *view);
    void installContextMenu(QWidget *widget);
    void onCaseSelected(qint64 caseId);
    bool selectProcess(const QString &processKey);
    bool selectAlert(qint64 alertId);

    MainWindow *m_window;
    WorkbenchService *m_workbench;
    CasePagesService *m_service;
    TimelinePanel *m_timeline;
    EvidencePanel *m_evidence;
    AuditPanel *m_audit;
    ChainService *m_chainService;
    ChainPanel *m_chain;
    HuntService *m_huntService;
    HuntPanel *m_hunt;
    QAction *m_tag;
    QAction *m_pivot;
    CaseDetail m_detail;
    std::shared_ptr<const ScopedForest> m_forest;
    std::vector<Note> m_notes;
    qint64 m_caseId = 0;
    qint64 m_pendingEventJump = 0;
    // A process the analyst asked for before the case's own tree arrived: that tree opens on the
    // alert's process, so the request is applied again when it comes.
    QString m_pendingProcessHost;
    QString m_pendingProcessKey;
};

} // namespace causa
