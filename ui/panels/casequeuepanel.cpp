#include "casequeuepanel.h"

#include "casequeuemodel.h"
#include "savedviews.h"
#include "services/workbenchservice.h"
#include "severitydelegate.h"

#include <QAction>
#include <QComboBox>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSettings>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace causa {

CaseQueuePanel::CaseQueuePanel(WorkbenchService *service, QWidget *parent)
    : QWidget(parent), m_service(service)
{
    m_model = new CaseQueueModel(this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *top = new QHBoxLayout;
    auto *title = new QLabel(tr("Case queue"), this);
    QFont f = title->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.15);
    title->setFont(f);
    m_count = new QLabel(this);
    m_count->setStyleSheet(QStringLiteral("color: palette(mid);"));
    top->addWidget(title);
    top->addStretch();
    top->addWidget(m_count);
    layout->addLayout(top);
    m_filterEdit = new QLineEdit(this);
    m_filterEdit->setPlaceholderText(tr("Search title, host, user, incident id, status… (Ctrl+F)"));
    m_filterEdit->setClearButtonEnabled(true);
    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(m_filterEdit, 1);
    m_views = new QComboBox(this);
    m_views->setToolTip(tr("Saved views: a filter and sort under a name"));
    m_views->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_views->setMinimumContentsLength(10);
    filterRow->addWidget(m_views);
    m_saveView = new QToolButton(this);
    m_saveView->setText(tr("Save view…"));
    m_saveView->setToolTip(tr("Save the current filter and sort as a named view"));
    filterRow->addWidget(m_saveView);
    layout->addLayout(filterRow);
    m_view = new QTableView(this);
    m_view->setModel(m_model);
    m_view->setSortingEnabled(true);
    m_view->horizontalHeader()->setSortIndicator(CaseQueueModel::SeverityColumn,
                                                 Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setShowGrid(false);
    m_view->verticalHeader()->hide();
    // Uniform rows: the view never measures a million rows.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 10);
    m_view->horizontalHeader()->setSectionResizeMode(CaseQueueModel::TitleColumn,
                                                     QHeaderView::Stretch);
    // The other columns are as wide as their usual content so that the Title gets what is left
    // (it had a few characters in a 560 px queue); widths follow the font, so scaling keeps them.
    const QFontMetrics fm = m_view->fontMetrics();
    const auto fit = [&fm](const char *sample, int padding) {
        return fm.horizontalAdvance(QLatin1String(sample)) + padding;
    };
    m_view->setColumnWidth(CaseQueueModel::IdColumn, fit("99999", 14));
    // the pill's padding
    m_view->setColumnWidth(CaseQueueModel::SeverityColumn, fit("Critical", 30));
    m_view->setColumnWidth(CaseQueueModel::StatusColumn, fit("In progress", 14));
    m_view->setColumnWidth(CaseQueueModel::HostsColumn, fit("FIN-WS-042", 14));
    m_view->setColumnWidth(CaseQueueModel::AlertsColumn, fit("Alerts", 18));
    m_view->horizontalHeader()->setMinimumSectionSize(fit("ID", 14));
    m_view->setItemDelegateForColumn(CaseQueueModel::SeverityColumn,
                                     new SeverityDelegate(CaseQueueModel::SeverityRole, m_view));
    for (int c : {int(CaseQueueModel::VerdictColumn), int(CaseQueueModel::UsersColumn),
                  int(CaseQueueModel::CreatedColumn)})
        m_view->setColumnHidden(c, true);
    // Owner sits next to Status: on a team store it is what an analyst scans for first.
    m_view->horizontalHeader()->moveSection(
        m_view->horizontalHeader()->visualIndex(CaseQueueModel::OwnerColumn),
        m_view->horizontalHeader()->visualIndex(CaseQueueModel::StatusColumn) + 1);
    m_view->setColumnWidth(CaseQueueModel::OwnerColumn, fit("Owner", 24));
    layout->addWidget(m_view, 1);

    m_assignToMe = new QAction(tr("Assign to me"), this);
    m_assignTo = new QAction(tr("Assign to…"), this);
    m_unassign = new QAction(tr("Unassign"), this);
    connect(m_assignToMe, &QAction::triggered, this, [this] { assignCurrent(analystName()); });
    connect(m_assignTo, &QAction::triggered, this, [this] {
        const QModelIndex idx = m_view->currentIndex();
        bool ok = false;
        const QString name = QInputDialog::getText(
            this, tr("Assign case"), tr("Analyst to assign the case to:"), QLineEdit::Normal,
            idx.data(CaseQueueModel::AssigneeRole).toString(), &ok);
        if (ok && !name.trimmed().isEmpty())
            assignCurrent(name.trimmed());
    });
    connect(m_unassign, &QAction::triggered, this, [this] { assignCurrent(QString()); });
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex idx = m_view->indexAt(pos);
        if (!idx.isValid())
            return;
        m_view->setCurrentIndex(idx);
        updateAssignActions();
        QMenu menu(this);
        menu.addActions({m_assignToMe, m_assignTo, m_unassign});
        menu.exec(m_view->viewport()->mapToGlobal(pos));
    });
    connect(m_service, &WorkbenchService::caseAssigned, this, [this](const CaseSummary &c) {
        if (c.id == currentCaseId())
            m_service->loadCase(c.id); // the overview shows the new owner
        reload();
    });
    connect(m_service, &WorkbenchService::caseUpdated, this, [this](const CaseSummary &c) {
        if (m_model->updateCase(c) && c.id == currentCaseId())
            updateAssignActions();
    });
    connect(m_service, &WorkbenchService::assignmentFailed, this,
            [this] { reload(); }); // show who owns the case now; the message bar says why
    reloadViews();
    connect(m_views, &QComboBox::activated, this, [this](int index) {
        if (index > 0) {
            applyView(m_views->itemText(index));
        } else {
            m_filterEdit->clear();
            m_debounce->stop();
            m_filter.text.clear();
            reload();
        }
    });
    connect(m_saveView, &QToolButton::clicked, this, [this] {
        bool ok = false;
        const QString suggested =
            m_views->currentIndex() > 0 ? m_views->currentText() : m_filter.text.trimmed();
        const QString name =
            QInputDialog::getText(this, tr("Save view"), tr("Name of this view (filter and sort):"),
                                  QLineEdit::Normal, suggested, &ok);
        if (ok && !name.trimmed().isEmpty())
            saveCurrentView(name.trimmed());
    });

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(120);
    connect(m_filterEdit, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_debounce, &QTimer::timeout, this, [this] {
        m_filter.text = m_filterEdit->text();
        reload();
    });
    connect(m_model, &CaseQueueModel::sortRequested, this,
            [this](const QString &key, bool descending) {
                if (key == m_filter.sortKey && descending == m_filter.descending)
                    return;
                m_filter.sortKey = key;
                m_filter.descending = descending;
                reload();
            });
    connect(m_model, &CaseQueueModel::fetchRequested, this,
            [this](qint64 offset) { m_service->loadQueuePage(m_generation, m_filter, offset); });
    connect(m_service, &WorkbenchService::queueLoaded, this,
            [this](quint64 generation, qint64 total, const std::vector<CaseSummary> &rows) {
                if (generation != m_generation)
                    return;
                const qint64 keep = m_pendingSelection;
                m_filter.knownCount = total; // later pages use the plan that fits this many matches
                m_model->resetPaged(total, rows);
                updateCount();
                if (keep > 0)
                    selectCase(keep);
                Q_EMIT queueLoaded(total);
            });
    connect(m_service, &WorkbenchService::queuePageLoaded, this,
            [this](quint64 generation, qint64 offset, const std::vector<CaseSummary> &rows) {
                if (generation == m_generation)
                    m_model->appendPage(offset, rows);
            });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (!current.isValid())
                    return;
                m_pendingSelection = current.data(CaseQueueModel::CaseIdRole).toLongLong();
                updateAssignActions();
                Q_EMIT caseSelected(m_pendingSelection);
            });
    updateAssignActions();
}

QString CaseQueuePanel::analystName()
{
    const QString name = QSettings().value(QStringLiteral("analyst/name")).toString();
    return name.isEmpty() ? qEnvironmentVariable("USER", QStringLiteral("analyst")) : name;
}

void CaseQueuePanel::updateAssignActions()
{
    const QModelIndex idx = m_view->currentIndex();
    const QString owner =
        idx.isValid() ? idx.data(CaseQueueModel::AssigneeRole).toString() : QString();
    const QString me = analystName();
    m_assignToMe->setEnabled(idx.isValid() && owner.compare(me, Qt::CaseInsensitive) != 0);
    m_assignToMe->setText(owner.isEmpty() || owner == me
                              ? tr("Assign to me (%1)").arg(me)
                              : tr("Take over from %1 (assign to me)").arg(owner));
    m_assignTo->setEnabled(idx.isValid());
    m_unassign->setEnabled(idx.isValid() && !owner.isEmpty());
}

void CaseQueuePanel::assignCurrent(const QString &assignee)
{
    const QModelIndex idx = m_view->currentIndex();
    if (!idx.isValid())
        return;
    // Choosing an action on a case whose owner is on screen is the analyst's explicit decision to
    // take it over; the row_version still catches a change the analyst has not seen yet.
    m_service->assignCase(idx.data(CaseQueueModel::CaseIdRole).toLongLong(), assignee,
                          analystName(), idx.data(CaseQueueModel::RowVersionRole).toInt(), true);
}

void CaseQueuePanel::reload()
{
    m_filter.knownCount = -1;
    m_pendingSelection = currentCaseId() > 0 ? currentCaseId() : m_pendingSelection;
    m_generation = m_service->reloadQueue(m_filter);
}

void CaseQueuePanel::selectCase(qint64 caseId)
{
    const int row = m_model->rowOfCase(caseId);
    if (row >= 0)
        m_view->setCurrentIndex(m_model->index(row, 0));
}

qint64 CaseQueuePanel::currentCaseId() const
{
    const QModelIndex idx = m_view->currentIndex();
    return idx.isValid() ? idx.data(CaseQueueModel::CaseIdRole).toLongLong() : 0;
}

void CaseQueuePanel::reloadViews()
{
    const QString current = m_views->currentIndex() > 0 ? m_views->currentText() : QString();
    m_views->clear();
    m_views->addItem(tr("All cases"));
    for (const SavedView &v : savedviews::load())
        m_views->addItem(v.name);
    const int i = current.isEmpty() ? 0 : m_views->findText(current);
    m_views->setCurrentIndex(i < 0 ? 0 : i);
}

void CaseQueuePanel::saveCurrentView(const QString &name)
{
    SavedView v;
    v.name = name;
    v.text = m_filterEdit->text();
    v.sortKey = m_filter.sortKey;
    v.descending = m_filter.descending;
    savedviews::upsert(v);
    reloadViews();
    m_views->setCurrentIndex(std::max(0, m_views->findText(name)));
}

void CaseQueuePanel::applyView(const QString &name)
{
    for (const SavedView &v : savedviews::load()) {
        if (v.name != name)
            continue;
        int column = -1;
        for (int c = 0; c < CaseQueueModel::ColumnCount && column < 0; ++c)
            if (CaseQueueModel::sortKey(c) == v.sortKey)
                column = c;
        // Sorting through the header keeps its indicator in step; the model asks the store to sort.
        if (column >= 0)
            m_view->sortByColumn(column, v.descending ? Qt::DescendingOrder : Qt::AscendingOrder);
        m_filterEdit->setText(v.text);
        m_filter.text = v.text;
        m_debounce->stop();
        reload();
        m_views->setCurrentIndex(std::max(0, m_views->findText(name)));
        return;
    }
}

void CaseQueuePanel::updateCount()
{
    const qint64 total = m_model->totalCount();
    m_count->setText(m_filter.text.trimmed().isEmpty() ? tr("%n case(s)", nullptr, int(total))
                                                       : tr("%n match(es)", nullptr, int(total)));
}

} // namespace causa
