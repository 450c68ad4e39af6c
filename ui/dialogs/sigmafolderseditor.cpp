#include "sigmafolderseditor.h"

#include <QDir>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace causa {

SigmaFoldersEditor::SigmaFoldersEditor(const QStringList &folders, QWidget *parent)
    : QWidget(parent)
{
    auto *intro = new QLabel(
        tr("The project's Sigma rule pack always runs. Add your team's rule folders (searched "
           "with their subfolders for *.yml and *.yaml): playbook stage 4c and the Hunt page "
           "run them too. A rule Causa cannot run is skipped, never guessed."),
        this);
    intro->setWordWrap(true);
    m_table = new QTableWidget(0, 3, this);
    m_table->setHorizontalHeaderLabels({tr("Folder"), tr("Rules"), tr("Skipped")});
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setTextElideMode(Qt::ElideMiddle);
    m_table->setWordWrap(false);
    m_browse = new QPushButton(tr("Browse…"), this);
    m_browse->setToolTip(tr("Add a folder of Sigma rules"));
    m_remove = new QPushButton(tr("Remove"), this);
    m_recheck = new QPushButton(tr("Check again"), this);
    m_recheck->setToolTip(tr("Read the folders again (after rules were added or edited)"));
    m_problem = new QLabel(this);
    m_problem->setTextFormat(Qt::PlainText); // folder paths are the analyst's, but still text
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_skippedView = new QPlainTextEdit(this);
    m_skippedView->setReadOnly(true);
    m_skippedView->setPlaceholderText(tr("Select a folder to see the rules it skipped and why."));
    m_skippedView->setFixedHeight(m_skippedView->fontMetrics().lineSpacing() * 5 + 12);
    m_skippedView->setLineWrapMode(QPlainTextEdit::NoWrap);

    auto *buttons = new QVBoxLayout;
    buttons->addWidget(m_browse);
    buttons->addWidget(m_remove);
    buttons->addWidget(m_recheck);
    buttons->addStretch(1);
    auto *row = new QHBoxLayout;
    row->addWidget(m_table, 1);
    row->addLayout(buttons);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(intro);
    layout->addLayout(row, 1);
    layout->addWidget(m_problem);
    layout->addWidget(new QLabel(tr("Skipped rules of the selected folder:"), this));
    layout->addWidget(m_skippedView);

    connect(m_browse, &QPushButton::clicked, this, &SigmaFoldersEditor::browse);
    connect(m_remove, &QPushButton::clicked, this, &SigmaFoldersEditor::removeCurrent);
    connect(m_recheck, &QPushButton::clicked, this, [this] {
        for (const QString &f : this->folders())
            startCheck(f);
    });
    connect(m_table, &QTableWidget::currentCellChanged, this, &SigmaFoldersEditor::updateWidgets);
    for (const QString &f : folders)
        addFolder(f);
    updateWidgets();
}

QStringList SigmaFoldersEditor::folders() const
{
    QStringList out;
    for (int row = 0; row < m_table->rowCount(); ++row)
        out << m_table->item(row, 0)->data(Qt::UserRole).toString();
    return out;
}

bool SigmaFoldersEditor::addFolder(const QString &folder)
{
    const QString path = QDir::cleanPath(folder.trimmed());
    if (path.isEmpty() || folders().contains(path))
        return false;
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    auto *item = new QTableWidgetItem(QDir::toNativeSeparators(path));
    item->setData(Qt::UserRole, path);
    m_table->setItem(row, 0, item);
    m_table->setItem(row, 1, new QTableWidgetItem);
    m_table->setItem(row, 2, new QTableWidgetItem);
    m_table->setCurrentCell(row, 0);
    startCheck(path);
    Q_EMIT changed();
    return true;
}

void SigmaFoldersEditor::removeCurrent()
{
    const int row = m_table->currentRow();
    if (row < 0)
        return;
    m_checks.erase(m_table->item(row, 0)->data(Qt::UserRole).toString());
    m_table->removeRow(row);
    updateWidgets();
    Q_EMIT changed();
}

void SigmaFoldersEditor::browse()
{
    const QString start =
        m_table->currentRow() >= 0 ? folders().value(m_table->currentRow()) : QDir::homePath();
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Sigma rule folder"), start);
    if (!dir.isEmpty())
        addFolder(dir);
}

void SigmaFoldersEditor::startCheck(const QString &folder)
{
    m_checks.erase(folder);
    for (int row = 0; row < m_table->rowCount(); ++row)
        if (m_table->item(row, 0)->data(Qt::UserRole).toString() == folder)
            updateRow(row);
    auto *watcher = new QFutureWatcher<sigma::RuleFolderCheck>(this);
    connect(watcher, &QFutureWatcher<sigma::RuleFolderCheck>::finished, this,
            [this, watcher, folder] {
                watcher->deleteLater();
                if (!folders().contains(folder)) // removed meanwhile
                    return;
                m_checks[folder] = watcher->result();
                for (int row = 0; row < m_table->rowCount(); ++row)
                    if (m_table->item(row, 0)->data(Qt::UserRole).toString() == folder)
                        updateRow(row);
                updateWidgets();
                Q_EMIT folderChecked(folder);
                Q_EMIT changed();
            });
    watcher->setFuture(QtConcurrent::run([folder] { return sigma::checkRuleFolder(folder); }));
}

void SigmaFoldersEditor::updateRow(int row)
{
    const QString folder = m_table->item(row, 0)->data(Qt::UserRole).toString();
    const sigma::RuleFolderCheck *c = check(folder);
    QTableWidgetItem *rules = m_table->item(row, 1);
    QTableWidgetItem *skipped = m_table->item(row, 2);
    const QBrush normal = palette().brush(QPalette::Text);
    if (!c) {
        rules->setText(tr("checking…"));
        skipped->setText(QString());
        rules->setForeground(normal);
    } else if (!c->error.isEmpty()) {
        rules->setText(c->error);
        skipped->setText(QString());
        rules->setForeground(QColor(0xc6, 0x28, 0x28));
    } else {
        rules->setText(QString::number(c->loaded));
        skipped->setText(QString::number(c->skipped.size()));
        rules->setForeground(normal);
    }
    m_table->item(row, 0)->setToolTip(
        QStringLiteral("<span>%1</span>").arg(QDir::toNativeSeparators(folder).toHtmlEscaped()));
}

bool SigmaFoldersEditor::isValid() const
{
    return problem().isEmpty();
}

QString SigmaFoldersEditor::problem() const
{
    for (const QString &f : folders())
        if (const sigma::RuleFolderCheck *c = check(f); c && !c->error.isEmpty())
            return tr("%1: %2. Remove it or restore the folder; stage 4c and the Hunt page would skip it.")
                .arg(QDir::toNativeSeparators(f), c->error);
    return {};
}

bool SigmaFoldersEditor::checked() const
{
    for (const QString &f : folders())
        if (!check(f))
            return false;
    return true;
}

const sigma::RuleFolderCheck *SigmaFoldersEditor::check(const QString &folder) const
{
    const auto it = m_checks.find(folder);
    return it == m_checks.end() ? nullptr : &it->second;
}

void SigmaFoldersEditor::updateWidgets()
{
    const int row = m_table->currentRow();
    m_remove->setEnabled(row >= 0);
    m_recheck->setEnabled(m_table->rowCount() > 0);
    const QString p = problem();
    m_problem->setText(p);
    m_problem->setVisible(!p.isEmpty());
    const sigma::RuleFolderCheck *c = row >= 0 ? check(folders().value(row)) : nullptr;
    QString text;
    if (c && c->error.isEmpty()) {
        for (const sigma::SkippedRule &s : c->skipped)
            text += QDir::toNativeSeparators(s.path) + QStringLiteral(": ") + s.reason +
                    QLatin1Char('\n');
        if (c->skipped.empty())
            text = tr("No rule skipped: all %n rule(s) of this folder load.", nullptr, c->loaded);
    }
    m_skippedView->setPlainText(text.trimmed());
}

} // namespace causa
