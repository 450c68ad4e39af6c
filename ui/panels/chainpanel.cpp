#include "chainpanel.h"
#include "modelformat.h"

#include "services/chainservice.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace causa {

namespace {

QString utc(qint64 ms)
{
    return ms ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
                    .toString(QStringLiteral("yyyy-MM-dd hh:mm:ss.zzz"))
              : QString();
}

QDate utcDay(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).date();
}

QString timeOfDay(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("hh:mm:ss.zzz"));
}

// "2026-11-19 08:53:57.000 – 08:53:59.000": the end's date only when it is another day.
QString utcRange(qint64 first, qint64 last)
{
    if (first == last)
        return utc(first);
    if (first == 0 || last == 0 || utcDay(first) != utcDay(last))
        return utc(first) + QStringLiteral(" – ") + utc(last);
    return utc(first) + QStringLiteral(" – ") + timeOfDay(last);
}

// The chain's one UTC day when every time its table shows falls on it (the table then gives
// times of day under a header that names the day), else an invalid date.
QDate chainDay(const LateralChain &c)
{
    QDate day;
    auto same = [&day](qint64 ms) {
        if (ms == 0)
            return true;
        if (!day.isValid())
            day = utcDay(ms);
        return utcDay(ms) == day;
    };
    for (const ChainHop &h : c.hops) {
        if (h.found && (!same(h.first) || !same(h.last)))
            return {};
        for (const ChainEvent &e : h.events)
            if (!same(e.ts))
                return {};
    }
    return day;
}

QLabel *plainLabel(QWidget *parent)
{
    auto *l = new QLabel(parent);
    l->setTextFormat(Qt::PlainText); // host names and command lines are data, never markup
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

} // namespace

ChainPanel::ChainPanel(ChainService *service, QWidget *parent) : QWidget(parent), m_service(service)
{
    m_chains = new QComboBox(this);
    m_route = plainLabel(this);
    QFont big = m_route->font();
    big.setPointSizeF(big.pointSizeF() * 1.35);
    big.setBold(true);
    m_route->setFont(big);
    m_facts = plainLabel(this);
    m_notes = plainLabel(this);
    m_notes->setStyleSheet(QStringLiteral("color: palette(mid);"));
    auto *split = new QSplitter(Qt::Vertical, this);
    split->setChildrenCollapsible(false);
    m_tree = new QTreeWidget(split);
    m_tree->setColumnCount(5);
    m_tree->setHeaderLabels(
        {tr("Hop / event"), tr("Host"), tr("When (UTC)"), tr("User"), tr("What the logs show")});
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setStretchLastSection(true);
    // The selected hop or event whole: "What the logs show" elides in the table.
    m_details = new QPlainTextEdit(split); // plain text: host names and command lines are data
    m_details->setReadOnly(true);
    m_details->setPlaceholderText(
        tr("Select a hop or an event to read what its logs show, whole."));
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    m_open = new QPushButton(tr("Open in process tree"), this);

    auto *top = new QHBoxLayout;
    top->addWidget(m_route, 1);
    top->addWidget(m_chains);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_open);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_facts);
    layout->addWidget(m_notes);
    layout->addWidget(split, 1);
    layout->addLayout(buttons);

    connect(m_chains, &QComboBox::currentIndexChanged, this, &ChainPanel::showChain);
    connect(m_tree, &QTreeWidget::currentItemChanged, this, &ChainPanel::updateWidgets);
    connect(m_tree, &QTreeWidget::itemActivated, this, [this] { openCurrentProcess(); });
    connect(m_open, &QPushButton::clicked, this, &ChainPanel::openCurrentProcess);
    if (m_service)
        connect(m_service, &ChainService::chainsLoaded, this,
                [this](qint64 caseId, const ChainReport &r) {
                    if (caseId == m_caseId)
                        setReport(r);
                });
    setReport({});
}

void ChainPanel::setCase(qint64 caseId)
{
    m_caseId = caseId;
    setReport({});
    m_route->setText(tr("Reading the case's events…"));
    if (m_service && caseId > 0)
        m_service->loadChains(caseId);
}

void ChainPanel::setReport(const ChainReport &report)
{
    m_report = report;
    const QSignalBlocker block(m_chains);
    m_chains->clear();
    for (const LateralChain &c : m_report.chains)
        m_chains->addItem(QStringLiteral("%1 → %2 · %3 · %4")
                              .arg(c.sourceHost.isEmpty() ? tr("unknown source") : c.sourceHost,
                                   c.victimHost, c.serviceName, utc(c.start)));
    m_chains->setVisible(m_report.chains.size() > 1);
    showChain(0);
    Q_EMIT chainsShown();
}

QTreeWidgetItem *ChainPanel::hopItem(const ChainHop &h) const
{
    auto *item = new QTreeWidgetItem;
    const bool oneDay = m_day.isValid();
    auto at = [oneDay](qint64 ms) { return oneDay ? timeOfDay(ms) : utc(ms); };
    QString when;
    if (h.found)
        when = !oneDay             ? utcRange(h.first, h.last)
               : h.first == h.last ? timeOfDay(h.first)
                                   : timeOfDay(h.first) + QStringLiteral(" – ") + timeOfDay(h.last);
    item->setText(0,
                  (h.found ? QStringLiteral("✓ ") : QStringLiteral("? ")) + hopKindTitle(h.kind));
    item->setText(1, h.host.isEmpty() ? tr("unknown") : h.host);
    item->setText(2, h.found ? when : tr("unknown"));
    item->setText(3, h.user);
    item->setText(4, h.found ? h.detail : tr("Unknown: %1").arg(h.unknown));
    item->setToolTip(4, fmt::plainToolTip(item->text(4)));
    item->setData(0, HostRole, h.host);
    item->setData(0, ProcessKeyRole, h.processKey);
    item->setData(0, HopKindRole, hopKindId(h.kind));
    if (!h.found) {
        QFont f = item->font(0);
        f.setItalic(true);
        for (int c = 0; c < 5; ++c) {
            item->setFont(c, f);
            item->setForeground(c, palette().brush(QPalette::Disabled, QPalette::Text));
        }
    }
    for (const ChainEvent &e : h.events) {
        auto *child = new QTreeWidgetItem(item);
        child->setText(0, QStringLiteral("%1 #%2").arg(e.code).arg(e.id));
        child->setText(1, e.host);
        child->setText(2, at(e.ts));
        child->setText(3, e.user);
        child->setText(4, e.summary);
        child->setToolTip(4, fmt::plainToolTip(e.summary));
        child->setData(0, HostRole, e.host);
        child->setData(0, ProcessKeyRole, e.processKey);
        child->setData(0, EventIdRole, e.id);
    }
    return item;
}

void ChainPanel::showChain(int index)
{
    m_shown = index;
    m_tree->clear();
    if (index < 0 || size_t(index) >= m_report.chains.size()) {
        m_route->setText(m_report.victimHosts.isEmpty()
                             ? tr("No case selected")
                             : tr("No PsExec-like service execution on %1")
                                   .arg(m_report.victimHosts.join(QStringLiteral(", "))));
        m_facts->clear();
        m_notes->clear();
        updateWidgets();
        return;
    }
    const LateralChain &c = m_report.chains[size_t(index)];
    m_route->setText(QStringLiteral("%1 %2  →  %3")
                         .arg(c.sourceHost.isEmpty() ? tr("unknown source") : c.sourceHost,
                              c.sourceIp.isEmpty()
                                  ? QString()
                                  : QStringLiteral("(") + c.sourceIp + QLatin1Char(')'),
                              c.victimHost));
    // "PsExec service PSEXESVC", but "PsExec-like service WinUpdSvc": some tools' names
    // already say they are a service.
    const QString service = c.tool.contains(QLatin1String("service"), Qt::CaseInsensitive)
                                ? c.tool
                                : tr("%1 service").arg(c.tool);
    m_facts->setText(tr("%1 %2 (%3) · account %4 · %5 · source host's logs %6")
                         .arg(service, c.serviceName, c.serviceImage,
                              c.user.isEmpty() ? tr("unknown") : c.user, utcRange(c.start, c.end),
                              c.sourceLogsPresent ? tr("present") : tr("absent")));
    m_day = chainDay(c);
    m_tree->headerItem()->setText(2, m_day.isValid()
                                         ? tr("When (UTC, %1)").arg(m_day.toString(Qt::ISODate))
                                         : tr("When (UTC)"));
    m_notes->setText(c.notes.join(QLatin1Char('\n')));
    m_notes->setVisible(!c.notes.isEmpty());
    for (const ChainHop &h : c.hops)
        m_tree->addTopLevelItem(hopItem(h));
    m_tree->expandAll();
    for (int col = 0; col < 4; ++col)
        m_tree->resizeColumnToContents(col);
    m_tree->setCurrentItem(m_tree->topLevelItem(0));
    updateWidgets();
}

bool ChainPanel::openCurrentProcess()
{
    const QTreeWidgetItem *item = m_tree->currentItem();
    if (!item)
        return false;
    QString key = item->data(0, ProcessKeyRole).toString();
    QString host = item->data(0, HostRole).toString();
    if (key.isEmpty() && item->parent()) { // an event without a process: its hop's process
        key = item->parent()->data(0, ProcessKeyRole).toString();
        host = item->parent()->data(0, HostRole).toString();
    }
    if (key.isEmpty())
        return false;
    Q_EMIT processRequested(host, key);
    return true;
}

QString ChainPanel::headline() const
{
    return m_route->text() + QLatin1Char('\n') + m_facts->text();
}

// A hop: what, where, when, who, what its logs show and each of its events; an event: the
// same for the one event. Every field whole (the table's cells elide), times with their date.
QString ChainPanel::detailsOf(QTreeWidgetItem *item) const
{
    if (!item || m_shown < 0 || size_t(m_shown) >= m_report.chains.size())
        return {};
    const LateralChain &c = m_report.chains[size_t(m_shown)];
    const int hopIndex = m_tree->indexOfTopLevelItem(item->parent() ? item->parent() : item);
    if (hopIndex < 0 || size_t(hopIndex) >= c.hops.size())
        return {};
    const ChainHop &h = c.hops[size_t(hopIndex)];
    const QString host = h.host.isEmpty() ? tr("unknown") : h.host;
    auto eventLine = [](const ChainEvent &e) {
        QStringList parts{tr("Event %1 #%2").arg(e.code).arg(e.id), utc(e.ts), e.host};
        if (!e.user.isEmpty())
            parts << e.user;
        return parts.join(QStringLiteral(" · "));
    };
    QStringList lines;
    if (item->parent()) {
        const int e = item->parent()->indexOfChild(item);
        if (e < 0 || size_t(e) >= h.events.size())
            return {};
        const ChainEvent &ev = h.events[size_t(e)];
        lines << eventLine(ev) << tr("Hop: %1").arg(hopKindTitle(h.kind));
        if (!ev.processKey.isEmpty())
            lines << tr("Process: %1 (Open in process tree shows it)").arg(ev.processKey);
        lines << QString() << ev.summary;
        return lines.join(QLatin1Char('\n'));
    }
    if (!h.found) {
        lines << tr("%1 — unknown").arg(hopKindTitle(h.kind)) << tr("Host: %1").arg(host)
              << QString() << tr("Why unknown: %1").arg(h.unknown);
        return lines.join(QLatin1Char('\n'));
    }
    lines << (h.events.size() == 1
                  ? tr("%1 — shown by 1 event").arg(hopKindTitle(h.kind))
                  : tr("%1 — shown by %2 events").arg(hopKindTitle(h.kind)).arg(h.events.size()))
          << tr("Host: %1").arg(host) << tr("When (UTC): %1").arg(utcRange(h.first, h.last));
    if (!h.user.isEmpty())
        lines << tr("User: %1").arg(h.user);
    if (!h.processKey.isEmpty())
        lines << tr("Process: %1 (Open in process tree shows it)").arg(h.processKey);
    lines << QString() << h.detail;
    for (const ChainEvent &ev : h.events)
        lines << QString() << eventLine(ev) << ev.summary;
    return lines.join(QLatin1Char('\n'));
}

void ChainPanel::updateWidgets()
{
    QTreeWidgetItem *item = m_tree->currentItem();
    bool canOpen = item && !item->data(0, ProcessKeyRole).toString().isEmpty();
    if (item && !canOpen && item->parent())
        canOpen = !item->parent()->data(0, ProcessKeyRole).toString().isEmpty();
    m_open->setEnabled(canOpen);
    m_details->setPlainText(detailsOf(item));
}

} // namespace causa
