#include "mainwindow.h"

#include "dialogs/decisiondialog.h"
#include "dialogs/importproblemsdialog.h"
#include "dialogs/patternsdialog.h"

#include "casequeuemodel.h"
#include "commandpalette.h"
#include "dialogs/xdrdialogs.h"
#include "messagebar.h"
#include "panels/caseoverviewpanel.h"
#include "panels/casequeuepanel.h"
#include "panels/commandlinepanel.h"
#include "panels/enrichmentpanel.h"
#include "panels/notespanel.h"
#include "panels/processtreepanel.h"
#include "services/workbenchservice.h"
#include "theme.h"
#include "workbenchactions.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMimeData>
#include <QProgressBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace causa {

namespace {

// QSettings key of the queue/pages split, as QSplitter::saveState() writes it.
constexpr const char *kQueueSplitKey = "window/queueSplit";

} // namespace

MainWindow::MainWindow(WorkbenchService *service, QWidget *parent)
    : QMainWindow(parent), m_service(service)
{
    setWindowTitle(tr("Causa — %1").arg(service->storeName()));
    setAcceptDrops(true);
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(8, 6, 8, 4);
    m_messages = new MessageBar(central);
    layout->addWidget(m_messages);
    auto *split = new QSplitter(Qt::Horizontal, central);
    m_queue = new CaseQueuePanel(m_service, split);
    m_pages = new QTabWidget(split);
    m_pages->setDocumentMode(true);
    m_overview = new CaseOverviewPanel(m_pages);
    m_overview->clear();
    m_pages->addTab(m_overview, tr("Overview"));
    m_commandLines = new CommandLinePanel(m_pages);
    m_commandLines->setAnalysisRunner(
        [service](const QString &line) { return service->analyzeCommandLine(line); });
    m_pages->addTab(m_commandLines, tr("Command lines"));
    connect(this, &MainWindow::caseDetailLoaded, m_commandLines, &CommandLinePanel::setDetail);
    m_tree = new ProcessTreePanel(m_pages);
    m_pages->addTab(m_tree, tr("Process tree"));
    connect(m_service, &WorkbenchService::forestLoaded, this,
            [this](qint64 caseId, std::shared_ptr<const ScopedForest> forest) {
                if (caseId == m_currentCase)
                    m_tree->setForest(std::move(forest));
            });
    m_enrichment = new EnrichmentPanel(m_pages);
    m_pages->addTab(m_enrichment, tr("Enrichment"));
    connect(m_enrichment, &EnrichmentPanel::markIndicatorRequested, this,
            [this](qint64 id, const QString &value) { askMarking(id, value); });
    connect(m_enrichment, &EnrichmentPanel::enrichRequested, this,
            [this](bool offline) { m_service->enrich(m_currentCase, offline); });
    connect(m_enrichment, &EnrichmentPanel::manualVerdictRequested, this,
            [this](qint64 indicatorId, int score, const QString &reason) {
                m_service->setManualVerdict(m_currentCase, indicatorId, score, reason,
                                            analystName());
            });
    connect(m_service, &WorkbenchService::enrichmentLoaded, this,
            [this](qint64 caseId, const EnrichmentReport &report,
                   const std::vector<OutboundRequest> &preview) {
                if (caseId != m_currentCase)
                    return;
                m_enrichment->setReport(report);
                m_enrichment->setPreview(preview);
            });
    m_notes = new NotesPanel(m_service, m_pages);
    m_notes->setAnalyst(analystName());
    split->addWidget(m_queue);
    split->addWidget(m_pages);
    // The case's pages get most of the width: their tables (findings with ATT&CK ids, the
    // playbook's stages) need it more than the queue's title column, which elides.
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    split->setSizes({540, 860});
    // Where the analyst last dragged the split comes back with the next window (a value that is
    // not a splitter's state leaves the default).
    split->setObjectName(QStringLiteral("queueSplitter"));
    split->restoreState(QSettings().value(QLatin1String(kQueueSplitKey)).toByteArray());
    connect(split, &QSplitter::splitterMoved, this,
            [split] { QSettings().setValue(QLatin1String(kQueueSplitKey), split->saveState()); });
    layout->addWidget(split, 1);
    setCentralWidget(central);

    m_status = new QLabel(this);
    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(220);
    m_progress->setTextVisible(false);
    m_progress->hide();
    m_cancel = new QToolButton(this);
    m_cancel->setText(tr("Cancel"));
    m_cancel->hide();
    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    buildMenus();

    connect(m_cancel, &QToolButton::clicked, m_service, &WorkbenchService::cancelImport);
    connect(m_queue, &CaseQueuePanel::queueLoaded, this, &MainWindow::onQueueLoaded);
    connect(m_service, &WorkbenchService::caseLoaded, this, [this](const CaseDetail &d) {
        m_overview->setDetail(d);
        Q_EMIT caseDetailLoaded(d);
    });
    connect(m_service, &WorkbenchService::caseUpdated, m_overview, &CaseOverviewPanel::setSummary);
    // A playbook run enriches (stage 3) and may add indicators: the Enrichment page follows.
    connect(m_service, &WorkbenchService::caseUpdated, this, [this](const CaseSummary &c) {
        if (c.id == m_currentCase)
            m_service->loadEnrichment(c.id);
    });
    connect(m_service, &WorkbenchService::errorOccurred, this,
            [this](const QString &msg) { m_messages->showMessage(MessageBar::Kind::Error, msg); });
    connect(m_queue, &CaseQueuePanel::caseSelected, this, [this](qint64 id) {
        m_currentCase = id;
        m_service->loadCase(id);
        m_notes->setCase(id);
        m_service->loadEnrichment(id);
        m_service->loadForest(id);
    });
    connect(m_service, &WorkbenchService::importProgress, this,
            [this](const QString &file, qint64 done, qint64 total) {
                m_progress->setRange(0, 1000);
                m_progress->setValue(total > 0 ? int(done * 1000 / total) : 0);
                m_status->setText(tr("Importing %1…").arg(QFileInfo(file).fileName()));
            });
    connect(m_service, &WorkbenchService::importFinished, this,
            [this](const QString &, const ImportCounts &c) { m_importedAlerts += int(c.alerts); });
    connect(m_service, &WorkbenchService::importFailed, this,
            [this](const QString &, const QString &message) { m_importErrors << message; });
    connect(m_service, &WorkbenchService::importWarning, this, [this](const QString &problem) {
        if (m_importProblems.size() < 10000) // a hostile file cannot fill the memory with warnings
            m_importProblems << problem;
    });
    connect(m_service, &WorkbenchService::allImportsFinished, this, &MainWindow::onImportFinished);
    m_status->setText(tr("Store: %1").arg(m_service->storeName()));
    m_queue->reload();
    // Notes come last so panels added by addCasePage sit between Overview and Notes.
    m_pages->addTab(m_notes, tr("Notes"));
}

QString MainWindow::analystName() const
{
    const QString name = QSettings().value(QStringLiteral("analyst/name")).toString();
    return name.isEmpty() ? qEnvironmentVariable("USER", QStringLiteral("analyst")) : name;
}

QList<QAction *> MainWindow::commands() const
{
    QList<QAction *> out;
    for (QAction *menu : menuBar()->actions()) {
        if (!menu->menu())
            continue;
        for (QAction *a : menu->menu()->actions()) {
            if (a->menu()) {
                out += a->menu()->actions();
            } else if (!a->isSeparator()) {
                out << a;
            }
        }
    }
    return out;
}

void MainWindow::showCommandPalette()
{
    auto *palette = new CommandPalette(commands(), this);
    palette->setAttribute(Qt::WA_DeleteOnClose);
    palette->move(mapToGlobal(QPoint((width() - palette->width()) / 2, 60)));
    palette->show();
    palette->input()->setFocus();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *import = file->addAction(tr("&Import…"), this, [this] {
        const QStringList files = QFileDialog::getOpenFileNames(
            this, tr("Import into the case store"), QString(),
            tr("Causa inputs (*.json *.jsonl *.ndjson *.evtx *.csv *.txt);;All files (*)"));
        if (!files.isEmpty())
            importFiles(files);
    });
    import->setShortcut(QKeySequence::Open);
    file->addAction(tr("Load the &sample case"), this,
                    [this] { importFiles(WorkbenchService::sampleFiles()); });
    file->addAction(tr("Import &problems…"), this, &MainWindow::showImportProblems);
    file->addAction(tr("&Mark case TLP / PAP…"), this, [this] { askMarking(); });
    file->addAction(tr("Pull from &XDR…"), this, [this] {
        openXdrPullDialog(this, m_service->store(), [this](qint64, const QString &summary) {
            statusBar()->showMessage(summary, 8000);
            m_queue->reload();
        });
    });
    file->addSeparator();
    m_actions = new WorkbenchActions(this, m_service);
    m_actions->setTenantsHandler(
        [this](QWidget *parent) { openXdrTenantsDialog(parent, m_service->store()); });
    connect(m_actions, &WorkbenchActions::settingsChanged, this,
            [this] { m_notes->setAnalyst(analystName()); });
    m_actions->addFileActions(file);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *find = view->addAction(tr("&Filter cases"), this, [this] {
        m_queue->filterEdit()->setFocus();
        m_queue->filterEdit()->selectAll();
    });
    find->setShortcut(QKeySequence::Find);
    QAction *reload = view->addAction(tr("&Reload"), this, [this] { m_queue->reload(); });
    reload->setShortcut(QKeySequence::Refresh);
    view->addSeparator();
    for (int i = 0; i < 9; ++i) {
        QAction *page = view->addAction(tr("Case page %1").arg(i + 1), this, [this, i] {
            if (i < m_pages->count())
                m_pages->setCurrentIndex(i);
        });
        page->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)));
    }
    view->addSeparator();
    QMenu *themes = view->addMenu(tr("&Theme"));
    m_themeGroup = new QActionGroup(this);
    for (Theme t : {Theme::System, Theme::Light, Theme::Dark}) {
        const QString label = t == Theme::System  ? tr("Follow the system")
                              : t == Theme::Light ? tr("Light")
                                                  : tr("Dark");
        QAction *a = themes->addAction(tr("Theme: %1").arg(label), this, [t] {
            QSettings().setValue(QStringLiteral("ui/theme"), themeName(t));
            applyTheme(t);
        });
        a->setCheckable(true);
        a->setData(themeName(t));
        m_themeGroup->addAction(a);
    }
    // The theme is also chosen in Settings (and by other windows): the marks follow the saved choice.
    connect(themes, &QMenu::aboutToShow, this, &MainWindow::syncThemeActions);
    connect(m_actions, &WorkbenchActions::settingsChanged, this, &MainWindow::syncThemeActions);
    syncThemeActions();

    QMenu *tools = menuBar()->addMenu(tr("&Tools"));
    QAction *palette =
        tools->addAction(tr("Command palette…"), this, &MainWindow::showCommandPalette);
    palette->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    tools->addAction(tr("XDR &tenants…"), this,
                     [this] { openXdrTenantsDialog(this, m_service->store()); });
    tools->addAction(tr("&Patterns and allowlist…"), this, [this] {
        PatternsDialog dialog(m_service, analystName(), this);
        dialog.exec();
    });
    m_actions->addToolsActions(tools);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *sheet = help->addAction(tr("Keyboard shortcuts"), this, [this] {
        ShortcutSheet sheet(commands(), this);
        sheet.exec();
    });
    sheet->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Slash));
}

void MainWindow::syncThemeActions()
{
    const QString current =
        themeName(themeFromString(QSettings().value(QStringLiteral("ui/theme")).toString()));
    for (QAction *a : m_themeGroup->actions())
        a->setChecked(a->data().toString() == current);
}

QList<QAction *> MainWindow::themeActions() const
{
    return m_themeGroup->actions();
}

void MainWindow::addCasePage(QWidget *page, const QString &title)
{
    m_pages->addTab(page, title);
}

void MainWindow::importFiles(const QStringList &paths)
{
    if (paths.isEmpty())
        return;
    m_importErrors.clear();
    m_importProblems.clear();
    m_importedAlerts = 0;
    m_progress->setRange(0, 0);
    m_progress->show();
    m_cancel->show();
    m_status->setText(tr("Importing %n file(s)…", nullptr, int(paths.size())));
    m_service->importFiles(paths);
}

void MainWindow::askMarking(qint64 indicatorId, const QString &value)
{
    if (m_currentCase <= 0)
        return;
    DecisionDialog dialog(
        indicatorId > 0 ? tr("Mark indicator") : tr("Mark case"),
        indicatorId > 0
            ? tr("TLP / PAP of %1. RED never leaves this machine (no online lookup).").arg(value)
            : tr("TLP / PAP of case %1: the default of every report and export; RED keeps "
                 "all of its indicators away from online providers.")
                  .arg(m_currentCase),
        this);
    QList<std::pair<QString, QString>> levels;
    for (const QString &t : kTlpLevels)
        levels.push_back({QStringLiteral("TLP:") + t, t});
    dialog.setChoices(tr("TLP"), levels, QStringLiteral("AMBER"));
    dialog.setValueField(tr("PAP (CLEAR, GREEN, AMBER, RED; empty = unchanged)"), QString(), false);
    dialog.setReasonLabel(tr("Note (optional):"), false);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (indicatorId > 0)
        m_service->markIndicator(m_currentCase, indicatorId, dialog.choice(), dialog.value(),
                                 analystName());
    else
        m_service->markCase(m_currentCase, dialog.choice(), dialog.value(), analystName());
}

void MainWindow::showImportProblems()
{
    ImportProblemsDialog dialog(m_importProblems, this);
    dialog.exec();
}

void MainWindow::onImportFinished()
{
    m_progress->hide();
    m_cancel->hide();
    m_status->setText(tr("Store: %1").arg(m_service->storeName()));
    if (!m_importErrors.isEmpty())
        m_messages->showMessage(MessageBar::Kind::Error,
                                tr("Some files were not imported (nothing of them was stored):\n%1")
                                    .arg(m_importErrors.join(QLatin1Char('\n'))));
    else if (!m_importProblems.isEmpty())
        m_messages->showMessage(
            MessageBar::Kind::Warning,
            tr("Import finished with %n problem line(s); the good records were kept.", nullptr,
               int(m_importProblems.size())),
            tr("Show problems"), [this] { showImportProblems(); });
    else
        statusBar()->showMessage(tr("Import finished: %n new alert(s)", nullptr, m_importedAlerts),
                                 8000);
    // The "store is empty" offer is stale once something was imported.
    if (m_importErrors.isEmpty() && m_importedAlerts > 0 &&
        m_messages->text().startsWith(tr("The case store is empty")))
        m_messages->hide();
    m_queue->reload();
}

void MainWindow::onQueueLoaded(qint64 total)
{
    if (total == 0 && m_queue->filter().text.trimmed().isEmpty() && !m_offeredSample &&
        !m_service->importRunning()) {
        m_offeredSample = true;
        m_messages->showMessage(
            MessageBar::Kind::Info,
            tr("The case store is empty. Load the bundled sample case (a PsExec-like "
               "LOLBin incident on FIN-WS-042) to look around, or drop XDR exports here."),
            tr("Load sample case"), [this] { importFiles(WorkbenchService::sampleFiles()); });
    }
    if (m_queue->currentCaseId() == 0 && total > 0)
        m_queue->view()->setCurrentIndex(m_queue->model()->index(0, 0));
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    QStringList files;
    for (const QUrl &url : event->mimeData()->urls())
        if (url.isLocalFile())
            files << url.toLocalFile();
    importFiles(files);
}

} // namespace causa
