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
    enum Column
    {
        IdColumn,
        SeverityColumn,
        TitleColumn,
        StatusColumn,
        VerdictColumn,
        HostsColumn,
        UsersColumn,
        AlertsColumn,
        CreatedColumn,
        OwnerColumn,
        ColumnCount
    };
    enum Roles
    {
        CaseIdRole = Qt::UserRole + 1,
        SortRole,
        SeverityRole,
        FilterTextRole,
        AssigneeRole,
        RowVersionRole
    };

    explicit CaseQueueModel(QObject *parent = nullptr);

    // Everything at once (small stores, tests).
    void setCases(std::vector<CaseSummary> cases);
    // Lazy paging: the store says how many cases match, rows arrive page by page as the view
    // scrolls (fetchMore asks for the next page through fetchRequested).
    void resetPaged(qint64 total, std::vector<CaseSummary> firstPage);
    void appendPage(qint64 offset, std::vector<CaseSummary> rows);
    qint64 totalCount() const { return m_total; }
    // Replaces the row of summary.id with the newer values (a no-op when the case is not loaded).
    // The row keeps its place even when the new values sort elsewhere: the analyst's selection and
    // scroll position do not jump while a playbook runs; the next reload re-sorts.
    bool updateCase(const CaseSummary &summary);

    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    void sort(int column, Qt::SortOrder order) override;
    // The store's sort key for a column ("severity", "created_at"…).
    static QString sortKey(int column);
    const CaseSummary *caseAt(int row) const;
    int rowOfCase(qint64 caseId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void fetchRequested(qint64 offset);
    void sortRequested(const QString &key, bool descending);

private:
    std::vector<CaseSummary> m_cases;
    qint64 m_total = 0;
    bool m_fetching = false;
};

} // namespace causa
