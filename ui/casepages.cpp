#include "casepages.h"

#include "alerttablemodel.h"
#include "enrichmentmodel.h"
#include "forest/forestbuilder.h"
#include "mainwindow.h"
#include "modelformat.h"
#include "panels/auditpanel.h"
#include "panels/caseoverviewpanel.h"
#include "panels/casequeuepanel.h"
#include "panels/chainpanel.h"
#include "panels/commandlinepanel.h"
#include "panels/enrichmentpanel.h"
#include "panels/evidencepanel.h"
#include "panels/huntpanel.h"
#include "panels/processtreepanel.h"
#include "panels/timelinepanel.h"
#include "playbook/playbookdefinition.h"
#include "processtreemodel.h"
#include "services/casepagesservice.h"
#include "services/chainservice.h"
#include "services/huntservice.h"
#include "services/workbenchservice.h"
#include "timelineeventmodel.h"

#include <QAction>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QTreeView>

#include <utility>

namespace causa {

namespace {

// "Pivot ±N min" defaults to the playbook's RelatedAlertsWindow (SPEC §5: 2h).
int defaultPivotMinutes()
{
    auto def = PlaybookDefinition::load(QStringLiteral("remote-psexec-lolbin"));
    if (!def)
        return 120;
    const auto inputs = def.value().defaultInputs();
    const auto it = inputs.find("RelatedAlertsWindow");
    const qint64 ms = it != inputs.end() && it->is_string()
                          ? parseDurationMs(QString::fromStdString(it->get<std::string>()))
                          : -1;
    return ms > 0 ? int(std::max<qint64>(ms / 60000, 1)) : 120;
}

// Command lines can be megabytes: the evidence row keys them by hash (an index on PostgreSQL
// refuses rows over ~2.7 kB) and keeps a readable prefix as the label.
QString lineRef(const QString &line)
{
    return QStringLiteral("sha256:") +
           QString::fromLatin1(
               QCryptographicHash::hash(line.toUtf8(), QCryptographicHash::Sha256).toHex());
}

template<typename Panel>
Panel *pageOf(QTabWidget *pages)
{
    for (int i = 0; i < pages->count(); ++i)
        if (auto *p = qobject_cast<Panel *>(pages->widget(i)))
            return p;
    return nullptr;
}

} // namespace

CasePages::CasePages(MainWindow *window, WorkbenchService *workbench)
    : QObject(window), m_window(window), m_workbench(workbench)
{
    m_service = new CasePagesService(workbench, this);
    QTabWidget *pages = window->casePages();
    m_timeline = new TimelinePanel(m_service, pages);
    m_timeline->setPivotMinutes(defaultPivotMinutes());
    m_evidence = new EvidencePanel(m_service, pages);
    m_evidence->setAnalyst(window->analystName());
    m_audit = new AuditPanel(m_service, pages);
    window->addCasePage(m_timeline, tr("Timeline"));
    window->addCasePage(m_evidence, tr("Evidence"));
    window->addCasePage(m_audit, tr("Audit"));
    m_chainService = new ChainService(workbench, this);
    m_chain = new ChainPanel(m_chainService, pages);
    window->addCasePage(m_chain, tr("Lateral movement"));
    connect(m_chain, &ChainPanel::processRequested, this, &CasePages::openProcess);
    // The team's Sigma rules over the case's hosts; its hits navigate through the workbench.
    m_huntService = new HuntService(workbench, this);
    m_hunt = new HuntPanel(m_huntService, pages);
    window->addCasePage(m_hunt, tr("Hunt"));
    connect(m_chainService, &ChainService::errorOccurred, window,
            [window](const QString &message) { window->statusBar()->showMessage(message, 10000); });
    connect(
        m_chainService, &ChainService::hostForestLoaded, this,
        [this](const QString &host, const QString &key,
               std::shared_ptr<const ScopedForest> forest) {
            auto *tree = pageOf<ProcessTreePanel>(m_window->casePages());
            if (!tree)
                return;
            tree->setForest(std::move(forest));
            m_window->statusBar()->showMessage(
                selectProcess(key)
                    ? tr("Process tree of %1 (select the case again for its own tree)").arg(host)
                    : tr("That process is not in %1's process tree").arg(host),
                8000);
        });

    connect(window->queuePanel(), &CaseQueuePanel::caseSelected, this, &CasePages::onCaseSelected);
    connect(window, &MainWindow::caseDetailLoaded, this,
            [this](const CaseDetail &d) { m_detail = d; });
    connect(workbench, &WorkbenchService::forestLoaded, this,
            [this](qint64 caseId, std::shared_ptr<const ScopedForest> forest) {
                if (caseId != m_caseId)
                    return;
                m_forest = std::move(forest);
                // The window has just shown this tree (its connection comes first).
                if (!m_pendingProcessKey.isEmpty()) {
                    const QString host = std::exchange(m_pendingProcessHost, QString());
                    const QString key = std::exchange(m_pendingProcessKey, QString());
                    if (!selectProcess(key))
                        m_chainService->loadHostForest(host, key);
                }
            });
    connect(workbench, &WorkbenchService::notesLoaded, this,
            [this](qint64 caseId, const std::vector<Note> &notes) {
                if (caseId == m_caseId)
                    m_notes = notes;
            });
    connect(m_service, &CasePagesService::errorOccurred, window,
            [window](const QString &message) { window->statusBar()->showMessage(message, 10000); });
    connect(m_service, &CasePagesService::evidenceTagged, this,
            [this](qint64, const EvidenceItem &item, bool created) {
                m_window->statusBar()->showMessage(
                    created ? tr("Tagged as evidence: %1").arg(item.label.left(100))
                            : tr("Already tagged: %1").arg(item.label.left(100)),
                    6000);
            });
    connect(m_evidence, &EvidencePanel::jumpRequested, this, &CasePages::jumpTo);
    connect(m_service, &CasePagesService::eventFound, this, [this](const TimelineEvent &e) {
        if (e.id != m_pendingEventJump)
            return;
        m_window->casePages()->setCurrentWidget(m_timeline);
        m_timeline->selectEventWhenShown(e.id);
        m_timeline->pivot(e.host, e.ts);
    });
    connect(m_timeline, &TimelinePanel::alertActivated, this, [this](qint64 alertId) {
        jumpTo(EvidenceItem{
            0, m_caseId, QStringLiteral("alert"), QString::number(alertId), {}, {}, {}, 0});
    });

    // One Case menu: its actions reach the command palette and the shortcut sheet.
    QMenu *menu = new QMenu(tr("&Case"), window);
    window->menuBar()->insertMenu(window->menuBar()->actions().value(2), menu);
    m_tag = menu->addAction(tr("Tag selection as evidence…"), this, &CasePages::tagSelection);
    m_tag->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_pivot =
        menu->addAction(tr("Pivot ±N min around selection"), this, &CasePages::pivotSelection);
    m_pivot->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    menu->addSeparator();
    menu->addAction(tr("Verify audit chain"), this, [this] {
        m_window->casePages()->setCurrentWidget(m_audit);
        m_audit->verify();
    });
    menu->addAction(tr("Show timeline of the case"), this, [this] {
        m_window->casePages()->setCurrentWidget(m_timeline);
        m_timeline->setCase(m_caseId);
    });

    if (auto *overview = window->overviewPanel())
        installContextMenu(overview->alertView());
    if (auto *tree = pageOf<ProcessTreePanel>(pages))
        installContextMenu(tree->view());
    if (auto *enrichment = pageOf<EnrichmentPanel>(pages))
        installContextMenu(enrichment->view());
    if (auto *lines = pageOf<CommandLinePanel>(pages))
        installContextMenu(lines->lines());
    installContextMenu(m_timeline->view());
    for (int i = 0; i < pages->count(); ++i)
        if (auto *browser = pages->widget(i)->findChild<QTextBrowser *>())
            if (pages->tabText(i).contains(tr("Notes")))
                installContextMenu(static_cast<QWidget *>(browser));
}

CasePages::~CasePages() = default;

void CasePages::onCaseSelected(qint64 caseId)
{
    m_caseId = caseId;
    m_forest.reset();
    m_pendingProcessHost.clear();
    m_pendingProcessKey.clear();
    m_notes.clear();
    m_timeline->setCase(caseId);
    m_evidence->setCase(caseId);
    m_audit->setCase(caseId);
    m_chain->setCase(caseId);
    m_hunt->setCase(caseId);
}

bool CasePages::selectProcess(const QString &processKey)
{
    auto *tree = pageOf<ProcessTreePanel>(m_window->casePages());
    const ScopedForest *f = tree ? tree->model()->forest() : nullptr;
    const int node = f ? f->forest.indexOf(processKey) : -1;
    if (node < 0)
        return false;
    m_window->casePages()->setCurrentWidget(tree);
    const QModelIndex i = tree->model()->indexOfNode(node);
    tree->view()->setCurrentIndex(i);
    tree->view()->scrollTo(i);
    return true;
}

void CasePages::openProcess(const QString &host, const QString &processKey)
{
    if (!m_forest) {
        m_pendingProcessHost = host;
        m_pendingProcessKey = processKey;
    }
    if (!selectProcess(processKey))
        m_chainService->loadHostForest(host, processKey);
}

void CasePages::openEvent(qint64 eventId)
{
    m_pendingEventJump = eventId;
    m_service->findEvent(eventId);
}

void CasePages::refresh()
{
    if (m_caseId == 0)
        return;
    m_evidence->setCase(m_caseId);
    m_audit->setCase(m_caseId);
}

PageSelection CasePages::selection(QWidget *page) const
{
    QTabWidget *pages = m_window->casePages();
    if (!page)
        page = pages->currentWidget();
    PageSelection s;
    if (page == m_window->overviewPanel()) {
        const QModelIndex i = m_window->overviewPanel()->alertView()->currentIndex();
        const qint64 id = i.data(AlertTableModel::AlertIdRole).toLongLong();
        for (const StoredAlert &a : m_detail.alerts)
            if (i.isValid() && a.id == id) {
                s = {QStringLiteral("alert"), QString::number(a.id),
                     QStringLiteral("%1 · %2 · %3")
                         .arg(fmt::oneLine(a.alert.name, 120), a.alert.hostName,
                              fmt::dateTime(a.alert.detectedAt)),
                     a.alert.hostName, a.alert.detectedAt};
            }
    } else if (auto *tree = qobject_cast<ProcessTreePanel *>(page)) {
        if (const std::optional<ProcessNode> n =
                tree->model()->nodeAt(tree->view()->currentIndex()))
            s = {QStringLiteral("process"), n->key(),
                 QStringLiteral("%1 (PID %2) · %3 · %4")
                     .arg(n->imageName())
                     .arg(n->pid())
                     .arg(n->endpointKey(), fmt::dateTime(n->startedAt())),
                 n->endpointKey(), n->startedAt()};
    } else if (page == m_timeline) {
        if (const TimelineEvent *e = m_timeline->currentEvent())
            s = {QStringLiteral("event"), QString::number(e->id),
                 QStringLiteral("%1 · %2 · %3")
                     .arg(e->kind, fmt::oneLine(e->summary, 120), fmt::dateTime(e->ts)),
                 e->host, e->ts};
    } else if (auto *enrichment = qobject_cast<EnrichmentPanel *>(page)) {
        QModelIndex i = enrichment->view()->currentIndex();
        while (i.isValid() && i.data(EnrichmentModel::IsResultRole).toBool())
            i = i.parent(); // a provider row stands for its indicator
        if (i.isValid() && i.data(EnrichmentModel::IndicatorIdRole).toLongLong() > 0)
            s = {QStringLiteral("indicator"),
                 QString::number(i.data(EnrichmentModel::IndicatorIdRole).toLongLong()),
                 QStringLiteral("%1 %2").arg(i.data(EnrichmentModel::TypeRole).toString(),
                                             i.data(EnrichmentModel::ValueRole).toString()),
                 {},
                 0};
    } else if (auto *lines = qobject_cast<CommandLinePanel *>(page)) {
        if (QListWidgetItem *item = lines->lines()->currentItem()) {
            const QString line = item->data(Qt::UserRole).toString();
            if (!line.isEmpty())
                s = {QStringLiteral("command_line"), lineRef(line), fmt::oneLine(line, 160), {}, 0};
        }
    } else if (pages->indexOf(page) >= 0 &&
               pages->tabText(pages->indexOf(page)).contains(tr("Notes"))) {
        if (!m_notes.empty()) {
            // the newest note; the dialog lets the analyst pick another
            const Note &n = m_notes.back();
            s = {QStringLiteral("note"),
                 QString::number(n.id),
                 QStringLiteral("Note by %1 · %2: %3")
                     .arg(n.author, fmt::dateTime(n.createdAt), fmt::oneLine(n.body, 100)),
                 {},
                 0};
        }
    }
    return s;
}

void CasePages::tag(const PageSelection &s, const QString &comment)
{
    if (m_caseId == 0 || s.kind.isEmpty())
        return;
    m_service->tagEvidence(m_caseId, s.kind, s.ref, s.label, comment, m_window->analystName());
}

void CasePages::tagSelection()
{
    PageSelection s = selection();
    if (s.kind.isEmpty()) {
        m_window->statusBar()->showMessage(
            tr("Select an alert, process, event, indicator, command line or note first"), 6000);
        return;
    }
    QDialog dialog(m_window);
    dialog.setWindowTitle(tr("Tag as evidence"));
    auto *form = new QFormLayout(&dialog);
    QComboBox *notes = nullptr;
    if (s.kind == QLatin1String("note") && m_notes.size() > 1) {
        notes = new QComboBox(&dialog);
        for (auto it = m_notes.rbegin(); it != m_notes.rend(); ++it)
            notes->addItem(
                QStringLiteral("%1 · %2: %3")
                    .arg(it->author, fmt::dateTime(it->createdAt), fmt::oneLine(it->body, 80)),
                it->id);
        form->addRow(tr("Note:"), notes);
    } else {
        auto *item = new QLabel(s.label, &dialog);
        item->setTextFormat(Qt::PlainText); // labels carry imported text
        item->setWordWrap(true);
        item->setMinimumWidth(420);
        form->addRow(tr("Item:"), item);
    }
    auto *comment = new QPlainTextEdit(&dialog);
    comment->setPlaceholderText(tr("Why this matters (optional)"));
    comment->setTabChangesFocus(true);
    comment->setFixedHeight(comment->fontMetrics().lineSpacing() * 4 + 12);
    form->addRow(tr("Comment:"), comment);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Tag"));
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (notes) {
        const qint64 id = notes->currentData().toLongLong();
        for (const Note &n : m_notes)
            if (n.id == id)
                s = {QStringLiteral("note"),
                     QString::number(n.id),
                     QStringLiteral("Note by %1 · %2: %3")
                         .arg(n.author, fmt::dateTime(n.createdAt), fmt::oneLine(n.body, 100)),
                     {},
                     0};
    }
    tag(s, comment->toPlainText().trimmed());
}

bool CasePages::pivotSelection()
{
    const PageSelection s = selection();
    if (!s.canPivot()) {
        m_window->statusBar()->showMessage(tr("Select an alert, process or event to pivot around"),
                                           6000);
        return false;
    }
    m_window->casePages()->setCurrentWidget(m_timeline);
    m_timeline->pivot(s.host, s.ts);
    return true;
}

void CasePages::jumpTo(const EvidenceItem &item)
{
    QTabWidget *pages = m_window->casePages();
    if (item.kind == QLatin1String("alert") || item.kind == QLatin1String("verdict")) {
        pages->setCurrentWidget(m_window->overviewPanel());
        selectAlert(item.ref.toLongLong());
    } else if (item.kind == QLatin1String("process")) {
        auto *tree = pageOf<ProcessTreePanel>(pages);
        const ScopedForest *f = tree ? tree->model()->forest() : nullptr;
        if (!f)
            return;
        pages->setCurrentWidget(tree);
        // Any merged key of the process finds its node.
        if (const int n = f->forest.indexOf(item.ref); n >= 0) {
            const QModelIndex i = tree->model()->indexOfNode(n);
            tree->view()->setCurrentIndex(i);
            tree->view()->scrollTo(i);
        }
    } else if (item.kind == QLatin1String("event")) {
        m_pendingEventJump = item.ref.toLongLong();
        m_service->findEvent(m_pendingEventJump);
    } else if (item.kind == QLatin1String("indicator")) {
        if (auto *enrichment = pageOf<EnrichmentPanel>(pages)) {
            pages->setCurrentWidget(enrichment);
            enrichment->selectIndicator(item.ref.toLongLong());
        }
    } else if (item.kind == QLatin1String("command_line")) {
        if (auto *lines = pageOf<CommandLinePanel>(pages)) {
            pages->setCurrentWidget(lines);
            for (int row = 0; row < lines->lines()->count(); ++row)
                if (lineRef(lines->lines()->item(row)->data(Qt::UserRole).toString()) == item.ref) {
                    lines->lines()->setCurrentRow(row);
                    return;
                }
            m_window->statusBar()->showMessage(
                tr("That command line is not among this case's lines"), 6000);
        }
    } else if (item.kind == QLatin1String("note")) {
        for (int i = 0; i < pages->count(); ++i)
            if (pages->tabText(i).contains(tr("Notes")))
                pages->setCurrentIndex(i);
    } else if (item.kind == QLatin1String("hunt_hit") || item.kind == QLatin1String("sigma_hit")) {
        // "event:<id>:…" / "alert:<id>:…" / "process:<id>:…" (store/eventqueries.cpp), and a
        // Sigma match's "event:<id>:<rule>" / "alert:<id>:<rule>" (playbook stage 4c)
        const QStringList parts = item.ref.split(QLatin1Char(':'));
        const QString where = parts.value(0);
        const qint64 id = parts.value(1).toLongLong();
        if (where == QLatin1String("event") && id > 0) {
            m_pendingEventJump = id;
            m_service->findEvent(m_pendingEventJump);
        } else if (where == QLatin1String("alert") && selectAlert(id)) {
            pages->setCurrentWidget(m_window->overviewPanel());
        } else {
            m_window->statusBar()->showMessage(
                tr("This hit is in another case: %1").arg(item.detail.left(160)), 8000);
        }
    }
}

// Selects the case's alert with that row id on the Overview; false when the case has none.
bool CasePages::selectAlert(qint64 alertId)
{
    QTableView *view = m_window->overviewPanel()->alertView();
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        const QModelIndex i = view->model()->index(row, 0);
        if (i.data(AlertTableModel::AlertIdRole).toLongLong() == alertId) {
            view->setCurrentIndex(i);
            return true;
        }
    }
    return false;
}

void CasePages::installContextMenu(QAbstractItemView *view)
{
    if (!view)
        return;
    installContextMenu(static_cast<QWidget *>(view));
}

void CasePages::installContextMenu(QWidget *widget)
{
    widget->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(widget, &QWidget::customContextMenuRequested, this, [this, widget](const QPoint &pos) {
        if (auto *view = qobject_cast<QAbstractItemView *>(widget)) {
            const QModelIndex i = view->indexAt(pos);
            if (i.isValid())
                view->setCurrentIndex(i);
        }
        const PageSelection s = selection();
        // Text views keep their Copy/Select all entries; ours come after them.
        auto *text = qobject_cast<QTextEdit *>(widget);
        std::unique_ptr<QMenu> owned(text ? text->createStandardContextMenu(pos)
                                          : new QMenu(widget));
        QMenu &menu = *owned;
        if (text)
            menu.addSeparator();
        QAction *tag = menu.addAction(tr("Tag as evidence…"), this, &CasePages::tagSelection);
        tag->setEnabled(!s.kind.isEmpty());
        QAction *pivot =
            menu.addAction(tr("Pivot ±%1 min on the timeline").arg(m_timeline->pivotMinutes()),
                           this, &CasePages::pivotSelection);
        pivot->setEnabled(s.canPivot());
        menu.exec(widget->mapToGlobal(pos));
    });
}

} // namespace causa
