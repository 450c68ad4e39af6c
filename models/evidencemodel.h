#pragma once

#include "store/evidencestore.h"

#include <QAbstractTableModel>

#include <vector>

namespace causa {

// The case's evidence tags: what was tagged, the analyst's comment, who and when.
class EvidenceModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        KindColumn,
        ItemColumn,
        CommentColumn,
        ByColumn,
        TimeColumn,
        ColumnCount
    };
    enum Roles
    {
        EvidenceIdRole = Qt::UserRole + 1,
        KindRole,
        RefRole,
        TimestampRole
    };

    explicit EvidenceModel(QObject *parent = nullptr);
    void setItems(std::vector<EvidenceItem> items);
    const EvidenceItem *itemAt(int row) const;
    static QString kindLabel(const QString &kind);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<EvidenceItem> m_items;
};

} // namespace causa
