#pragma once

#include "services/casedetail.h"

#include <QWidget>

class QLabel;
class QTableView;
class QPlainTextEdit;
class QSortFilterProxyModel;

namespace causa {

class AlertTableModel;

// Case overview: who/where/what at a glance, the alerts table, and the selected alert's details.
class CaseOverviewPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit CaseOverviewPanel(QWidget *parent = nullptr);
    void setDetail(const CaseDetail &detail);
    // Newer values of the shown case (severity, verdict, owner…); alerts and selection stay.
    void setSummary(const CaseSummary &summary);
    void clear();
    AlertTableModel *alertModel() const { return m_alerts; }
    QTableView *alertView() const { return m_view; }

private:
    QLabel *addField(const QString &name, int row, int col);
    void showAlert(int row);
    void fitAlertColumns();
    bool eventFilter(QObject *watched, QEvent *event) override;

    QLabel *m_title;
    QLabel *m_severity;
    QLabel *m_status;
    QLabel *m_verdict;
    QLabel *m_hosts;
    QLabel *m_users;
    QLabel *m_blocked;
    QLabel *m_source;
    QLabel *m_created;
    QLabel *m_owner;
    QLabel *m_mitre;
    AlertTableModel *m_alerts;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QPlainTextEdit *m_alertDetail;
    class QGridLayout *m_grid;
    std::vector<StoredProcess> m_processes;
    qint64 m_caseId = 0;
    int m_nameContentWidth = 0;
};

} // namespace causa
