#include "auditpanel.h"

#include "auditmodel.h"
#include "modelformat.h"
#include "recordtable.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace causa {

AuditPanel::AuditPanel(CasePagesService *service, QWidget *parent)
    : QWidget(parent), m_service(service)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    auto *bar = new QHBoxLayout;
    m_verify = new QPushButton(tr("Verify chain"), this);
    m_verify->setToolTip(
        tr("Recompute every entry's SHA-256 over the previous hash and its fields"));
    m_verdict = new QLabel(this);
    m_verdict->setTextFormat(Qt::PlainText);
    m_verdict->setWordWrap(true);
    m_head = new QLabel(this);
    m_head->setTextFormat(Qt::PlainText);
    m_head->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bar->addWidget(m_verify);
    bar->addWidget(m_verdict, 1);
    layout->addLayout(bar);
    layout->addWidget(m_head);

    auto *split = new QSplitter(Qt::Vertical, this);
    m_model = new AuditModel(this);
    m_view = makeRecordTable(m_model, split);
    const QFontMetrics fm = m_view->fontMetrics();
    m_view->setColumnWidth(AuditModel::SeqColumn,
                           fm.horizontalAdvance(QStringLiteral("99999")) + 12);
    m_view->setColumnWidth(AuditModel::TimeColumn,
                           fm.horizontalAdvance(QStringLiteral("2026-11-27 23:59:59")) + 16);
    // Actors are analyst names or "playbook"; kinds run up to "action.awaiting_approval".
    m_view->setColumnWidth(AuditModel::ActorColumn,
                           fm.horizontalAdvance(QStringLiteral("analyst.name")) + 16);
    m_view->setColumnWidth(AuditModel::KindColumn,
                           fm.horizontalAdvance(QStringLiteral("action.awaiting_approval")) + 16);
    m_detail = new QPlainTextEdit(split);
    m_detail->setReadOnly(true);
    m_detail->setPlaceholderText(tr("Select an entry to see its payload and hashes"));
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    split->addWidget(m_view);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);

    connect(m_verify, &QPushButton::clicked, this, &AuditPanel::verify);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { showEntry(current.row()); });
    connect(m_service, &CasePagesService::auditLoaded, this,
            [this](qint64 caseId, const std::vector<AuditEntry> &entries) {
                if (caseId != m_caseId)
                    return;
                m_model->setEntries(entries);
                m_head->setText(entries.empty()
                                    ? tr("No audit entries yet")
                                    : tr("%n entries · head %1", nullptr, int(entries.size()))
                                          .arg(entries.back().hash));
                m_verdict->clear();
                m_verdict->setStyleSheet(QString());
                Q_EMIT entriesShown();
            });
    connect(m_service, &CasePagesService::auditVerified, this,
            [this](qint64 caseId, const AuditVerification &v) {
                if (caseId != m_caseId)
                    return;
                m_verify->setEnabled(true);
                if (v.intact) {
                    m_verdict->setText(
                        tr("OK — the chain of %n entries is intact", nullptr, int(v.entries)));
                    m_verdict->setStyleSheet(QStringLiteral("color: #2e9d5b; font-weight: bold;"));
                    m_model->setBrokenSeq(-1);
                } else {
                    m_verdict->setText(
                        tr("BROKEN at entry #%1: %2").arg(v.firstBadSeq).arg(v.problem));
                    m_verdict->setStyleSheet(QStringLiteral("color: #e53935; font-weight: bold;"));
                    m_model->setBrokenSeq(v.firstBadSeq);
                    const int row = m_model->rowOfSeq(v.firstBadSeq);
                    if (row >= 0) {
                        m_view->setCurrentIndex(m_model->index(row, 0));
                        m_view->scrollTo(m_model->index(row, 0));
                    }
                }
                Q_EMIT verified(v.intact);
            });
}

void AuditPanel::setCase(qint64 caseId)
{
    m_caseId = caseId;
    m_detail->clear();
    m_service->loadAudit(caseId);
}

void AuditPanel::verify()
{
    if (m_caseId == 0)
        return;
    m_verify->setEnabled(false);
    m_verdict->setStyleSheet(QString());
    m_verdict->setText(tr("Verifying…"));
    m_service->verifyAudit(m_caseId);
}

QString AuditPanel::verdictText() const
{
    return m_verdict->text();
}

QString AuditPanel::detailText() const
{
    return m_detail->toPlainText();
}

void AuditPanel::showEntry(int row)
{
    const AuditEntry *e = m_model->entryAt(row);
    if (!e) {
        m_detail->clear();
        return;
    }
    const QJsonDocument doc = QJsonDocument::fromJson(e->payload.toUtf8());
    const QString payload =
        doc.isNull() ? e->payload : QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
    m_detail->setPlainText(
        tr("#%1 · %2 UTC · %3 · %4\nprevious hash %5\nhash          %6\n\n%7")
            .arg(e->seq)
            .arg(fmt::dateTime(e->timestamp), e->actor, e->kind, e->prevHash, e->hash, payload));
}

} // namespace causa
