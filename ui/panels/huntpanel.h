#pragma once

#include "services/huntservice.h"

#include <QWidget>

#include <utility>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;
class QToolButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace causa {

// The Hunt page: the team's Sigma rules over the case's hosts (or every host), hits grouped by
// rule with the rule's level, ATT&CK tags and credit; an event hit opens its event on the
// timeline and its process in the process tree, an XDR alert hit names its alert. Every
// imported string is shown as plain text.
class HuntPanel final : public QWidget
{
    Q_OBJECT

public:
    // Item data roles of the tree (raw values for tests and navigation).
    enum Roles
    {
        ItemKindRole = Qt::UserRole + 1, // "rule" or "hit"
        RuleIndexRole,
        LevelRole,
        HitCountRole,
        EventIdRole,
        HostRole,
        ProcessKeyRole,
        AlertIdRole,  // the XDR alert id of an alert hit; empty for an event hit
        HitIndexRole, // into result().hits
    };

    explicit HuntPanel(HuntService *service, QWidget *parent = nullptr);

    // The case whose hosts are hunted; the hunt runs when the page is shown (or now, if it is).
    void setCase(qint64 caseId);
    void setAllHosts(bool allHosts);
    // The team's rule folders changed: hunts again when shown.
    void rulesChanged();
    // Runs the hunt again (the Run button; also after the rule folders changed).
    void run();
    void setResult(const HuntPageResult &result);
    // Opens the current hit's event / process through navigateRequested; false when it has none.
    bool openCurrentEvent();
    bool openCurrentProcess();

    // "process" references carry the host (percent-encoded) and the process key: "HOST/KEY".
    static QString processRef(const QString &host, const QString &processKey);
    static std::pair<QString, QString> splitProcessRef(const QString &ref);

    QTreeWidget *tree() const { return m_tree; }
    QTableWidget *skippedTable() const { return m_skipped; }
    QToolButton *skippedToggle() const { return m_skippedToggle; }
    QPlainTextEdit *detail() const { return m_detail; }
    QCheckBox *allHostsCheck() const { return m_allHosts; }
    QPushButton *runButton() const { return m_run; }
    QPushButton *openEventButton() const { return m_openEvent; }
    QPushButton *openProcessButton() const { return m_openProcess; }
    const HuntPageResult &result() const { return m_result; }
    QString headline() const;
    QString facts() const;

Q_SIGNALS:
    // page "event" (ref: event id) or "process" (ref: processRef()), as the Playbook page's links.
    void navigateRequested(const QString &page, const QString &ref);
    void huntShown();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void fillTree();
    void fillSkipped();
    void showDetail();
    void updateWidgets();
    QString ruleText(const sigma::RuleInfo &rule) const;
    QString hitText(const HuntPageHit &hit) const;

    HuntService *m_service;
    qint64 m_caseId = 0;
    bool m_dirty = false;
    quint64 m_pending = 0;
    HuntPageResult m_result;
    QCheckBox *m_allHosts;
    QPushButton *m_run;
    QLabel *m_headline;
    QLabel *m_facts;
    QToolButton *m_skippedToggle;
    QTableWidget *m_skipped;
    QTreeWidget *m_tree;
    QPlainTextEdit *m_detail;
    QPushButton *m_openEvent;
    QPushButton *m_openProcess;
};

} // namespace causa
