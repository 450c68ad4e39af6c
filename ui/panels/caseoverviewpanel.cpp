#include "caseoverviewpanel.h"

#include "alerttablemodel.h"
#include "modelformat.h"
#include "severitydelegate.h"

#include <QEvent>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace causa {

namespace {

QLabel *plainLabel(QWidget *parent)
{
    auto *l = new QLabel(parent);
    l->setTextFormat(Qt::PlainText); // host, user and titles come from the alert source
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    l->setWordWrap(true);
    return l;
}

} // namespace

CaseOverviewPanel::CaseOverviewPanel(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_title = plainLabel(this);
    QFont tf = m_title->font();
    tf.setPointSizeF(tf.pointSizeF() * 1.3);
    tf.setBold(true);
    m_title->setFont(tf);
    layout->addWidget(m_title);

    auto *facts = new QWidget(this);
    m_grid = new QGridLayout(facts);
    m_grid->setContentsMargins(0, 4, 0, 4);
    m_grid->setHorizontalSpacing(14);
    m_grid->setVerticalSpacing(4);
    m_severity = addField(tr("Severity"), 0, 0);
    m_status = addField(tr("Status"), 0, 1);
    m_verdict = addField(tr("Verdict"), 0, 2);
    m_hosts = addField(tr("Host"), 1, 0);
    m_users = addField(tr("User"), 1, 1);
    m_blocked = addField(tr("Agent action"), 1, 2);
    m_source = addField(tr("Source"), 2, 0);
    m_created = addField(tr("Created (UTC)"), 2, 1);
    m_owner = addField(tr("Owner"), 2, 2);
    m_mitre = addField(tr("ATT&CK"), 3, 0);
    m_mitre->setWordWrap(true);
    m_grid->addWidget(m_mitre, 3, 1, 1, 5);
    for (int c : {1, 3, 5})
        m_grid->setColumnStretch(c, 1);
    layout->addWidget(facts);

    auto *split = new QSplitter(Qt::Vertical, this);
    m_alerts = new AlertTableModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_alerts);
    m_proxy->setSortRole(AlertTableModel::SortRole);
    m_view = new QTableView(split);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(AlertTableModel::TimeColumn, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setShowGrid(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 10);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setItemDelegateForColumn(AlertTableModel::SeverityColumn,
                                     new SeverityDelegate(AlertTableModel::SeverityRole, m_view));
    m_view->setColumnHidden(AlertTableModel::TechniquesColumn, true);
    m_view->viewport()->installEventFilter(this);
    m_alertDetail = new QPlainTextEdit(split);
    m_alertDetail->setReadOnly(true);
    m_alertDetail->setPlaceholderText(
        tr("Select an alert to see its process chain and command lines."));
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    m_alertDetail->setFont(mono);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { showAlert(m_proxy->mapToSource(current).row()); });
}

// The alert's name gives way (it elides, its tooltip and the detail below have it whole) so
// that the agent action, which tells whether XDR blocked it, and the first tactic show without
// scrolling; at 380 px it pushed both off the right edge of a 1400 px window.
void CaseOverviewPanel::fitAlertColumns()
{
    const int em = m_view->fontMetrics().horizontalAdvance(QLatin1Char('m'));
    int others = 0;
    for (int c = 0; c < m_alerts->columnCount(); ++c)
        if (c != AlertTableModel::NameColumn && c != AlertTableModel::TacticsColumn &&
            !m_view->isColumnHidden(c))
            others += m_view->columnWidth(c);
    const int room = m_view->viewport()->width() - others - em * 9;
    const int content = std::min(m_nameContentWidth, 380);
    m_view->setColumnWidth(AlertTableModel::NameColumn,
                           std::max(std::min(room, content), std::min(content, em * 12)));
}

bool CaseOverviewPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize && m_nameContentWidth > 0)
        fitAlertColumns();
    return QWidget::eventFilter(watched, event);
}

QLabel *CaseOverviewPanel::addField(const QString &name, int row, int col)
{
    auto *key = new QLabel(name, this);
    key->setStyleSheet(QStringLiteral("color: palette(mid); font-weight: 600;"));
    auto *value = plainLabel(this);
    value->setWordWrap(false);
    m_grid->addWidget(key, row, col * 2, Qt::AlignLeft | Qt::AlignTop);
    m_grid->addWidget(value, row, col * 2 + 1, Qt::AlignLeft | Qt::AlignTop);
    return value;
}

void CaseOverviewPanel::clear()
{
    setDetail(CaseDetail{});
    m_title->setText(tr("No case selected"));
}

void CaseOverviewPanel::setSummary(const CaseSummary &c)
{
    if (c.id != m_caseId)
        return;
    m_title->setText(c.title);
    m_severity->setText(fmt::severityLabel(c.severity));
    m_severity->setStyleSheet(
        QStringLiteral("color: %1; font-weight: 700;").arg(fmt::severityColor(c.severity).name()));
    m_status->setText(fmt::statusLabel(c.status));
    m_verdict->setText(fmt::verdictLabel(c.verdict));
    m_hosts->setText(c.hosts.join(QStringLiteral(", ")));
    m_users->setText(c.users.join(QStringLiteral(", ")));
    m_source->setText(c.source.isEmpty() ? QString()
                                         : c.source + QStringLiteral(" incident ") + c.sourceRef);
    m_created->setText(fmt::dateTime(c.createdAt));
    m_owner->setText(c.id == 0 ? QString() : c.assignee.isEmpty() ? tr("unassigned") : c.assignee);
}

void CaseOverviewPanel::setDetail(const CaseDetail &d)
{
    const CaseSummary &c = d.summary;
    m_caseId = c.id;
    setSummary(c);
    int blocked = 0;
    QStringList tactics;
    for (const StoredAlert &a : d.alerts) {
        blocked += a.alert.blocked ? 1 : 0;
        for (const QString &t : a.alert.mitreTactics)
            if (!tactics.contains(t))
                tactics << t;
    }
    m_blocked->setText(d.alerts.empty() ? QString()
                       : blocked == 0   ? tr("Not blocked (0 of %n)", nullptr, int(d.alerts.size()))
                                      : tr("Blocked (%1 of %2)").arg(blocked).arg(d.alerts.size()));
    m_blocked->setStyleSheet(blocked == 0 && !d.alerts.empty()
                                 ? QStringLiteral("color: #c0392b; font-weight: 600;")
                                 : QString());
    m_mitre->setText(tactics.join(QStringLiteral(" · ")));
    m_alerts->setAlerts(d.alerts);
    m_view->resizeColumnsToContents();
    m_nameContentWidth = m_view->columnWidth(AlertTableModel::NameColumn);
    fitAlertColumns();
    m_alertDetail->clear();
    m_processes = d.processes;
    if (!d.alerts.empty())
        m_view->setCurrentIndex(m_proxy->index(0, 0));
}

void CaseOverviewPanel::showAlert(int row)
{
    const StoredAlert *s = m_alerts->alertAt(row);
    if (!s) {
        m_alertDetail->clear();
        return;
    }
    const AlertRecord &a = s->alert;
    QString text;
    text += tr("Alert %1 — %2\n").arg(a.alertId, a.name);
    if (!a.ruleId.isEmpty())
        text += tr("Rule: %1\n").arg(a.ruleId);
    text += tr("Agent action: %1 (%2)\n")
                .arg(a.actionPretty.isEmpty() ? a.action : a.actionPretty,
                     a.blocked ? tr("blocked") : tr("not blocked"));
    if (!a.remoteIp.isEmpty())
        text += tr("Remote execution from: %1%2\n")
                    .arg(a.remoteIp,
                         a.remotePort ? QStringLiteral(":%1").arg(a.remotePort) : QString());
    if (!a.mitreTechniques.isEmpty())
        text += tr("Techniques: %1\n").arg(a.mitreTechniques.join(QStringLiteral("; ")));
    text += QLatin1Char('\n');
    const QString tag = QLatin1Char('@') + a.alertId;
    static const char *roleNames[][2] = {{"causality", "Causality owner"},
                                         {"actor", "Initiator (actor)"},
                                         {"os_actor", "OS parent"},
                                         {"action", "Target (action)"}};
    for (const auto &role : roleNames) {
        for (const StoredProcess &p : m_processes) {
            if (!p.roles.contains(QLatin1String(role[0]) + tag))
                continue;
            text +=
                QStringLiteral("%1: %2  pid %3  %4\n")
                    .arg(tr(role[1]), p.process.imageName,
                         p.process.pid >= 0 ? QString::number(p.process.pid) : QStringLiteral("?"),
                         p.process.signatureStatus);
            if (!p.process.commandLine.isEmpty())
                text += QStringLiteral("    ") + p.process.commandLine + QLatin1Char('\n');
            if (!p.process.sha256.isEmpty())
                text += QStringLiteral("    sha256 ") + p.process.sha256 + QLatin1Char('\n');
        }
    }
    m_alertDetail->setPlainText(text);
}

} // namespace causa
