#pragma once

#include "forest/forestbuilder.h"

#include <QAbstractItemModel>

#include <memory>
#include <optional>

namespace causa {

// A process forest as a tree model. Indexes are created only for rows a view asks for, so a
// 100,000-node forest costs one pass to compute each node's row and nothing more.
class ProcessTreeModel final : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column
    {
        ImageColumn,
        PidColumn,
        UserColumn,
        StartColumn,
        BadgesColumn,
        CommandColumn,
        ColumnCount
    };
    enum Roles
    {
        NodeIndexRole = Qt::UserRole + 1,
        BadgesRole,
        StartRole,
        PidRole,
        CommandLineRole
    };

    explicit ProcessTreeModel(QObject *parent = nullptr);
    void setForest(std::shared_ptr<const ScopedForest> forest);
    const ScopedForest *forest() const { return m_forest.get(); }
    std::optional<ProcessNode> nodeAt(const QModelIndex &index) const;
    QModelIndex indexOfNode(int node) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::span<const int> childrenOf(int node) const;

    std::shared_ptr<const ScopedForest> m_forest;
    std::vector<int> m_rowInParent; // per node
    std::vector<char> m_isRoot;     // per node: shown as a top-level row
};

} // namespace causa
