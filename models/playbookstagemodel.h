#pragma once

#include "playbook/playbookdefinition.h"
#include "store/playbooktypes.h"

#include <QAbstractTableModel>

#include <vector>

namespace causa {

// The stages of one playbook run for the stepper: number, title, state and why, in definition
// order. Updating with the same stages only emits dataChanged, so the selection survives.
class PlaybookStageModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        NumberColumn,
        TitleColumn,
        StateColumn,
        ReasonColumn,
        ColumnCount
    };
    enum Roles
    {
        StageIdRole = Qt::UserRole + 1,
        StateRole,
        ActorRole,
        FinishedAtRole,
        ReasonRole
    };

    explicit PlaybookStageModel(QObject *parent = nullptr);
    void setDefinition(PlaybookDefinition definition);
    const PlaybookDefinition &definition() const { return m_def; }
    void setStages(std::vector<StageStateRecord> stages);
    void clear();
    const StageStateRecord *stageAt(int row) const;
    int rowOf(const QString &stageId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // The colour a stage or action state is shown in, readable on the application palette's
    // background (lighter shades on a dark theme); invalid for states shown in the text colour.
    static QColor stateColour(QLatin1String state);

private:
    PlaybookDefinition m_def;
    std::vector<StageStateRecord> m_stages;
};

} // namespace causa
