#include "casequeuepanel.h"

#include "casequeuemodel.h"
#include "severitydelegate.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace causa {

CaseQueuePanel::CaseQueuePanel(QWidget *parent) : QWidget(parent)
{
    m_model = new CaseQueueModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(CaseQueueModel::SortRole);
    m_proxy->setFilterRole(CaseQueueModel::FilterTextRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(CaseQueueModel::TitleColumn);

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
    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Filter by title, host, user, incident id… (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    layout->addWidget(m_filter);
    m_view = new QTableView(this);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(CaseQueueModel::SeverityColumn, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setShowGrid(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 10);
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(CaseQueueModel::TitleColumn, QHeaderView::Stretch);
    m_view->setItemDelegateForColumn(CaseQueueModel::SeverityColumn,
                                     new SeverityDelegate(CaseQueueModel::SeverityRole, m_view));
    for (int c : {int(CaseQueueModel::VerdictColumn), int(CaseQueueModel::UsersColumn), int(CaseQueueModel::CreatedColumn)})
        m_view->setColumnHidden(c, true);
    layout->addWidget(m_view, 1);

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterFixedString(text);
        updateCount();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    Q_EMIT caseSelected(current.data(CaseQueueModel::CaseIdRole).toLongLong());
            });
}

void CaseQueuePanel::setCases(const std::vector<CaseSummary> &cases)
{
    const qint64 keep = currentCaseId();
    m_model->setCases(cases);
    m_view->resizeColumnsToContents();
    m_view->horizontalHeader()->setSectionResizeMode(CaseQueueModel::TitleColumn, QHeaderView::Stretch);
    updateCount();
    if (keep > 0)
        selectCase(keep);
}

void CaseQueuePanel::selectCase(qint64 caseId)
{
    const int row = m_model->rowOfCase(caseId);
    if (row < 0)
        return;
    const QModelIndex idx = m_proxy->mapFromSource(m_model->index(row, 0));
    if (idx.isValid())
        m_view->setCurrentIndex(idx);
}

qint64 CaseQueuePanel::currentCaseId() const
{
    const QModelIndex idx = m_view->currentIndex();
    return idx.isValid() ? idx.data(CaseQueueModel::CaseIdRole).toLongLong() : 0;
}

void CaseQueuePanel::updateCount()
{
    const int shown = m_proxy->rowCount(), total = m_model->rowCount();
    m_count->setText(shown == total ? tr("%n case(s)", nullptr, total)
                                    : tr("%1 of %2 cases").arg(shown).arg(total));
}

} // namespace causa
