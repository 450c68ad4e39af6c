#include "evidencemodel.h"

#include "modelformat.h"

namespace causa {

EvidenceModel::EvidenceModel(QObject *parent) : QAbstractTableModel(parent) {}

void EvidenceModel::setItems(std::vector<EvidenceItem> items)
{
    beginResetModel();
    m_items = std::move(items);
    endResetModel();
}

const EvidenceItem *EvidenceModel::itemAt(int row) const
{
    return row >= 0 && row < int(m_items.size()) ? &m_items[size_t(row)] : nullptr;
}

QString EvidenceModel::kindLabel(const QString &kind)
{
    if (kind == QLatin1String("alert"))
        return tr("Alert");
    if (kind == QLatin1String("process"))
        return tr("Process");
    if (kind == QLatin1String("event"))
        return tr("Event");
    if (kind == QLatin1String("indicator"))
        return tr("Indicator");
    if (kind == QLatin1String("command_line"))
        return tr("Command line");
    if (kind == QLatin1String("note"))
        return tr("Note");
    if (kind == QLatin1String("hunt_hit"))
        return tr("Hunt hit");
    if (kind == QLatin1String("verdict"))
        return tr("Verdict");
    if (kind == QLatin1String("sigma_hit"))
        return tr("Sigma hit");
    if (kind == QLatin1String("xdr_alert"))
        return tr("XDR alert");
    // Any other kind a hunt tags ("process_create"…) as words: "Process create".
    QString words = kind;
    words.replace(QLatin1Char('_'), QLatin1Char(' '));
    if (!words.isEmpty())
        words[0] = words[0].toUpper();
    return words;
}

int EvidenceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int EvidenceModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EvidenceModel::data(const QModelIndex &index, int role) const
{
    const EvidenceItem *e = index.isValid() ? itemAt(index.row()) : nullptr;
    if (!e)
        return {};
    switch (role) {
    case EvidenceIdRole: return e->id;
    case KindRole: return e->kind;
    case RefRole: return e->ref;
    case TimestampRole: return e->createdAt;
    case Qt::DisplayRole:
        switch (index.column()) {
        case KindColumn: return kindLabel(e->kind);
        case ItemColumn: return fmt::oneLine(e->label.isEmpty() ? e->ref : e->label, 200);
        case CommentColumn: return fmt::oneLine(e->detail, 300);
        case ByColumn: return e->createdBy;
        case TimeColumn: return fmt::dateTime(e->createdAt);
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == ItemColumn)
            return fmt::plainToolTip(fmt::oneLine(e->ref, 2000));
        if (index.column() == CommentColumn)
            return fmt::plainToolTip(fmt::oneLine(e->detail, 2000));
        break;
    }
    return {};
}

QVariant EvidenceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case KindColumn: return tr("Kind");
    case ItemColumn: return tr("Item");
    case CommentColumn: return tr("Comment");
    case ByColumn: return tr("Tagged by");
    case TimeColumn: return tr("When");
    }
    return {};
}

} // namespace causa
