#pragma once

#include "store/timelinequeries.h"

#include <QAbstractTableModel>

#include <vector>

namespace causa {

// Events of the timeline table, paged from the store like the case queue: the count comes first,
// rows arrive page by page as the view scrolls (fetchMore → fetchRequested).
class TimelineEventModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        TimeColumn,
        HostColumn,
        KindColumn,
        ProcessColumn,
        SummaryColumn,
        ColumnCount
    };
    enum Roles
    {
        EventIdRole = Qt::UserRole + 1,
        TimestampRole,
        KindRole,
        KindGroupRole,
        ProcessKeyRole,
        HostRole,
        SummaryRole
    };

    explicit TimelineEventModel(QObject *parent = nullptr);

    void resetPaged(qint64 total, std::vector<TimelineEvent> firstPage);
    void appendPage(qint64 offset, std::vector<TimelineEvent> rows);
    void clear();
    qint64 totalCount() const { return m_total; }
    const TimelineEvent *eventAt(int row) const;

    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void fetchRequested(qint64 offset);

private:
    std::vector<TimelineEvent> m_rows;
    qint64 m_total = 0;
    bool m_fetching = false;
};

} // namespace causa
