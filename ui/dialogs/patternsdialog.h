#pragma once

#include "store/patternstore.h"

#include <QDialog>

class QCheckBox;
class QPushButton;
class QTableWidget;

namespace causa {

class WorkbenchService;

// Tools → Patterns and allowlist: the team's custom command-line patterns and allowlist entries
// (versioned in the store), used by every analysis. Add, edit (a new version), disable, and review
// every version with who made it. Work goes through the workbench service.
class PatternsDialog final : public QDialog
{
    Q_OBJECT

public:
    PatternsDialog(WorkbenchService *service, const QString &analyst, QWidget *parent = nullptr);
    QTableWidget *table() const { return m_table; }
    QPushButton *addButton() const { return m_add; }
    // Adds or edits (a new version of) a rule; the dialog reloads when the store answers.
    void save(const CustomRule &rule);

private:
    void show(const QList<StoredPattern> &patterns);
    void edit(const StoredPattern *existing, const QString &kind);
    void updateWidgets();
    const StoredPattern *selected() const;

    WorkbenchService *m_service;
    QString m_analyst;
    QList<StoredPattern> m_patterns;
    QList<int> m_rows; // table row -> index in m_patterns
    QTableWidget *m_table;
    QCheckBox *m_history;
    QPushButton *m_add;
    QPushButton *m_allow;
    QPushButton *m_edit;
    QPushButton *m_disable;
};

} // namespace causa
