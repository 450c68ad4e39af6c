#pragma once

#include "store/auditlog.h"

#include <QAbstractTableModel>

#include <vector>

namespace causa {

// A case's audit trail, one row per hash-chained entry; the first broken entry can be marked.
class AuditModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        SeqColumn,
        TimeColumn,
        ActorColumn,
        KindColumn,
        PayloadColumn,
        ColumnCount
    };
    enum Roles
    {
        SeqRole = Qt::UserRole + 1,
        TimestampRole,
        PayloadRole,
        HashRole,
        BrokenRole
    };

    explicit AuditModel(QObject *parent = nullptr);
    void setEntries(std::vector<AuditEntry> entries);
    // Marks the entry with this sequence number as where the chain breaks (-1 = none).
    void setBrokenSeq(qint64 seq);
    const AuditEntry *entryAt(int row) const;
    int rowOfSeq(qint64 seq) const;
    // One line of the payload's keys and values for the table.
    static QString payloadSummary(const QString &payloadJson);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<AuditEntry> m_entries;
    std::vector<QString> m_summaries; // formatted once: payloads can be long
    qint64 m_brokenSeq = -1;
};

} // namespace causa
