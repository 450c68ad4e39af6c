#pragma once

#include "store/storetypes.h"

#include <QAbstractTableModel>

namespace causa {

// The alerts of one case, for the case overview.
class AlertTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        TimeColumn,
        SeverityColumn,
        NameColumn,
        HostColumn,
        UserColumn,
        ActionColumn,
        TacticsColumn,
        TechniquesColumn,
        ColumnCount
    };
    enum Roles
    {
        AlertIdRole = Qt::UserRole + 1,
        SortRole,
        SeverityRole,
        BlockedRole
    };

    explicit AlertTableModel(QObject *parent = nullptr);
    void setAlerts(std::vector<StoredAlert> alerts);
    const StoredAlert *alertAt(int row) const;
    const std::vector<StoredAlert> &alerts() const { return m_alerts; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<StoredAlert> m_alerts;
};

} // namespace causa
