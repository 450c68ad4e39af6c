#pragma once

#include "services/casepagesservice.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace causa {

class EvidenceModel;

// The Evidence page: what the analyst (and the playbook) tagged as evidence, with untag and
// "jump to item" (the main window routes the jump to the page that shows that kind). The pane
// under the table has the selected tag whole: the table's item and comment cells elide.
class EvidencePanel final : public QWidget
{
    Q_OBJECT

public:
    explicit EvidencePanel(CasePagesService *service, QWidget *parent = nullptr);
    void setCase(qint64 caseId);
    void setAnalyst(const QString &name) { m_analyst = name; }
    void untagCurrent(bool confirm = true);
    void jumpToCurrent();

    QTableView *view() const { return m_view; }
    EvidenceModel *model() const { return m_model; }
    QString detailText() const;

Q_SIGNALS:
    void itemsShown();
    void jumpRequested(const causa::EvidenceItem &item);

private:
    void updateWidgets();

    CasePagesService *m_service;
    qint64 m_caseId = 0;
    QString m_analyst;
    EvidenceModel *m_model;
    QTableView *m_view;
    QPushButton *m_untag;
    QPushButton *m_jump;
    QLabel *m_count;
    QPlainTextEdit *m_detail;
};

} // namespace causa
