#include "enrichmentpanel.h"

#include "enrichmentmodel.h"
#include "modelformat.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace causa {

EnrichmentPanel::EnrichmentPanel(QWidget *parent)
    : QWidget(parent), m_model(new EnrichmentModel(this)), m_summary(new QLabel(this)),
      m_view(new QTreeView(this)), m_preview(new QPlainTextEdit(this)),
      m_selected(new QLabel(this)), m_score(new QComboBox(this)), m_reason(new QLineEdit(this)),
      m_setVerdict(new QPushButton(tr("Set verdict"), this)),
      m_enrich(new QPushButton(tr("Enrich now"), this)),
      m_offline(new QCheckBox(tr("Offline"), this))
{
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);
    auto *top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_offline);
    top->addWidget(m_enrich);

    m_view->setModel(m_model);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->header()->setStretchLastSection(true);
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, &EnrichmentPanel::showContextMenu);

    m_preview->setReadOnly(true);
    m_preview->setPlaceholderText(tr("Nothing would leave this machine."));
    m_preview->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_preview->setFont(QFont(QStringLiteral("monospace")));
    auto *previewBox = new QGroupBox(tr("What would be sent"), this);
    auto *previewLayout = new QVBoxLayout(previewBox);
    previewLayout->addWidget(m_preview);

    m_score->addItem(tr("Malicious (3)"), 3);
    m_score->addItem(tr("Suspicious (2)"), 2);
    m_score->addItem(tr("Good (1)"), 1);
    m_score->addItem(tr("Unknown (0)"), 0);
    m_reason->setPlaceholderText(tr("Why (required, goes to the audit log)"));
    m_selected->setTextFormat(Qt::PlainText);
    m_selected->setWordWrap(true);
    auto *verdictBox = new QGroupBox(tr("Manual verdict"), this);
    auto *form = new QFormLayout(verdictBox);
    form->addRow(tr("Indicator:"), m_selected);
    form->addRow(tr("Verdict:"), m_score);
    form->addRow(tr("Reason:"), m_reason);
    form->addRow(QString(), m_setVerdict);

    auto *bottom = new QWidget(this);
    auto *bottomLayout = new QHBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addWidget(previewBox, 3);
    bottomLayout->addWidget(verdictBox, 2);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(bottom);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        updateWidgets();
        updatePreview();
    });
    connect(m_reason, &QLineEdit::textChanged, this, &EnrichmentPanel::updateWidgets);
    connect(m_setVerdict, &QPushButton::clicked, this, [this] {
        const qint64 id = selectedIndicator();
        if (id > 0 && !m_reason->text().trimmed().isEmpty())
            Q_EMIT manualVerdictRequested(id, m_score->currentData().toInt(),
                                          m_reason->text().trimmed());
    });
    connect(m_enrich, &QPushButton::clicked, this,
            [this] { Q_EMIT enrichRequested(m_offline->isChecked()); });
    updateWidgets();
}

void EnrichmentPanel::showContextMenu(const QPoint &pos)
{
    const IndicatorEnrichment *e = m_model->indicatorAt(m_view->indexAt(pos));
    if (!e)
        return;
    static const std::map<QString, QString> kinds = {
        {QStringLiteral("sha256"), QStringLiteral("block_hash")},
        {QStringLiteral("ipv4"), QStringLiteral("block_ip")},
        {QStringLiteral("ipv6"), QStringLiteral("block_ip")},
        {QStringLiteral("url"), QStringLiteral("block_url")},
        {QStringLiteral("domain"), QStringLiteral("block_domain")},
        {QStringLiteral("user"), QStringLiteral("disable_user")}};
    QMenu menu(this);
    const QString value = e->value;
    const qint64 id = e->indicatorId;
    if (const auto it = kinds.find(e->type); it != kinds.end()) {
        const QString kind = it->second;
        menu.addAction(tr("Propose: %1 %2…")
                           .arg(kind, value.size() > 40 ? value.left(39) + QChar(0x2026) : value),
                       this, [this, kind, value] { Q_EMIT proposeActionRequested(kind, value); });
    }
    menu.addAction(tr("Mark TLP / PAP…"), this,
                   [this, id, value] { Q_EMIT markIndicatorRequested(id, value); });
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

void EnrichmentPanel::setReport(EnrichmentReport report, qint64 now)
{
    const qint64 keep = selectedIndicator();
    int malicious = 0, suspicious = 0;
    for (const IndicatorEnrichment &e : report.indicators) {
        malicious += e.mergedScore == Score::Malicious;
        suspicious += e.mergedScore == Score::Suspicious;
    }
    QString summary = tr("%n indicator(s)", nullptr, int(report.indicators.size())) +
                      tr(" · %1 malicious · %2 suspicious").arg(malicious).arg(suspicious);
    if (report.offline)
        summary += tr(" · offline");
    for (const QString &note : report.notes)
        summary += QStringLiteral("\n") + fmt::oneLine(note, 200);
    m_summary->setText(summary);
    m_offline->setChecked(report.offline);
    m_model->setReport(std::move(report), now);
    m_view->expandAll();
    for (int c = 0; c < EnrichmentModel::DetailColumn; ++c)
        m_view->resizeColumnToContents(c);
    // The indicator column gives way (hashes elide in the middle) so that the details, what a
    // provider said ("signed by…", "listed by…"), keep a readable width; at 420 px it left them
    // five characters in a 1400 px window.
    int others = 0;
    for (int c = EnrichmentModel::VerdictColumn; c < EnrichmentModel::DetailColumn; ++c)
        others += m_view->columnWidth(c);
    const int detailRoom = m_view->fontMetrics().horizontalAdvance(QLatin1Char('m')) * 16;
    const int cap = std::clamp(m_view->viewport()->width() - others - detailRoom, 240, 420);
    m_view->setColumnWidth(EnrichmentModel::IndicatorColumn,
                           std::min(m_view->columnWidth(EnrichmentModel::IndicatorColumn), cap));
    if (keep > 0)
        selectIndicator(keep);
    updateWidgets();
    updatePreview();
}

void EnrichmentPanel::setPreview(std::vector<OutboundRequest> requests)
{
    m_requests = std::move(requests);
    updatePreview();
}

QString EnrichmentPanel::previewText() const
{
    return m_preview->toPlainText();
}

void EnrichmentPanel::selectIndicator(qint64 indicatorId)
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex idx = m_model->index(row, 0);
        if (idx.data(EnrichmentModel::IndicatorIdRole).toLongLong() == indicatorId) {
            m_view->setCurrentIndex(idx);
            return;
        }
    }
}

bool EnrichmentPanel::selectIndicatorValue(const QString &value)
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex idx = m_model->index(row, 0);
        if (idx.data(EnrichmentModel::ValueRole).toString() == value) {
            m_view->setCurrentIndex(idx);
            m_view->scrollTo(idx);
            return true;
        }
    }
    return false;
}

qint64 EnrichmentPanel::selectedIndicator() const
{
    const IndicatorEnrichment *e = m_model->indicatorAt(m_view->currentIndex());
    return e ? e->indicatorId : 0;
}

void EnrichmentPanel::updatePreview()
{
    const qint64 only = selectedIndicator();
    QStringList lines;
    for (const OutboundRequest &r : m_requests) {
        if (only > 0 && r.indicatorId != only)
            continue;
        lines << QStringLiteral("%1 %2").arg(QString::fromLatin1(r.method),
                                             r.url.toString(QUrl::FullyEncoded));
        for (const auto &[h, v] : r.headers)
            lines
                << QStringLiteral("    %1: %2").arg(QString::fromLatin1(h), QString::fromLatin1(v));
    }
    m_preview->setPlainText(lines.join(QLatin1Char('\n')));
}

void EnrichmentPanel::updateWidgets()
{
    const IndicatorEnrichment *e = m_model->indicatorAt(m_view->currentIndex());
    m_selected->setText(e ? QStringLiteral("%1 %2").arg(e->type, fmt::oneLine(e->value, 80))
                          : tr("(select an indicator)"));
    m_score->setEnabled(e != nullptr);
    m_reason->setEnabled(e != nullptr);
    m_setVerdict->setEnabled(e != nullptr && !m_reason->text().trimmed().isEmpty());
}

} // namespace causa
