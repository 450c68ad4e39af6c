#pragma once

#include "store/notestore.h"

#include <QWidget>

class QPlainTextEdit;
class QPushButton;
class QTextBrowser;

namespace causa {

class WorkbenchService;

// Case notes in Markdown: the rendered history above, an editor below (Ctrl+Return adds).
class NotesPanel final : public QWidget
{
    Q_OBJECT

public:
    NotesPanel(WorkbenchService *service, QWidget *parent = nullptr);
    void setCase(qint64 caseId);
    void setAnalyst(const QString &name) { m_analyst = name; }
    QPlainTextEdit *editor() const { return m_editor; }
    QTextBrowser *history() const { return m_history; }

private:
    void render(const std::vector<Note> &notes);
    void updateWidgets();

    WorkbenchService *m_service;
    qint64 m_caseId = 0;
    QString m_analyst;
    QTextBrowser *m_history;
    QPlainTextEdit *m_editor;
    QPushButton *m_add;
};

} // namespace causa
