#include "auditmodel.h"

#include "modelformat.h"

#include <QColor>
#include <QJsonDocument>
#include <QJsonObject>

namespace causa {

AuditModel::AuditModel(QObject *parent) : QAbstractTableModel(parent) {}

QString AuditModel::payloadSummary(const QString &payloadJson)
{
    const QJsonDocument doc = QJsonDocument::fromJson(payloadJson.toUtf8());
    if (!doc.isObject())
        return fmt::oneLine(payloadJson, 200);
    QStringList parts;
    const QJsonObject o = doc.object();
    for (auto it = o.begin(); it != o.end(); ++it) {
        QString v;
        if (it.value().isString())
            v = it.value().toString();
        else if (it.value().isDouble())
            v = QString::number(it.value().toDouble(), 'g', 15);
        else if (it.value().isBool())
            v = it.value().toBool() ? QStringLiteral("true") : QStringLiteral("false");
        else
            v = QString::fromUtf8(
                QJsonDocument::fromVariant(it.value().toVariant()).toJson(QJsonDocument::Compact));
        parts << it.key() + QLatin1Char('=') + fmt::oneLine(v, 80);
        if (parts.size() >= 6)
            break;
    }
    return fmt::oneLine(parts.join(QStringLiteral(" · ")), 300);
}

void AuditModel::setEntries(std::vector<AuditEntry> entries)
{
    beginResetModel();
    m_entries = std::move(entries);
    m_summaries.clear();
    m_summaries.reserve(m_entries.size());
    for (const AuditEntry &e : m_entries)
        m_summaries.push_back(payloadSummary(e.payload));
    m_brokenSeq = -1;
    endResetModel();
}

void AuditModel::setBrokenSeq(qint64 seq)
{
    const int oldRow = rowOfSeq(m_brokenSeq);
    m_brokenSeq = seq;
    const int newRow = rowOfSeq(seq);
    for (int row : {oldRow, newRow})
        if (row >= 0)
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1),
                               {Qt::BackgroundRole, Qt::ForegroundRole, BrokenRole});
}

const AuditEntry *AuditModel::entryAt(int row) const
{
    return row >= 0 && row < int(m_entries.size()) ? &m_entries[size_t(row)] : nullptr;
}

int AuditModel::rowOfSeq(qint64 seq) const
{
    if (seq < 0)
        return -1;
    for (size_t i = 0; i < m_entries.size(); ++i)
        if (m_entries[i].seq == seq)
            return int(i);
    return -1;
}

int AuditModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int AuditModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditModel::data(const QModelIndex &index, int role) const
{
    const AuditEntry *e = index.isValid() ? entryAt(index.row()) : nullptr;
    if (!e)
        return {};
    const bool broken = m_brokenSeq >= 0 && e->seq == m_brokenSeq;
    switch (role) {
    case SeqRole: return e->seq;
    case TimestampRole: return e->timestamp;
    case PayloadRole: return e->payload;
    case HashRole: return e->hash;
    case BrokenRole: return broken;
    case Qt::DisplayRole:
        switch (index.column()) {
        case SeqColumn: return e->seq;
        case TimeColumn: return fmt::dateTime(e->timestamp);
        case ActorColumn: return e->actor;
        case KindColumn: return e->kind;
        case PayloadColumn: return m_summaries[size_t(index.row())];
        }
        break;
    case Qt::BackgroundRole:
        if (broken)
            return QColor(0xd3, 0x2f, 0x2f, 90);
        break;
    case Qt::ToolTipRole:
        if (broken)
            return tr("The hash chain breaks at this entry");
        if (index.column() == PayloadColumn)
            return fmt::plainToolTip(m_summaries[size_t(index.row())]);
        break;
    }
    return {};
}

QVariant AuditModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SeqColumn: return tr("#");
    case TimeColumn: return tr("Time");
    case ActorColumn: return tr("Actor");
    case KindColumn: return tr("Kind");
    case PayloadColumn: return tr("Payload");
    }
    return {};
}

} // namespace causa
