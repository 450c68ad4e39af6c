#include "casequeuemodel.h"

#include "modelformat.h"

namespace causa {

CaseQueueModel::CaseQueueModel(QObject *parent) : QAbstractTableModel(parent) {}

void CaseQueueModel::setCases(std::vector<CaseSummary> cases)
{
    const qint64 total = qint64(cases.size());
    resetPaged(total, std::move(cases));
}

void CaseQueueModel::resetPaged(qint64 total, std::vector<CaseSummary> firstPage)
{
    beginResetModel();
    m_cases = std::move(firstPage);
    m_total = std::max<qint64>(total, qint64(m_cases.size()));
    m_fetching = false;
    endResetModel();
}

void CaseQueueModel::appendPage(qint64 offset, std::vector<CaseSummary> rows)
{
    if (offset != qint64(m_cases.size()))
        return; // stale or duplicate page: the request for this offset is still open
    if (rows.empty()) {
        m_fetching = false;
        // the store has fewer rows than counted (deleted meanwhile)
        m_total = qint64(m_cases.size());
        return;
    }
    beginInsertRows({}, int(m_cases.size()), int(m_cases.size() + rows.size()) - 1);
    m_cases.insert(m_cases.end(), std::make_move_iterator(rows.begin()),
                   std::make_move_iterator(rows.end()));
    m_fetching = false; // only now: views may ask for the next page while rows are announced
    endInsertRows();
}

bool CaseQueueModel::updateCase(const CaseSummary &summary)
{
    const int row = rowOfCase(summary.id);
    if (row < 0)
        return false;
    m_cases[size_t(row)] = summary;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    return true;
}

bool CaseQueueModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_fetching && qint64(m_cases.size()) < m_total;
}

void CaseQueueModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_fetching = true;
    Q_EMIT fetchRequested(qint64(m_cases.size()));
}

QString CaseQueueModel::sortKey(int column)
{
    switch (column) {
    case IdColumn: return QStringLiteral("id");
    case TitleColumn: return QStringLiteral("title");
    case StatusColumn: return QStringLiteral("status");
    case VerdictColumn: return QStringLiteral("verdict");
    case HostsColumn: return QStringLiteral("hosts");
    case UsersColumn: return QStringLiteral("users");
    case AlertsColumn: return QStringLiteral("alert_count");
    case CreatedColumn: return QStringLiteral("created_at");
    case OwnerColumn: return QStringLiteral("assignee");
    default: return QStringLiteral("severity");
    }
}

void CaseQueueModel::sort(int column, Qt::SortOrder order)
{
    // Sorting happens in the store so that a million cases need not be in memory.
    Q_EMIT sortRequested(sortKey(column), order == Qt::DescendingOrder);
}

const CaseSummary *CaseQueueModel::caseAt(int row) const
{
    return row >= 0 && row < int(m_cases.size()) ? &m_cases[size_t(row)] : nullptr;
}

int CaseQueueModel::rowOfCase(qint64 caseId) const
{
    for (size_t i = 0; i < m_cases.size(); ++i)
        if (m_cases[i].id == caseId)
            return int(i);
    return -1;
}

int CaseQueueModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_cases.size());
}

int CaseQueueModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CaseQueueModel::data(const QModelIndex &index, int role) const
{
    const CaseSummary *c = caseAt(index.row());
    if (!c || !index.isValid())
        return {};
    switch (role) {
    case CaseIdRole: return c->id;
    case SeverityRole: return int(c->severity);
    case AssigneeRole: return c->assignee;
    case RowVersionRole: return c->rowVersion;
    case FilterTextRole:
        return QStringList{c->title,
                           c->hosts.join(QLatin1Char(' ')),
                           c->users.join(QLatin1Char(' ')),
                           c->sourceRef,
                           c->status,
                           c->verdict}
            .join(QLatin1Char(' '));
    case SortRole:
        switch (index.column()) {
        case IdColumn: return c->id;
        case SeverityColumn: return int(c->severity);
        case AlertsColumn: return c->alertCount;
        case CreatedColumn: return c->createdAt;
        default: return data(index, Qt::DisplayRole);
        }
    case Qt::DisplayRole:
        switch (index.column()) {
        case IdColumn: return c->id;
        case SeverityColumn: return fmt::severityLabel(c->severity);
        case TitleColumn: return fmt::oneLine(c->title);
        case StatusColumn: return fmt::statusLabel(c->status);
        case VerdictColumn: return fmt::verdictLabel(c->verdict);
        case HostsColumn: return c->hosts.join(QStringLiteral(", "));
        case UsersColumn: return c->users.join(QStringLiteral(", "));
        case AlertsColumn: return c->alertCount;
        case CreatedColumn: return fmt::dateTime(c->createdAt);
        case OwnerColumn: return c->assignee.isEmpty() ? QStringLiteral("—") : c->assignee;
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == TitleColumn)
            return fmt::plainToolTip(c->title);
        if (index.column() == OwnerColumn)
            return c->assignee.isEmpty() ? tr("Unassigned — right-click to assign")
                                         : fmt::plainToolTip(tr("Assigned to %1").arg(c->assignee));
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == IdColumn || index.column() == AlertsColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    default: break;
    }
    return {};
}

QVariant CaseQueueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn: return tr("ID");
    case SeverityColumn: return tr("Severity");
    case TitleColumn: return tr("Title");
    case StatusColumn: return tr("Status");
    case VerdictColumn: return tr("Verdict");
    case HostsColumn: return tr("Host");
    case UsersColumn: return tr("User");
    case AlertsColumn: return tr("Alerts");
    case CreatedColumn: return tr("Created (UTC)");
    case OwnerColumn: return tr("Owner");
    }
    return {};
}

} // namespace causa
