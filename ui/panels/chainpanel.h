#pragma once

#include "investigation/lateralchain.h"

#include <QDate>
#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace causa {

class ChainService;

// The Lateral movement page: source host → victim of each PsExec-like execution, hop by hop
// with its events, times and user; a hop or event opens its process in that host's tree. The
// pane under the table has the selected hop or event whole (the table's cells elide).
class ChainPanel final : public QWidget
{
    Q_OBJECT

public:
    // Item data roles of the tree (raw values for tests and the tree link).
    enum Roles
    {
        HostRole = Qt::UserRole + 1,
        ProcessKeyRole,
        EventIdRole,
        HopKindRole
    };

    explicit ChainPanel(ChainService *service, QWidget *parent = nullptr);
    void setCase(qint64 caseId);
    void setReport(const ChainReport &report);
    void showChain(int index);
    // Opens the current item's process (emits processRequested) when it has one.
    bool openCurrentProcess();

    QTreeWidget *tree() const { return m_tree; }
    QComboBox *chainSelector() const { return m_chains; }
    QPlainTextEdit *details() const { return m_details; }
    QString headline() const;

Q_SIGNALS:
    void processRequested(const QString &host, const QString &processKey);
    void chainsShown();

private:
    void updateWidgets();
    QTreeWidgetItem *hopItem(const ChainHop &hop) const;
    QString detailsOf(QTreeWidgetItem *item) const;

    ChainService *m_service;
    qint64 m_caseId = 0;
    ChainReport m_report;
    int m_shown = -1; // index of the shown chain in m_report.chains
    QDate m_day;      // the shown chain's one UTC day, when its table shows times of day
    QComboBox *m_chains;
    QLabel *m_route;
    QLabel *m_facts;
    QLabel *m_notes;
    QTreeWidget *m_tree;
    QPlainTextEdit *m_details;
    QPushButton *m_open;
};

} // namespace causa
