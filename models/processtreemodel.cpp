#include "processtreemodel.h"

#include "modelformat.h"

#include <QColor>
#include <QFont>

namespace causa {

ProcessTreeModel::ProcessTreeModel(QObject *parent) : QAbstractItemModel(parent) {}

void ProcessTreeModel::setForest(std::shared_ptr<const ScopedForest> forest)
{
    beginResetModel();
    m_forest = std::move(forest);
    m_rowInParent.assign(m_forest ? size_t(m_forest->forest.size()) : 0, 0);
    m_isRoot.assign(m_rowInParent.size(), 0);
    if (m_forest) {
        const ProcessForest &f = m_forest->forest;
        for (int n = 0; n < f.size(); ++n) {
            const auto kids = f.children(n);
            for (size_t r = 0; r < kids.size(); ++r)
                m_rowInParent[size_t(kids[r])] = int(r);
        }
        for (size_t r = 0; r < m_forest->roots.size(); ++r) {
            m_rowInParent[size_t(m_forest->roots[r])] = int(r);
            m_isRoot[size_t(m_forest->roots[r])] = 1;
        }
    }
    endResetModel();
}

std::span<const int> ProcessTreeModel::childrenOf(int node) const
{
    if (!m_forest)
        return {};
    if (node < 0)
        return std::span<const int>(m_forest->roots);
    return m_forest->forest.children(node);
}

std::optional<ProcessNode> ProcessTreeModel::nodeAt(const QModelIndex &index) const
{
    if (!m_forest || !index.isValid())
        return std::nullopt;
    return m_forest->forest.node(int(index.internalId()));
}

QModelIndex ProcessTreeModel::indexOfNode(int node) const
{
    if (!m_forest || node < 0 || node >= m_forest->forest.size())
        return {};
    return createIndex(m_rowInParent[size_t(node)], 0, quintptr(node));
}

QModelIndex ProcessTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    const auto kids = childrenOf(parent.isValid() ? int(parent.internalId()) : -1);
    if (row < 0 || size_t(row) >= kids.size() || column < 0 || column >= ColumnCount)
        return {};
    return createIndex(row, column, quintptr(kids[size_t(row)]));
}

QModelIndex ProcessTreeModel::parent(const QModelIndex &child) const
{
    if (!m_forest || !child.isValid())
        return {};
    const int node = int(child.internalId());
    if (m_isRoot[size_t(node)])
        return {};
    const int p = m_forest->forest.node(node).parent();
    if (p < 0)
        return {};
    return createIndex(m_rowInParent[size_t(p)], 0, quintptr(p));
}

int ProcessTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(childrenOf(parent.isValid() ? int(parent.internalId()) : -1).size());
}

int ProcessTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant ProcessTreeModel::data(const QModelIndex &index, int role) const
{
    const std::optional<ProcessNode> n = nodeAt(index);
    if (!n)
        return {};
    switch (role) {
    case NodeIndexRole: return int(index.internalId());
    case BadgesRole: return n->badges();
    case StartRole: return n->startedAt();
    case PidRole: return n->pid();
    case CommandLineRole: return n->commandLine();
    case Qt::DisplayRole:
        switch (index.column()) {
        case ImageColumn: return n->imageName().isEmpty() ? n->key() : n->imageName();
        case PidColumn: return n->pid() >= 0 ? QVariant(n->pid()) : QVariant();
        case UserColumn: return n->user();
        case StartColumn: return fmt::dateTime(n->startedAt());
        case BadgesColumn: return badgeNames(n->badges()).join(QStringLiteral(" · "));
        case CommandColumn: return fmt::oneLine(n->commandLine(), 300);
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == CommandColumn || index.column() == ImageColumn)
            return fmt::plainToolTip(n->imagePath().isEmpty()
                                         ? n->commandLine()
                                         : n->imagePath() + QLatin1Char('\n') + n->commandLine());
        break;
    case Qt::ForegroundRole:
        if (index.column() == BadgesColumn &&
            (n->has(ProcessBadge::Alert) || n->has(ProcessBadge::PsexecService)))
            return QColor(0xd1, 0x3b, 0x2e);
        break;
    case Qt::FontRole:
        if (index.column() == ImageColumn && n->has(ProcessBadge::Alert)) {
            QFont f;
            f.setBold(true);
            return f;
        }
        break;
    default: break;
    }
    return {};
}

QVariant ProcessTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ImageColumn: return tr("Process");
    case PidColumn: return tr("PID");
    case UserColumn: return tr("User");
    case StartColumn: return tr("Started (UTC)");
    case BadgesColumn: return tr("Badges");
    case CommandColumn: return tr("Command line");
    }
    return {};
}

} // namespace causa
