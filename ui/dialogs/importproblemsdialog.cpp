#include "importproblemsdialog.h"
#include "modelformat.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QRegularExpression>
#include <QTableWidget>
#include <QVBoxLayout>

namespace causa {

ImportProblemsDialog::Problem ImportProblemsDialog::split(const QString &problem)
{
    // Windows paths have a drive colon ("C:\x.jsonl:12: bad"): the line is the first :N: run.
    static const QRegularExpression re(QStringLiteral("^(.*?)(?::| line) ?(\\d+): (.*)$"),
                                       QRegularExpression::DotMatchesEverythingOption);
    const auto m = re.match(problem);
    if (m.hasMatch())
        return {m.captured(1), m.captured(2), m.captured(3)};
    const qsizetype colon = problem.indexOf(QStringLiteral(": "));
    if (colon > 0)
        return {problem.left(colon), QString(), problem.mid(colon + 2)};
    return {QString(), QString(), problem};
}

ImportProblemsDialog::ImportProblemsDialog(const QStringList &problems, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Import problems"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(
        tr("%n problem(s) reported by the last import. Good records were kept; each line "
           "below was skipped or refused.",
           nullptr, int(problems.size())),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_table = new QTableWidget(int(problems.size()), 3, this);
    m_table->setHorizontalHeaderLabels({tr("File"), tr("Line"), tr("Reason")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    for (int row = 0; row < problems.size(); ++row) {
        const Problem p = split(problems.at(row));
        // A 10 MB line's reason stays readable: the cell shows the start, the tooltip a bit more.
        auto *file = new QTableWidgetItem(QFileInfo(p.file).fileName());
        file->setToolTip(fmt::plainToolTip(p.file));
        auto *line = new QTableWidgetItem(p.line);
        line->setData(Qt::EditRole, p.line.isEmpty() ? QVariant() : QVariant(p.line.toLongLong()));
        auto *reason = new QTableWidgetItem(p.reason.left(500));
        reason->setToolTip(fmt::plainToolTip(p.reason));
        m_table->setItem(row, 0, file);
        m_table->setItem(row, 1, line);
        m_table->setItem(row, 2, reason);
    }
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSortingEnabled(true);
    layout->addWidget(m_table, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(820, 420);
}

} // namespace causa
