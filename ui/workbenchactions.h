#pragma once

#include "playbook/workbenchsettings.h"
#include "services/casedetail.h"
#include "services/reportexportservice.h"

#include <QObject>

#include <functional>
#include <map>
#include <optional>

class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QToolButton;

namespace causa {

class MainWindow;
class WorkbenchService;

// The window's store, export and settings commands, kept out of MainWindow so pages and menus
// added by other areas merge without touching each other: File → Open store / Recent stores /
// Export, Tools → Settings. Exports run on the ReportExportService's thread with progress in the
// status bar and the result in the message bar.
class WorkbenchActions final : public QObject
{
    Q_OBJECT

public:
    WorkbenchActions(MainWindow *window, WorkbenchService *service);
    ~WorkbenchActions() override;

    void addFileActions(QMenu *file);
    void addToolsActions(QMenu *tools);

    const WorkbenchSettings &settings() const { return m_settings; }
    QAction *exportAction(ReportFormat format) const;
    QAction *settingsAction() const { return m_settingsAction; }
    ReportExportService *exportService() const { return m_export; }
    // Opens the export dialog for the open case with format preselected.
    void exportReport(ReportFormat format);
    void showSettings();
    // What "XDR tenants…" in the settings dialog opens (the tenants dialog, when built).
    void setTenantsHandler(std::function<void(QWidget *)> handler)
    {
        m_tenants = std::move(handler);
    }

Q_SIGNALS:
    // The analyst chose another store (a file path or a postgresql:// URL).
    void openStoreRequested(const QString &location);
    void settingsChanged(const causa::WorkbenchSettings &settings);
    void exportFinished(const causa::ReportExportResult &result);
    void exportFailed(const QString &message);

private:
    void rebuildRecent();
    void requestStore(const QString &location);
    void updateWidgets();

    MainWindow *m_window;
    WorkbenchService *m_service;
    ReportExportService *m_export;
    WorkbenchSettings m_settings;
    std::optional<CaseDetail> m_case;
    std::map<ReportFormat, QAction *> m_exportActions;
    QAction *m_settingsAction = nullptr;
    QMenu *m_recent = nullptr;
    QLabel *m_exportStatus;
    QProgressBar *m_exportProgress;
    QToolButton *m_exportCancel;
    quint64 m_exportJob = 0;
    std::function<void(QWidget *)> m_tenants;
};

} // namespace causa
