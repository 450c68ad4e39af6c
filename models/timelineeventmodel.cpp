#include "timelineeventmodel.h"

#include "modelformat.h"

#include <QDateTime>

namespace causa {

TimelineEventModel::TimelineEventModel(QObject *parent) : QAbstractTableModel(parent) {}

void TimelineEventModel::resetPaged(qint64 total, std::vector<TimelineEvent> firstPage)
{
    beginResetModel();
    m_rows = std::move(firstPage);
    m_total = std::max<qint64>(total, qint64(m_rows.size()));
    m_fetching = false;
    endResetModel();
}

void TimelineEventModel::appendPage(qint64 offset, std::vector<TimelineEvent> rows)
{
    if (offset != qint64(m_rows.size()))
        return; // stale or duplicate page
    if (rows.empty()) {
        m_fetching = false;
        m_total = qint64(m_rows.size()); // fewer rows than counted (the store changed meanwhile)
        return;
    }
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + rows.size()) - 1);
    m_rows.insert(m_rows.end(), std::make_move_iterator(rows.begin()),
                  std::make_move_iterator(rows.end()));
    m_fetching = false;
    endInsertRows();
}

void TimelineEventModel::clear()
{
    resetPaged(0, {});
}

const TimelineEvent *TimelineEventModel::eventAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? &m_rows[size_t(row)] : nullptr;
}

bool TimelineEventModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_fetching && qint64(m_rows.size()) < m_total;
}

void TimelineEventModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_fetching = true;
    Q_EMIT fetchRequested(qint64(m_rows.size()));
}

int TimelineEventModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TimelineEventModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TimelineEventModel::data(const QModelIndex &index, int role) const
{
    const TimelineEvent *e = index.isValid() ? eventAt(index.row()) : nullptr;
    if (!e)
        return {};
    switch (role) {
    case EventIdRole: return e->id;
    case TimestampRole: return e->ts;
    case KindRole: return e->kind;
    case KindGroupRole: return timelineq::kindGroup(e->kind);
    case ProcessKeyRole: return e->processKey;
    case HostRole: return e->host;
    case SummaryRole: return e->summary;
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            // Milliseconds matter here: a PsExec run fits in one second.
            return e->ts > 0 ? QDateTime::fromMSecsSinceEpoch(e->ts, Qt::UTC)
                                   .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"))
                             : QStringLiteral("—");
        case HostColumn: return e->host;
        case KindColumn: return e->kind;
        case ProcessColumn:
            if (e->image.isEmpty())
                return QString();
            return e->pid >= 0 ? QStringLiteral("%1 (%2)").arg(e->image).arg(e->pid) : e->image;
        case SummaryColumn: return fmt::oneLine(e->summary, 300);
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == SummaryColumn)
            return fmt::plainToolTip(fmt::oneLine(e->summary, 2000));
        if (index.column() == KindColumn && e->eventCode != 0)
            return tr("Event ID %1").arg(e->eventCode);
        break;
    }
    return {};
}

QVariant TimelineEventModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("Time");
    case HostColumn: return tr("Host");
    case KindColumn: return tr("Kind");
    case ProcessColumn: return tr("Process");
    case SummaryColumn: return tr("Summary");
    }
    return {};
}

} // namespace causa
