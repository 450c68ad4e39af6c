#include "processtreepanel.h"

#include "modelformat.h"
#include "processtreemodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTreeView>
#include <QVBoxLayout>

namespace causa {

ProcessTreePanel::ProcessTreePanel(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_summary = new QLabel(this);
    m_summary->setTextFormat(Qt::PlainText);
    layout->addWidget(m_summary);
    auto *split = new QSplitter(Qt::Vertical, this);
    m_model = new ProcessTreeModel(this);
    m_view = new QTreeView(split);
    m_view->setModel(m_model);
    m_view->setUniformRowHeights(true); // big forests: the view never measures rows one by one
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->header()->setStretchLastSection(true);
    m_detail = new QPlainTextEdit(split);
    m_detail->setReadOnly(true);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    m_detail->setFont(mono);
    m_detail->setPlaceholderText(
        tr("Select a process to see its full command line, hashes and activity."));
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                showNode(current.isValid() ? current.data(ProcessTreeModel::NodeIndexRole).toInt()
                                           : -1);
            });
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, &ProcessTreePanel::showContextMenu);
}

void ProcessTreePanel::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    const ScopedForest *f = m_model->forest();
    if (!index.isValid() || !f)
        return;
    const int n = index.data(ProcessTreeModel::NodeIndexRole).toInt();
    if (n < 0 || n >= f->forest.size())
        return;
    const ProcessNode node = f->forest.node(n);
    QMenu menu(this);
    const QString sha = node.sha256();
    const QString host = node.endpointKey();
    if (!sha.isEmpty())
        menu.addAction(
            tr("Propose: block the SHA-256 of %1…").arg(node.imageName()), this,
            [this, sha] { Q_EMIT proposeActionRequested(QStringLiteral("block_hash"), sha); });
    if (!host.isEmpty())
        menu.addAction(tr("Propose: isolate %1…").arg(host), this, [this, host] {
            Q_EMIT proposeActionRequested(QStringLiteral("isolate_endpoint"), host);
        });
    if (!menu.isEmpty())
        menu.exec(m_view->viewport()->mapToGlobal(pos));
}

void ProcessTreePanel::setForest(std::shared_ptr<const ScopedForest> forest)
{
    const int nodes = forest ? forest->forest.size() : 0;
    const QStringList hosts = forest ? forest->hosts : QStringList();
    m_model->setForest(std::move(forest));
    m_summary->setText(
        nodes == 0
            ? tr("No process activity recorded for this case.")
            : tr("%n process(es) on %1", nullptr, nodes).arg(hosts.join(QStringLiteral(", "))));
    m_view->expandToDepth(4);
    for (int c = 0; c < ProcessTreeModel::CommandColumn; ++c)
        m_view->resizeColumnToContents(c);
    m_detail->clear();
    // Open on the alert's target process when there is one.
    if (const ScopedForest *f = m_model->forest()) {
        for (int n = 0; n < f->forest.size(); ++n) {
            for (const ForestAlertLink &a : f->forest.node(n).alerts()) {
                if (a.role == QLatin1String("action")) {
                    m_view->setCurrentIndex(m_model->indexOfNode(n));
                    return;
                }
            }
        }
    }
}

QString ProcessTreePanel::detailText() const
{
    return m_detail->toPlainText();
}

void ProcessTreePanel::showNode(int index)
{
    const ScopedForest *f = m_model->forest();
    if (!f || index < 0) {
        m_detail->clear();
        return;
    }
    const ProcessForest &forest = f->forest;
    const ProcessNode n = forest.node(index);
    QString t;
    t += QStringLiteral("%1   pid %2   %3\n")
             .arg(n.imageName(), n.pid() >= 0 ? QString::number(n.pid()) : QStringLiteral("?"),
                  n.user());
    if (!n.imagePath().isEmpty())
        t += tr("Path:      %1\n").arg(n.imagePath());
    t += tr("Started:   %1 UTC%2\n")
             .arg(fmt::dateTime(n.startedAt()),
                  n.endedAt() > 0 ? tr("   exited %1 UTC").arg(fmt::dateTime(n.endedAt()))
                                  : QString());
    t += tr("Signature: %1 %2\n")
             .arg(n.signatureStatus().isEmpty() ? tr("unknown") : n.signatureStatus(),
                  n.signatureVendor());
    if (!n.sha256().isEmpty())
        t += QStringLiteral("SHA-256:   ") + n.sha256() + QLatin1Char('\n');
    if (!n.md5().isEmpty())
        t += QStringLiteral("MD5:       ") + n.md5() + QLatin1Char('\n');
    t += tr("Badges:    %1\n").arg(badgeNames(n.badges()).join(QStringLiteral(", ")));
    t += tr("Sources:   %1\n").arg(n.sources().join(QStringLiteral(", ")));
    for (const ForestAlertLink &a : n.alerts())
        t +=
            tr("Alert:     %1 (%2, role %3)\n").arg(a.name, fmt::severityLabel(a.severity), a.role);
    t += tr("\nCommand line:\n%1\n").arg(n.commandLine());
    auto listEvents = [&](const char *title, std::span<const int> ids) {
        if (ids.empty())
            return;
        t += QLatin1Char('\n') + tr(title) + QLatin1Char('\n');
        for (int e : ids) {
            const ForestEvent &ev = forest.events()[size_t(e)];
            t += QStringLiteral("  %1  %2\n")
                     .arg(fmt::dateTime(ev.ts), ev.summary.isEmpty() ? ev.name : ev.summary);
        }
    };
    listEvents("Network:", n.network());
    listEvents("Pipes:", n.pipes());
    listEvents("Services:", n.services());
    listEvents("Files:", n.files());
    listEvents("Registry:", n.registry());
    m_detail->setPlainText(t); // plain text: command lines and paths are shown literally
}

} // namespace causa
