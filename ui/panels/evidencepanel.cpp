#include "evidencepanel.h"
#include "plainmessage.h"

#include "evidencemodel.h"
#include "modelformat.h"
#include "recordtable.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace causa {

EvidencePanel::EvidencePanel(CasePagesService *service, QWidget *parent)
    : QWidget(parent), m_service(service)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    auto *bar = new QHBoxLayout;
    m_count = new QLabel(this);
    m_count->setTextFormat(Qt::PlainText);
    // The empty-case hint is one long sentence: unwrapped, it made the page 938 px wide at least,
    // and the window took the width from the case queue, whose titles were cut to "'R...".
    m_count->setWordWrap(true);
    m_jump = new QPushButton(tr("Go to item"), this);
    m_jump->setToolTip(tr("Open the page that shows this item (Enter)"));
    m_untag = new QPushButton(tr("Untag…"), this);
    m_untag->setToolTip(tr("Remove the evidence tag (recorded in the audit trail)"));
    bar->addWidget(m_count, 1);
    bar->addWidget(m_jump);
    bar->addWidget(m_untag);
    layout->addLayout(bar);

    m_model = new EvidenceModel(this);
    m_view = makeRecordTable(m_model, this);
    const QFontMetrics fm = m_view->fontMetrics();
    m_view->setColumnWidth(EvidenceModel::KindColumn,
                           fm.horizontalAdvance(QStringLiteral("Command line")) + 20);
    // Items name a process with its host ("winupdsvc.exe (PID 3320) · fin-ws-042"); the comment
    // says what was found and takes what the other columns leave, so the time when it was
    // tagged, last, is never pushed off the right edge (a fixed-width comment column did that).
    m_view->setColumnWidth(
        EvidenceModel::ItemColumn,
        fm.horizontalAdvance(QStringLiteral("powershell.exe (PID 31337) · fin-ws-042")) + 16);
    m_view->setColumnWidth(EvidenceModel::ByColumn,
                           fm.horizontalAdvance(QStringLiteral("playbook:remote")) + 12);
    m_view->setColumnWidth(EvidenceModel::TimeColumn,
                           fm.horizontalAdvance(QStringLiteral("2026-11-19 08:53:59")) + 16);
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(EvidenceModel::CommentColumn,
                                                     QHeaderView::Stretch);
    // The selected tag whole, as plain text (labels and comments are data, never markup).
    m_detail = new QPlainTextEdit(this);
    m_detail->setReadOnly(true);
    m_detail->setPlaceholderText(tr("Select a tagged item to read its label and comment whole."));
    auto *split = new QSplitter(Qt::Vertical, this);
    split->setChildrenCollapsible(false);
    split->addWidget(m_view);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);

    connect(m_untag, &QPushButton::clicked, this, &EvidencePanel::untagCurrent);
    connect(m_jump, &QPushButton::clicked, this, &EvidencePanel::jumpToCurrent);
    connect(m_view, &QTableView::activated, this, &EvidencePanel::jumpToCurrent);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &EvidencePanel::updateWidgets);
    connect(m_service, &CasePagesService::evidenceLoaded, this,
            [this](qint64 caseId, const std::vector<EvidenceItem> &items) {
                if (caseId != m_caseId)
                    return;
                m_model->setItems(items);
                m_count->setText(
                    items.empty()
                        ? tr("Nothing tagged yet — right-click an alert, process, event, "
                             "indicator or command line and choose \"Tag as evidence…\" (Ctrl+E)")
                        : tr("%n tagged item(s)", nullptr, int(items.size())));
                updateWidgets();
                Q_EMIT itemsShown();
            });
    updateWidgets();
}

void EvidencePanel::setCase(qint64 caseId)
{
    m_caseId = caseId;
    m_service->loadEvidence(caseId);
}

void EvidencePanel::untagCurrent(bool confirm)
{
    const EvidenceItem *e = m_model->itemAt(m_view->currentIndex().row());
    if (!e)
        return;
    // Destructive: the only confirmation box on this page.
    if (confirm &&
        plainQuestion(
            this, tr("Untag evidence"),
            tr("Remove the evidence tag \"%1\"? The removal is recorded in the audit trail.")
                .arg(e->label.left(120))) != QMessageBox::Yes)
        return;
    m_service->untagEvidence(m_caseId, e->id, m_analyst);
}

void EvidencePanel::jumpToCurrent()
{
    if (const EvidenceItem *e = m_model->itemAt(m_view->currentIndex().row()))
        Q_EMIT jumpRequested(*e);
}

void EvidencePanel::updateWidgets()
{
    const EvidenceItem *e = m_model->itemAt(m_view->currentIndex().row());
    m_untag->setEnabled(e);
    m_jump->setEnabled(e);
    if (!e) {
        m_detail->clear();
        return;
    }
    QStringList lines{
        e->label.isEmpty() ? e->ref : e->label,
        tr("%1 · tagged by %2 at %3 UTC")
            .arg(EvidenceModel::kindLabel(e->kind), e->createdBy, fmt::dateTime(e->createdAt))};
    if (!e->label.isEmpty() && e->ref != e->label)
        lines << tr("Reference: %1").arg(e->ref);
    lines << QString() << (e->detail.isEmpty() ? tr("(no comment)") : e->detail);
    m_detail->setPlainText(lines.join(QLatin1Char('\n')));
}

QString EvidencePanel::detailText() const
{
    return m_detail->toPlainText();
}

} // namespace causa
