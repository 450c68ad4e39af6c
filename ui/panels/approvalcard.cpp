#include "approvalcard.h"
#include "modelformat.h"

#include "dialogs/decisiondialog.h"
#include "playbookstagemodel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace causa {

namespace {

QLabel *plainLabel(const QString &text, QWidget *parent)
{
    auto *l = new QLabel(text, parent);
    l->setTextFormat(Qt::PlainText);
    // Wraps to the viewport width. The label keeps the size policy setWordWrap() gave it: a
    // policy set afterwards drops its height-for-width, and the card then took each line's
    // height from a guessed width (blank lines in a wide pane, overlapping ones in a short one).
    l->setWordWrap(true);
    return l;
}

// A hash or URL cannot wrap: words longer than max are cut in the middle.
QString shortenLongWords(const QString &text, int max)
{
    QStringList words = text.split(QLatin1Char(' '));
    for (QString &w : words)
        if (w.size() > max)
            w = w.left(max / 2 - 2) + QChar(0x2026) + w.right(max / 2 - 2);
    return words.join(QLatin1Char(' '));
}

} // namespace

ApprovalCard::ApprovalCard(const ActionRecord &a, Decide decide, QWidget *parent) : QFrame(parent)
{
    setFrameShape(QFrame::StyledPanel);
    auto *v = new QVBoxLayout(this);
    // The target in the head is shortened too; its tooltip carries it whole.
    const QString shortTarget = shortenLongWords(a.target, 40);
    const QColor colour = PlaybookStageModel::stateColour(toText(a.state));
    auto *head =
        new QLabel(QStringLiteral("<b>#%1 %2</b> — %3 <span style='color:%4'>[%5]</span>%6")
                       .arg(a.id)
                       .arg(a.kind.toHtmlEscaped(), shortTarget.toHtmlEscaped(),
                            (colour.isValid() ? colour : palette().color(QPalette::Text)).name(),
                            fmt::stateLabel(toText(a.state)).toHtmlEscaped(),
                            a.stageId == QLatin1String("adhoc")
                                ? QStringLiteral(" <i>(proposed by an analyst)</i>")
                                : QString()),
                   this);
    head->setTextFormat(Qt::RichText);
    head->setToolTip(fmt::plainToolTip(a.target));
    head->setWordWrap(true);
    v->addWidget(head);
    // Long hashes and URLs are shortened in the middle so that the card fits a narrow pane; the
    // tooltips carry the whole text.
    auto *why = plainLabel(tr("Why: %1").arg(shortenLongWords(a.rationale, 48)), this);
    why->setToolTip(fmt::plainToolTip(a.rationale));
    v->addWidget(why);
    // key = value pairs separated by spaces wrap; one-line JSON would push the buttons away.
    QStringList pairs;
    for (const auto &[k, val] : a.payload.items())
        pairs << QStringLiteral("%1 = %2").arg(QString::fromStdString(k),
                                               val.is_string()
                                                   ? QString::fromStdString(val.get<std::string>())
                                                   : QString::fromStdString(val.dump()));
    const QString payloadText = pairs.join(QStringLiteral("  ·  "));
    auto *payload = plainLabel(tr("Payload: %1").arg(shortenLongWords(payloadText, 48)), this);
    payload->setToolTip(fmt::plainToolTip(payloadText));
    payload->setStyleSheet(QStringLiteral("font-family: monospace; color: palette(mid);"));
    v->addWidget(payload);
    QStringList who;
    for (const ApprovalRecord &ap : a.approvals)
        who << QStringLiteral("%1 %2%3").arg(ap.decision, ap.approver,
                                             ap.note.isEmpty() ? QString()
                                                               : QStringLiteral(": ") + ap.note);
    if (a.requiredApprovals > 1)
        who << tr("needs %1 different approvers").arg(a.requiredApprovals);
    if (!who.isEmpty())
        v->addWidget(plainLabel(tr("Decisions: %1").arg(who.join(QStringLiteral("; "))), this));
    if (a.state != ActionState::AwaitingApproval)
        return;
    auto *row = new QHBoxLayout;
    auto *approve = new QPushButton(tr("Approve"), this);
    auto *reject = new QPushButton(tr("Reject…"), this);
    row->addStretch(1);
    row->addWidget(reject);
    row->addWidget(approve);
    v->addLayout(row);
    const qint64 id = a.id;
    connect(approve, &QPushButton::clicked, this, [decide, id] { decide(id, true, QString()); });
    connect(reject, &QPushButton::clicked, this,
            [this, decide, id, kind = a.kind, target = a.target] {
                DecisionDialog dialog(tr("Reject action"), tr("Reject %1 on %2?").arg(kind, target),
                                      this);
                if (dialog.exec() == QDialog::Accepted)
                    decide(id, false, dialog.reason());
            });
}

} // namespace causa
