#include "notespanel.h"

#include "modelformat.h"
#include "services/workbenchservice.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace causa {

NotesPanel::NotesPanel(WorkbenchService *service, QWidget *parent)
    : QWidget(parent), m_service(service),
      m_analyst(qEnvironmentVariable("USER", QStringLiteral("analyst")))
{
    auto *layout = new QVBoxLayout(this);
    auto *split = new QSplitter(Qt::Vertical, this);
    m_history = new QTextBrowser(split);
    m_history->setOpenLinks(false); // a note's links are shown, never followed from here
    auto *editorBox = new QWidget(split);
    auto *editorLayout = new QVBoxLayout(editorBox);
    editorLayout->setContentsMargins(0, 0, 0, 0);
    m_editor = new QPlainTextEdit(editorBox);
    m_editor->setPlaceholderText(tr("Write a note in Markdown… (Ctrl+Return to add)"));
    auto *buttons = new QHBoxLayout;
    auto *hint = new QLabel(tr("Notes are part of the audit trail and the report."), editorBox);
    hint->setStyleSheet(QStringLiteral("color: palette(mid);"));
    m_add = new QPushButton(tr("Add note"), editorBox);
    buttons->addWidget(hint, 1);
    buttons->addWidget(m_add);
    editorLayout->addWidget(m_editor, 1);
    editorLayout->addLayout(buttons);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    layout->addWidget(split);

    auto add = [this] {
        if (m_caseId <= 0 || m_editor->toPlainText().trimmed().isEmpty())
            return;
        m_service->addNote(m_caseId, m_analyst, m_editor->toPlainText());
        m_editor->clear();
    };
    connect(m_add, &QPushButton::clicked, this, add);
    auto *shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), m_editor);
    shortcut->setContext(Qt::WidgetShortcut);
    connect(shortcut, &QShortcut::activated, this, add);
    connect(m_editor, &QPlainTextEdit::textChanged, this, &NotesPanel::updateWidgets);
    connect(m_service, &WorkbenchService::notesLoaded, this,
            [this](qint64 caseId, const std::vector<Note> &notes) {
                if (caseId == m_caseId)
                    render(notes);
            });
    updateWidgets();
}

void NotesPanel::setCase(qint64 caseId)
{
    m_caseId = caseId;
    m_history->clear();
    updateWidgets();
    if (caseId > 0)
        m_service->loadNotes(caseId);
}

void NotesPanel::render(const std::vector<Note> &notes)
{
    // Markdown without raw HTML: a note cannot inject markup into the view.
    QString md;
    for (const Note &n : notes) {
        QString author = n.author;
        author.replace(QLatin1Char('*'), QStringLiteral("\\*"))
            .replace(QLatin1Char('_'), QStringLiteral("\\_"));
        md += QStringLiteral("**%1** — %2 UTC\n\n%3\n\n---\n\n")
                  .arg(author, fmt::dateTime(n.createdAt), n.body);
    }
    if (notes.empty())
        md = tr("*No notes yet.*");
    m_history->document()->setMarkdown(
        md, QTextDocument::MarkdownFeatures(QTextDocument::MarkdownDialectGitHub |
                                            QTextDocument::MarkdownNoHTML));
}

void NotesPanel::updateWidgets()
{
    m_add->setEnabled(m_caseId > 0 && !m_editor->toPlainText().trimmed().isEmpty());
    m_editor->setEnabled(m_caseId > 0);
}

} // namespace causa
