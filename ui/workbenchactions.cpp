#include "workbenchactions.h"

#include "core/errorcodes.h"
#include "dialogs/exportdialog.h"
#include "dialogs/settingsdialog.h"
#include "mainwindow.h"
#include "messagebar.h"
#include "report/pdfreportwriter.h"
#include "savedviews.h"
#include "services/workbenchservice.h"
#include "store/storelocation.h"

#include <QAction>
#include <QApplication>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QProgressBar>
#include <QStatusBar>
#include <QThread>
#include <QToolButton>
#include <QUrl>

namespace causa {

WorkbenchActions::WorkbenchActions(MainWindow *window, WorkbenchService *service)
    : QObject(window), m_window(window), m_service(service)
{
    m_export = new ReportExportService(service->store(), this);
    // The report is read and composed on the export worker, but painted on the GUI thread: the
    // PDF's charts are QtCharts scenes, and QtCharts measures text through a process-wide
    // QTextDocument that belongs to the GUI thread (painting them on a worker crashed as soon as
    // the Timeline page had a chart on screen). The worker waits; the UI is busy only while painting.
    m_export->setPdfPainter(
        [](const ReportDocument &doc, const QString &path, bool letter) -> Result<int> {
            PdfReportOptions options;
            options.pageSize = letter ? QPageSize::Letter : QPageSize::A4;
            Result<int> out = makeError(errc::kExport, QStringLiteral("the PDF was not painted"));
            auto paint = [&] {
                auto r = PdfReportWriter(options).write(doc, path);
                out = r ? Result<int>(r->pages) : Result<int>(r.error());
            };
            if (QThread::currentThread() == qApp->thread())
                paint();
            else
                QMetaObject::invokeMethod(qApp, paint, Qt::BlockingQueuedConnection);
            return out;
        });
    m_exportStatus = new QLabel(window);
    m_exportStatus->setTextFormat(Qt::PlainText); // file names
    m_exportProgress = new QProgressBar(window);
    m_exportProgress->setMaximumWidth(160);
    m_exportProgress->setTextVisible(false);
    m_exportCancel = new QToolButton(window);
    m_exportCancel->setText(tr("Cancel export"));
    for (QWidget *w :
         std::initializer_list<QWidget *>{m_exportStatus, m_exportProgress, m_exportCancel}) {
        window->statusBar()->addPermanentWidget(w);
        w->hide();
    }
    connect(m_exportCancel, &QToolButton::clicked, m_export, &ReportExportService::cancel);
    connect(m_export, &ReportExportService::progress, this,
            [this](quint64 job, int step, int steps, const QString &what) {
                if (job != m_exportJob)
                    return;
                m_exportProgress->setRange(0, steps);
                m_exportProgress->setValue(step);
                m_exportStatus->setText(what);
            });
    connect(m_export, &ReportExportService::finished, this,
            [this](quint64 job, const ReportExportResult &r) {
                if (job != m_exportJob)
                    return;
                updateWidgets();
                const QString name = QDir::toNativeSeparators(r.path);
                const QString text =
                    r.format == ReportFormat::Pdf
                        ? (r.pages == 1 ? tr("Saved %1 (1 page).").arg(name)
                                        : tr("Saved %1 (%2 pages).").arg(name).arg(r.pages))
                        : tr("Saved %1 (%2).").arg(name, QLocale().formattedDataSize(r.bytes));
                const QString folder = QFileInfo(r.path).absolutePath();
                m_window->messageBar()->showMessage(
                    MessageBar::Kind::Info, text, tr("Open folder"),
                    [folder] { QDesktopServices::openUrl(QUrl::fromLocalFile(folder)); });
                Q_EMIT exportFinished(r);
            });
    connect(m_export, &ReportExportService::failed, this,
            [this](quint64 job, const QString &message) {
                if (job != m_exportJob)
                    return;
                updateWidgets();
                m_window->messageBar()->showMessage(
                    MessageBar::Kind::Error, tr("The report was not exported: %1").arg(message));
                Q_EMIT exportFailed(message);
            });
    connect(window, &MainWindow::caseDetailLoaded, this, [this](const CaseDetail &d) {
        m_case = d;
        updateWidgets();
    });
    connect(service, &WorkbenchService::caseUpdated, this, [this](const CaseSummary &c) {
        if (m_case && m_case->summary.id == c.id)
            m_case->summary = c; // the export dialog offers the case's current marking and title
    });
    connect(service, &WorkbenchService::settingsLoaded, this, [this](const WorkbenchSettings &s) {
        m_settings = s;
        Q_EMIT settingsChanged(m_settings);
    });
    connect(service, &WorkbenchService::settingsSaved, this,
            [this](const WorkbenchSettings &s, const QString &error) {
                if (!error.isEmpty()) {
                    m_window->messageBar()->showMessage(
                        MessageBar::Kind::Error, tr("Settings were not saved: %1").arg(error));
                    return;
                }
                m_settings = s;
                m_window->statusBar()->showMessage(tr("Settings saved"), 4000);
                Q_EMIT settingsChanged(m_settings);
            });
    service->loadSettings();
}

WorkbenchActions::~WorkbenchActions() = default;

void WorkbenchActions::addFileActions(QMenu *file)
{
    QAction *openFile = file->addAction(tr("Open store &file…"), this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(m_window, tr("Open or create a case store"),
                                         QFileInfo(m_service->storeName()).absolutePath(),
                                         tr("Case stores (*.sqlite *.db);;All files (*)"), nullptr,
                                         QFileDialog::DontConfirmOverwrite);
        if (!path.isEmpty())
            requestStore(path);
    });
    openFile->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    file->addAction(tr("Connect to &team store…"), this, [this] {
        bool ok = false;
        const QString url = QInputDialog::getText(
            m_window, tr("Team store"),
            tr("PostgreSQL URL (the password comes from PGPASSWORD or is asked for):"),
            QLineEdit::Normal, QStringLiteral("postgresql://analyst@localhost:5432/causa"), &ok);
        if (ok && !url.trimmed().isEmpty())
            requestStore(url.trimmed());
    });
    m_recent = file->addMenu(tr("&Recent stores"));
    connect(m_recent, &QMenu::aboutToShow, this, &WorkbenchActions::rebuildRecent);
    rebuildRecent();
    file->addSeparator();
    QMenu *exports = file->addMenu(tr("&Export"));
    const std::pair<ReportFormat, QKeySequence> formats[] = {
        {ReportFormat::Pdf, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E)},
        {ReportFormat::Html, {}},
        {ReportFormat::Json, {}},
        {ReportFormat::Csv, {}},
        {ReportFormat::Stix, {}}};
    for (const auto &[format, keys] : formats) {
        const ReportFormat f = format;
        QAction *a = exports->addAction(tr("%1…").arg(reportFormatName(f)), this,
                                        [this, f] { exportReport(f); });
        a->setShortcut(keys);
        a->setStatusTip(tr("Export the open case as %1").arg(reportFormatName(f)));
        m_exportActions[f] = a;
    }
    updateWidgets();
}

void WorkbenchActions::addToolsActions(QMenu *tools)
{
    m_settingsAction = tools->addAction(tr("&Settings…"), this, &WorkbenchActions::showSettings);
    m_settingsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_settingsAction->setMenuRole(QAction::PreferencesRole);
}

QAction *WorkbenchActions::exportAction(ReportFormat format) const
{
    auto it = m_exportActions.find(format);
    return it == m_exportActions.end() ? nullptr : it->second;
}

void WorkbenchActions::rebuildRecent()
{
    m_recent->clear();
    const QString current = m_service->storeName();
    for (const QString &loc : recentstores::load()) {
        QAction *a = m_recent->addAction(loc, this, [this, loc] { requestStore(loc); });
        a->setEnabled(loc != current);
    }
    if (m_recent->isEmpty())
        m_recent->addAction(tr("No recent stores"))->setEnabled(false);
}

void WorkbenchActions::requestStore(const QString &location)
{
    auto parsed = StoreLocation::parse(location);
    if (!parsed) {
        m_window->messageBar()->showMessage(MessageBar::Kind::Error, parsed.error().toString());
        return;
    }
    Q_EMIT openStoreRequested(location);
}

void WorkbenchActions::exportReport(ReportFormat format)
{
    if (!m_case || m_case->summary.id != m_window->currentCaseId() || m_export->running())
        return;
    ExportDialog dialog(m_case->summary.id, m_case->summary.title, format, m_case->summary.tlp,
                        m_settings.reportTlp, m_settings.reportPap, m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_exportJob = m_export->exportReport(dialog.request());
    m_exportProgress->setRange(0, 0);
    m_exportStatus->setText(tr("Exporting %1…").arg(reportFormatName(dialog.request().format)));
    updateWidgets();
}

void WorkbenchActions::showSettings()
{
    SettingsDialog dialog(m_settings, m_window);
    dialog.setTenantsHandler(m_tenants);
    if (dialog.exec() != QDialog::Accepted)
        return;
    dialog.applyUserSettings();
    if (auto keys = dialog.applyApiKeys(); !keys)
        m_window->messageBar()->showMessage(MessageBar::Kind::Error, keys.error().message);
    const WorkbenchSettings edited = dialog.storeSettings();
    if (edited == m_settings)
        Q_EMIT settingsChanged(m_settings); // per-user values (analyst name) may have changed
    else
        m_service->saveSettings(edited);
}

void WorkbenchActions::updateWidgets()
{
    const bool running = m_export->running();
    const bool haveCase = m_case.has_value() && m_window->currentCaseId() > 0;
    for (auto &[format, action] : m_exportActions)
        action->setEnabled(haveCase && !running);
    for (QWidget *w :
         std::initializer_list<QWidget *>{m_exportStatus, m_exportProgress, m_exportCancel})
        w->setVisible(running);
}

} // namespace causa
