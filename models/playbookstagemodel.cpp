#include "playbookstagemodel.h"

#include "modelformat.h"

#include <QColor>
#include <QGuiApplication>
#include <QPalette>

namespace causa {

PlaybookStageModel::PlaybookStageModel(QObject *parent) : QAbstractTableModel(parent) {}

void PlaybookStageModel::setDefinition(PlaybookDefinition definition)
{
    beginResetModel();
    m_def = std::move(definition);
    endResetModel();
}

void PlaybookStageModel::setStages(std::vector<StageStateRecord> stages)
{
    bool sameRows = stages.size() == m_stages.size();
    for (size_t i = 0; sameRows && i < stages.size(); ++i)
        sameRows = stages[i].stageId == m_stages[i].stageId;
    if (!sameRows) {
        beginResetModel();
        m_stages = std::move(stages);
        endResetModel();
        return;
    }
    m_stages = std::move(stages);
    if (!m_stages.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1),
                           {Qt::DisplayRole, Qt::ToolTipRole, Qt::ForegroundRole, StateRole,
                            ActorRole, FinishedAtRole, ReasonRole});
}

void PlaybookStageModel::clear()
{
    setStages({});
}

const StageStateRecord *PlaybookStageModel::stageAt(int row) const
{
    return row >= 0 && row < int(m_stages.size()) ? &m_stages[size_t(row)] : nullptr;
}

int PlaybookStageModel::rowOf(const QString &stageId) const
{
    for (size_t i = 0; i < m_stages.size(); ++i)
        if (m_stages[i].stageId == stageId)
            return int(i);
    return -1;
}

int PlaybookStageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_stages.size());
}

int PlaybookStageModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QColor PlaybookStageModel::stateColour(QLatin1String state)
{
    struct Shade
    {
        const char *state;
        QRgb onLight;
        QRgb onDark;
    };
    static const Shade kShades[] = {
        {"completed", 0x2e7d32, 0x81c784},
        {"succeeded", 0x2e7d32, 0x81c784},
        {"awaiting_approval", 0xc76b00, 0xffb74d},
        {"awaiting_decision", 0x1565c0, 0x90caf9},
        {"approved", 0x1565c0, 0x90caf9},
        {"executing", 0x1565c0, 0x90caf9},
        {"failed", 0xc62828, 0xef9a9a},
        {"rejected", 0xc62828, 0xef9a9a},
        {"unavailable", 0x757575, 0xb0b0b0},
        {"skipped", 0x757575, 0xb0b0b0},
    };
    // Models also serve headless callers (a QCoreApplication has no palette): light shades then.
    const bool dark = qobject_cast<QGuiApplication *>(QCoreApplication::instance()) &&
                      QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
    for (const Shade &s : kShades)
        if (state == QLatin1String(s.state))
            return QColor::fromRgb(dark ? s.onDark : s.onLight);
    return {};
}

QVariant PlaybookStageModel::data(const QModelIndex &index, int role) const
{
    const StageStateRecord *st = index.isValid() ? stageAt(index.row()) : nullptr;
    if (!st)
        return {};
    const StageDefinition *sd = m_def.stage(st->stageId);
    switch (role) {
    case StageIdRole: return st->stageId;
    case StateRole: return QString(toText(st->state));
    case ActorRole: return st->actor;
    case FinishedAtRole: return st->finishedAt;
    case ReasonRole: return st->reason;
    case Qt::DisplayRole:
        switch (index.column()) {
        case NumberColumn: return sd ? sd->number : QString();
        case TitleColumn: return sd ? sd->title : st->stageId;
        case StateColumn: return fmt::stateLabel(toText(st->state));
        case ReasonColumn: return fmt::oneLine(st->reason.left(200));
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == ReasonColumn && !st->reason.isEmpty())
            return fmt::plainToolTip(st->reason);
        if (index.column() == TitleColumn && sd)
            return sd->description;
        break;
    case Qt::ForegroundRole:
        if (index.column() == StateColumn) {
            const QColor c = stateColour(toText(st->state));
            if (c.isValid())
                return c;
        }
        break;
    default: break;
    }
    return {};
}

QVariant PlaybookStageModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NumberColumn: return tr("#");
    case TitleColumn: return tr("Stage");
    case StateColumn: return tr("State");
    case ReasonColumn: return tr("Why");
    }
    return {};
}

} // namespace causa
