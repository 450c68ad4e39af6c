#include "commandlinepanel.h"
#include "modelformat.h"

#include "cmdline/commandlineanalyzer.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBlock>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <algorithm>
#include <numeric>

namespace causa {

namespace {

QPlainTextEdit *monoView(QWidget *parent, const QString &placeholder)
{
    auto *e = new QPlainTextEdit(parent);
    e->setReadOnly(true);
    e->setPlaceholderText(placeholder);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    e->setFont(mono);
    e->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    e->setWordWrapMode(QTextOption::WrapAnywhere); // base64 has no spaces to break at
    return e;
}

QWidget *titled(const QString &title, QWidget *content, QPlainTextEdit *copyFrom, QWidget *parent)
{
    auto *box = new QWidget(parent);
    auto *l = new QVBoxLayout(box);
    l->setContentsMargins(0, 0, 0, 0);
    auto *head = new QHBoxLayout;
    auto *label = new QLabel(title, box);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    head->addWidget(label);
    head->addStretch();
    if (copyFrom) {
        auto *copy = new QPushButton(QObject::tr("Copy"), box);
        copy->setFlat(true);
        QObject::connect(copy, &QPushButton::clicked, box, [copyFrom] {
            QApplication::clipboard()->setText(copyFrom->toPlainText());
        });
        head->addWidget(copy);
    }
    l->addLayout(head);
    l->addWidget(content, 1);
    return box;
}

QTableWidget *table(const QStringList &headers, QWidget *parent)
{
    auto *t = new QTableWidget(parent);
    t->setColumnCount(int(headers.size()));
    t->setHorizontalHeaderLabels(headers);
    t->verticalHeader()->hide();
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->horizontalHeader()->setStretchLastSection(true);
    t->setWordWrap(false);
    t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 6);
    return t;
}

} // namespace

CommandLinePanel::CommandLinePanel(QWidget *parent) : QWidget(parent)
{
    // Verdict across the top; below it the lines beside the original and decoded text, and
    // under those, across the page's whole width, the layers beside findings and indicators.
    // The tables had a third of the text column each, which cut their values off.
    auto *layout = new QVBoxLayout(this);
    m_verdict = new QLabel(this);
    m_verdict->setTextFormat(Qt::PlainText);
    m_verdict->setWordWrap(true);
    layout->addWidget(m_verdict);
    auto *vsplit = new QSplitter(Qt::Vertical, this);
    auto *outer = m_outer = new QSplitter(Qt::Horizontal, vsplit);
    m_lines = new QListWidget(outer);
    m_lines->setUniformItemSizes(true);
    m_lines->setMinimumWidth(190);
    // A long list of roles elides (the tooltip has it whole) instead of scrolling sideways.
    m_lines->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_lines->setTextElideMode(Qt::ElideRight);
    auto *texts = new QSplitter(Qt::Horizontal, outer);
    m_parentText = monoView(texts, tr("Original command line"));
    m_decoded = monoView(texts, tr("Decoded text"));
    texts->addWidget(titled(tr("Original / parent layer"), m_parentText, m_parentText, texts));
    texts->addWidget(titled(tr("Decoded (final layer)"), m_decoded, m_decoded, texts));
    auto *lower = m_lower = new QSplitter(Qt::Horizontal, vsplit);
    m_layers = new QListWidget(lower);
    m_details = new QTabWidget(lower);
    m_details->setDocumentMode(true);
    m_findings =
        table({tr("Category"), tr("ATT&CK"), tr("Tactic"), tr("Weight"), tr("+Score"), tr("Match")},
              m_details);
    m_indicators = table({tr("Type"), tr("Value"), tr("As written"), tr("Internal")}, m_details);
    m_details->addTab(m_findings, tr("Findings"));
    m_details->addTab(m_indicators, tr("Indicators"));
    lower->addWidget(titled(tr("Layers"), m_layers, nullptr, lower));
    lower->addWidget(m_details);
    lower->setStretchFactor(0, 1);
    lower->setStretchFactor(1, 4);
    outer->setStretchFactor(0, 1);
    outer->setStretchFactor(1, 4);
    vsplit->setStretchFactor(0, 3);
    vsplit->setStretchFactor(1, 2);
    layout->addWidget(vsplit, 1);

    connect(m_lines, &QListWidget::currentRowChanged, this, [this](int row) {
        if (QListWidgetItem *item = m_lines->item(row))
            showCommandLine(item->data(Qt::UserRole).toString());
    });
    connect(m_layers, &QListWidget::currentRowChanged, this, &CommandLinePanel::selectLayer);
    connect(&m_watcher, &QFutureWatcher<AnalysisResult>::finished, this, [this] {
        m_result = m_watcher.result();
        render();
        Q_EMIT analysed();
    });
}

void CommandLinePanel::setDetail(const CaseDetail &detail)
{
    m_lines->clear();
    QStringList seen;
    for (const StoredProcess &p : detail.processes) {
        const QString line = p.process.commandLine;
        if (line.trimmed().isEmpty() || seen.contains(line))
            continue;
        seen << line;
        const QString label =
            QStringLiteral("%1  (%2)").arg(p.process.imageName, p.roles.join(QStringLiteral(", ")));
        auto *item = new QListWidgetItem(label, m_lines);
        item->setData(Qt::UserRole, line);
        item->setToolTip(fmt::plainToolTip(label + QLatin1Char('\n') + line));
    }
    if (m_lines->count() > 0)
        m_lines->setCurrentRow(0);
    // The list is as wide as its longest entry ("powershell.exe  (action@31337, …)"), within
    // a third of the page: a fixed narrow column cut the roles off.
    fitFirstPane(m_outer, m_lines, width() / 3);
}

void CommandLinePanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // Lists filled while the page was hidden had no width to measure against.
    fitFirstPane(m_outer, m_lines, width() / 3);
    fitFirstPane(m_lower, m_layers, m_lower->width() / 4);
}

void CommandLinePanel::fitFirstPane(QSplitter *splitter, QListWidget *list, int cap)
{
    const int wanted = list->sizeHintForColumn(0) + 2 * list->frameWidth() +
                       list->verticalScrollBar()->sizeHint().width() + 8;
    QList<int> sizes = splitter->sizes();
    if (sizes.size() < 2 || cap <= 0)
        return;
    const int first = std::clamp(wanted, list->minimumWidth(), std::max(list->minimumWidth(), cap));
    const int total = std::accumulate(sizes.cbegin(), sizes.cend(), 0);
    if (total <= first)
        return;
    const int rest = total - first;
    const int othersBefore = total - sizes.front();
    for (int i = 1; i < sizes.size(); ++i)
        sizes[i] = othersBefore > 0 ? int(qint64(sizes[i]) * rest / othersBefore)
                                    : rest / int(sizes.size() - 1);
    sizes.front() = first;
    splitter->setSizes(sizes);
}

bool CommandLinePanel::selectCommandLine(const QString &commandLine)
{
    for (int row = 0; row < m_lines->count(); ++row)
        if (m_lines->item(row)->data(Qt::UserRole).toString() == commandLine) {
            m_lines->setCurrentRow(row);
            return true;
        }
    return false;
}

void CommandLinePanel::showCommandLine(const QString &commandLine)
{
    // Static analysis only; a hostile multi-megabyte line must not freeze the window.
    if (m_runner) {
        m_watcher.setFuture(m_runner(commandLine));
        return;
    }
    m_watcher.setFuture(QtConcurrent::run(
        [commandLine] { return sharedCommandLineAnalyzer().analyze(commandLine); }));
}

void CommandLinePanel::render()
{
    const AnalysisResult &r = m_result;
    m_verdict->setText(tr("Verdict: %1 · score %2 (%3) · XSOAR %4 (%5) · LOLBins: %6")
                           .arg(r.verdict)
                           .arg(r.score)
                           .arg(r.risk)
                           .arg(r.xsoarScore)
                           .arg(r.xsoarRisk, r.lolbins.isEmpty()
                                                 ? tr("none")
                                                 : r.lolbins.join(QStringLiteral(", "))));
    m_verdict->setStyleSheet(r.verdict == QLatin1String("malicious")
                                 ? QStringLiteral("color:#c0392b;font-weight:700;")
                             : r.verdict == QLatin1String("suspicious")
                                 ? QStringLiteral("color:#d68910;font-weight:700;")
                                 : QString());
    m_decoded->setPlainText(r.decoded.isEmpty() ? r.commandLine : r.decoded);
    m_layers->clear();
    m_layers->addItem(tr("0 · original"));
    for (int i = 0; i < r.layers.size(); ++i) {
        const DecodeLayer &l = r.layers.at(i);
        auto *item = new QListWidgetItem(
            QStringLiteral("%1 · %2  [%3–%4]").arg(i + 1).arg(l.transform).arg(l.start).arg(l.end),
            m_layers);
        if (!l.note.isEmpty())
            item->setToolTip(fmt::plainToolTip(l.note));
    }
    fitFirstPane(m_outer, m_lines, width() / 3);
    fitFirstPane(m_lower, m_layers, m_lower->width() / 4);
    m_findings->setRowCount(int(r.findings.size()));
    for (int i = 0; i < r.findings.size(); ++i) {
        const Finding &f = r.findings.at(i);
        const QStringList cells{f.category,
                                f.mitre,
                                f.tactic,
                                QString::number(f.weight),
                                QString::number(f.contribution),
                                f.match.left(200)};
        for (int c = 0; c < cells.size(); ++c)
            m_findings->setItem(i, c, new QTableWidgetItem(cells.at(c)));
    }
    m_indicators->setRowCount(int(r.indicators.size()));
    for (int i = 0; i < r.indicators.size(); ++i) {
        const ExtractedIndicator &ind = r.indicators.at(i);
        const QStringList cells{ind.type, ind.value, ind.asWritten,
                                ind.internal ? tr("internal") : QString()};
        for (int c = 0; c < cells.size(); ++c)
            m_indicators->setItem(i, c, new QTableWidgetItem(cells.at(c)));
    }
    m_findings->resizeColumnsToContents();
    m_indicators->resizeColumnsToContents();
    m_details->setTabText(0, tr("Findings (%1)").arg(r.findings.size()));
    m_details->setTabText(1, tr("Indicators (%1)").arg(r.indicators.size()));
    m_layers->setCurrentRow(r.layers.isEmpty() ? 0 : 1);
}

void CommandLinePanel::selectLayer(int row)
{
    const AnalysisResult &r = m_result;
    if (row <= 0 || row > r.layers.size()) {
        m_parentText->setPlainText(r.commandLine);
        m_parentText->setExtraSelections({});
        return;
    }
    // Layer k came from a span of layer k-1: show the parent with that span highlighted.
    const DecodeLayer &layer = r.layers.at(row - 1);
    const QString parent = row == 1 ? r.commandLine : r.layers.at(row - 2).text;
    m_parentText->setPlainText(parent);
    QTextEdit::ExtraSelection sel;
    sel.format.setBackground(QColor(0xff, 0xe0, 0x82));
    sel.format.setForeground(Qt::black);
    QTextCursor cursor(m_parentText->document());
    cursor.setPosition(int(std::clamp<qsizetype>(layer.start, 0, parent.size())));
    cursor.setPosition(int(std::clamp<qsizetype>(layer.end, 0, parent.size())),
                       QTextCursor::KeepAnchor);
    sel.cursor = cursor;
    m_parentText->setExtraSelections({sel});
    m_parentText->setTextCursor(cursor);
    m_parentText->ensureCursorVisible();
}

} // namespace causa
