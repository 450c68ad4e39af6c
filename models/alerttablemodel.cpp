#include "alerttablemodel.h"

#include "modelformat.h"

namespace causa {

AlertTableModel::AlertTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void AlertTableModel::setAlerts(std::vector<StoredAlert> alerts)
{
    beginResetModel();
    m_alerts = std::move(alerts);
    endResetModel();
}

const StoredAlert *AlertTableModel::alertAt(int row) const
{
    return row >= 0 && row < int(m_alerts.size()) ? &m_alerts[size_t(row)] : nullptr;
}

int AlertTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_alerts.size());
}

int AlertTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlertTableModel::data(const QModelIndex &index, int role) const
{
    const StoredAlert *s = alertAt(index.row());
    if (!s || !index.isValid())
        return {};
    const AlertRecord &a = s->alert;
    switch (role) {
    case AlertIdRole: return s->id;
    case SeverityRole: return int(a.severity);
    case BlockedRole: return a.blocked;
    case SortRole:
        if (index.column() == TimeColumn)
            return a.detectedAt;
        if (index.column() == SeverityColumn)
            return int(a.severity);
        return data(index, Qt::DisplayRole);
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn: return fmt::dateTime(a.detectedAt);
        case SeverityColumn: return fmt::severityLabel(a.severity);
        case NameColumn: return fmt::oneLine(a.name);
        case HostColumn: return a.hostName;
        case UserColumn: return a.user;
        case ActionColumn: return a.actionPretty.isEmpty() ? a.action : a.actionPretty;
        case TacticsColumn: return a.mitreTactics.join(QStringLiteral("; "));
        case TechniquesColumn: return a.mitreTechniques.join(QStringLiteral("; "));
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == NameColumn)
            return fmt::plainToolTip(
                a.description.isEmpty() ? a.name : a.name + QLatin1Char('\n') + a.description);
        if (index.column() == TechniquesColumn)
            return fmt::plainToolTip(a.mitreTechniques.join(QLatin1Char('\n')));
        if (index.column() == TacticsColumn)
            return fmt::plainToolTip(a.mitreTactics.join(QLatin1Char('\n')));
        break;
    case Qt::ForegroundRole:
        if (index.column() == ActionColumn && a.blocked)
            return QColor(0x1e, 0x84, 0x49);
        break;
    default: break;
    }
    return {};
}

QVariant AlertTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("Detected (UTC)");
    case SeverityColumn: return tr("Severity");
    case NameColumn: return tr("Alert");
    case HostColumn: return tr("Host");
    case UserColumn: return tr("User");
    case ActionColumn: return tr("Agent action");
    case TacticsColumn: return tr("ATT&CK tactics");
    case TechniquesColumn: return tr("ATT&CK techniques");
    }
    return {};
}

} // namespace causa
