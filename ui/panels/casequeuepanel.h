#pragma once

#include "store/storetypes.h"

#include <QWidget>

class QLineEdit;
class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace causa {

class CaseQueueModel;

// The case queue: a sortable, filterable table of cases.
class CaseQueuePanel final : public QWidget
{
    Q_OBJECT

public:
    explicit CaseQueuePanel(QWidget *parent = nullptr);
    void setCases(const std::vector<CaseSummary> &cases);
    void selectCase(qint64 caseId);
    qint64 currentCaseId() const;
    QLineEdit *filterEdit() const { return m_filter; }
    QTableView *view() const { return m_view; }
    CaseQueueModel *model() const { return m_model; }

Q_SIGNALS:
    void caseSelected(qint64 caseId);

private:
    void updateCount();

    CaseQueueModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_filter;
    QLabel *m_count;
    QTableView *m_view;
};

} // namespace causa
