#pragma once

#include "enrichment/enrichmenttypes.h"

#include <QAbstractItemModel>

namespace causa {

// Enrichment of a case as a two-level tree: one row per indicator (merged verdict, who decided,
// age of the newest result, what was withheld) with one child row per provider result.
class EnrichmentModel final : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column
    {
        IndicatorColumn,
        VerdictColumn,
        SourceColumn,
        AgeColumn,
        DetailColumn,
        ColumnCount
    };
    enum Roles
    {
        IndicatorIdRole = Qt::UserRole + 1,
        ScoreRole, // int 0-3 (merged on indicator rows, the provider's on result rows)
        TypeRole,
        ValueRole,
        ProviderRole,  // empty on indicator rows
        FetchedAtRole, // epoch ms
        IsResultRole,  // bool: a provider result row
        ErrorRole,
    };

    explicit EnrichmentModel(QObject *parent = nullptr);

    // `now` is the reference for ages (tests pass a fixed time).
    void setReport(EnrichmentReport report, qint64 now = 0);
    const EnrichmentReport &report() const { return m_report; }
    const IndicatorEnrichment *indicatorAt(const QModelIndex &index) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    static QString ageText(qint64 fetchedAt, qint64 now);

private:
    QVariant indicatorData(const IndicatorEnrichment &e, int column, int role) const;
    QVariant resultData(const IndicatorEnrichment &e, const ProviderResult &r, int column,
                        int role) const;

    EnrichmentReport m_report;
    qint64 m_now = 0;
};

} // namespace causa
