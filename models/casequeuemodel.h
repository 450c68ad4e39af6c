#pragma once

#include "store/storetypes.h"

#include <QAbstractTableModel>

#include <vector>

namespace causa {

// The case queue: one row per case, raw values in roles, display text formatted on demand.
class CaseQueueModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { IdColumn, SeverityColumn, TitleColumn, StatusColumn, VerdictColumn, HostsColumn,
                  UsersColumn, AlertsColumn, CreatedColumn, ColumnCount };
    enum Roles { CaseIdRole = Qt::UserRole + 1, SortRole, SeverityRole, FilterTextRole };

    explicit CaseQueueModel(QObject *parent = nullptr);

    void setCases(std::vector<CaseSummary> cases);
    const CaseSummary *caseAt(int row) const;
    int rowOfCase(qint64 caseId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<CaseSummary> m_cases;
};

} // namespace causa
