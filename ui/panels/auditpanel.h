#pragma once

#include "services/casepagesservice.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace causa {

class AuditModel;

// The Audit page: the case's hash-chained audit entries, the payload of the selected entry,
// and "Verify chain" that shows OK or the first broken entry.
class AuditPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit AuditPanel(CasePagesService *service, QWidget *parent = nullptr);
    void setCase(qint64 caseId);
    void verify();

    QTableView *view() const { return m_view; }
    AuditModel *model() const { return m_model; }
    QPushButton *verifyButton() const { return m_verify; }
    QString verdictText() const;
    QString detailText() const;

Q_SIGNALS:
    void entriesShown();
    void verified(bool intact);

private:
    void showEntry(int row);

    CasePagesService *m_service;
    qint64 m_caseId = 0;
    AuditModel *m_model;
    QTableView *m_view;
    QPlainTextEdit *m_detail;
    QPushButton *m_verify;
    QLabel *m_verdict;
    QLabel *m_head;
};

} // namespace causa
