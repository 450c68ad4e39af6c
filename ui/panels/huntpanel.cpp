#include "huntpanel.h"
#include "modelformat.h"

#include <QCheckBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QToolButton>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <map>
#include <tuple>

namespace causa {

namespace {

QString utc(qint64 ms)
{
    return ms ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
                    .toString(QStringLiteral("yyyy-MM-dd hh:mm:ss.zzz"))
              : QString();
}

QLabel *plainLabel(QWidget *parent)
{
    auto *l = new QLabel(parent);
    l->setTextFormat(Qt::PlainText); // host names, rule titles and paths are data, never markup
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

// Sigma levels, most severe first.
int levelRank(const QString &level)
{
    static const QStringList order = {QStringLiteral("critical"), QStringLiteral("high"),
                                      QStringLiteral("medium"), QStringLiteral("low"),
                                      QStringLiteral("informational")};
    const qsizetype i = order.indexOf(level.toLower());
    return i < 0 ? int(order.size()) : int(i);
}

// "attack.t1021.002" → "T1021.002"; tactics keep their name ("lateral-movement").
QString attackTag(const QString &tag)
{
    QString t = tag.startsWith(QLatin1String("attack.")) ? tag.mid(7) : tag;
    if (t.size() > 1 && t.at(0) == QLatin1Char('t') && t.at(1).isDigit())
        t[0] = QLatin1Char('T');
    return t;
}

QString attackTags(const QStringList &tags)
{
    QStringList out;
    for (const QString &t : tags)
        if (t.startsWith(QLatin1String("attack.")))
            out << attackTag(t);
    return out.join(QStringLiteral(", "));
}

// A one-line, bounded cell text: event summaries can hold whole scripts.
QString cell(const QString &text, int max = 300)
{
    QString t = text.simplified();
    if (t.size() > max)
        t = t.left(max - 1) + QChar(0x2026);
    return t;
}

} // namespace

HuntPanel::HuntPanel(HuntService *service, QWidget *parent) : QWidget(parent), m_service(service)
{
    m_allHosts = new QCheckBox(tr("Every host in the store"), this);
    m_allHosts->setToolTip(tr("Off: only the selected case's hosts are hunted"));
    m_run = new QPushButton(tr("Run hunt"), this);
    m_headline = plainLabel(this);
    QFont big = m_headline->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    big.setBold(true);
    m_headline->setFont(big);
    m_facts = plainLabel(this);
    m_skippedToggle = new QToolButton(this);
    m_skippedToggle->setCheckable(true);
    m_skippedToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_skippedToggle->setArrowType(Qt::RightArrow);
    m_skippedToggle->setAutoRaise(true);
    m_skipped = new QTableWidget(0, 2, this);
    m_skipped->setHorizontalHeaderLabels({tr("Rule file"), tr("Why it was skipped")});
    m_skipped->horizontalHeader()->setStretchLastSection(true);
    m_skipped->verticalHeader()->setVisible(false);
    m_skipped->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_skipped->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_skipped->setWordWrap(false);
    m_skipped->setTextElideMode(Qt::ElideLeft); // the file name is at the end of the path
    m_skipped->setVisible(false);

    m_tree = new QTreeWidget(this);
    m_tree->setColumnCount(4);
    m_tree->setHeaderLabels(
        {tr("Rule / hit"), tr("Host"), tr("When (UTC)"), tr("Event / ATT&CK · credit")});
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_detail = new QPlainTextEdit(this); // plain text: hostile markup in events stays literal
    m_detail->setReadOnly(true);
    m_detail->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_detail->setPlaceholderText(tr("Select a rule or a hit to see why it matched."));
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_tree);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);

    m_openEvent = new QPushButton(tr("Open event in timeline"), this);
    m_openProcess = new QPushButton(tr("Open process in tree"), this);

    auto *top = new QHBoxLayout;
    top->addWidget(m_headline, 1);
    top->addWidget(m_allHosts);
    top->addWidget(m_run);
    auto *skippedRow = new QHBoxLayout;
    skippedRow->addWidget(m_facts, 1);
    skippedRow->addWidget(m_skippedToggle);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_openEvent);
    buttons->addWidget(m_openProcess);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(skippedRow);
    layout->addWidget(m_skipped);
    layout->addWidget(split, 1);
    layout->addLayout(buttons);

    connect(m_run, &QPushButton::clicked, this, &HuntPanel::run);
    connect(m_allHosts, &QCheckBox::toggled, this, &HuntPanel::setAllHosts);
    connect(m_skippedToggle, &QToolButton::toggled, this, [this](bool on) {
        m_skipped->setVisible(on);
        m_skippedToggle->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
    });
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this] {
        showDetail();
        updateWidgets();
    });
    connect(m_tree, &QTreeWidget::itemActivated, this, [this] { openCurrentEvent(); });
    connect(m_tree, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        if (QTreeWidgetItem *item = m_tree->itemAt(pos))
            m_tree->setCurrentItem(item);
        QMenu menu(this);
        menu.addAction(m_openEvent->text(), this, &HuntPanel::openCurrentEvent)
            ->setEnabled(m_openEvent->isEnabled());
        menu.addAction(m_openProcess->text(), this, &HuntPanel::openCurrentProcess)
            ->setEnabled(m_openProcess->isEnabled());
        menu.exec(m_tree->viewport()->mapToGlobal(pos));
    });
    connect(m_openEvent, &QPushButton::clicked, this, &HuntPanel::openCurrentEvent);
    connect(m_openProcess, &QPushButton::clicked, this, &HuntPanel::openCurrentProcess);
    if (m_service)
        connect(m_service, &HuntService::huntFinished, this, [this](const HuntPageResult &r) {
            if (r.generation == m_pending)
                setResult(r);
        });
    setResult({});
    m_headline->setText(tr("No case selected"));
}

void HuntPanel::setCase(qint64 caseId)
{
    m_caseId = caseId;
    m_dirty = true;
    if (isVisible())
        run();
}

void HuntPanel::setAllHosts(bool allHosts)
{
    if (m_allHosts->isChecked() != allHosts) {
        m_allHosts->setChecked(allHosts); // toggled() comes back here
        return;
    }
    m_dirty = true;
    if (isVisible())
        run();
}

void HuntPanel::rulesChanged()
{
    m_dirty = true;
    if (isVisible())
        run();
}

void HuntPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_dirty)
        run();
}

void HuntPanel::run()
{
    m_dirty = false;
    const bool all = m_allHosts->isChecked();
    if (!m_service || (!all && m_caseId <= 0)) {
        setResult({});
        m_headline->setText(all ? tr("No store") : tr("No case selected"));
        return;
    }
    m_pending = m_service->run(m_caseId, all);
    m_headline->setText(all ? tr("Hunting over every host in the store…")
                            : tr("Hunting over the case's hosts…"));
    m_run->setEnabled(false);
}

void HuntPanel::setResult(const HuntPageResult &result)
{
    m_result = result;
    m_run->setEnabled(true);
    std::map<int, int> perRule;
    for (const HuntPageHit &h : m_result.hits)
        ++perRule[h.match.ruleIndex];
    const QString where = m_result.allHosts          ? tr("every host in the store")
                          : m_result.hosts.isEmpty() ? tr("the case's hosts")
                                                     : m_result.hosts.join(QStringLiteral(", "));
    if (!m_result.error.isEmpty())
        m_headline->setText(tr("The hunt did not run: %1").arg(m_result.error));
    else if (m_result.hits.empty())
        m_headline->setText(tr("No Sigma hits on %1").arg(where));
    else
        m_headline->setText(
            tr("%n Sigma hit(s) on %1", nullptr, int(m_result.hits.size())).arg(where) +
            tr(" from %n rule(s)", nullptr, int(perRule.size())));
    const QString folders = m_result.ruleFolders.isEmpty()
                                ? tr("the project's pack; no team folders (Settings → Hunting)")
                                : tr("the project's pack + %n team folder(s)", nullptr,
                                     int(m_result.ruleFolders.size()));
    m_facts->setText(
        tr("%1 rules loaded from %2 · %3 skipped · %4 events scanned%5 · %6 XDR alerts scanned")
            .arg(m_result.rulesLoaded)
            .arg(folders)
            .arg(m_result.skipped.size())
            .arg(m_result.eventsScanned)
            .arg(m_result.eventsUnreadable ? tr(" (%1 unreadable)").arg(m_result.eventsUnreadable)
                                           : QString())
            .arg(m_result.alertsScanned));
    m_skippedToggle->setText(tr("Skipped rules (%1)").arg(m_result.skipped.size()));
    m_skippedToggle->setEnabled(!m_result.skipped.empty());
    if (m_result.skipped.empty())
        m_skippedToggle->setChecked(false);
    fillSkipped();
    fillTree();
    Q_EMIT huntShown();
}

void HuntPanel::fillSkipped()
{
    m_skipped->setRowCount(int(m_result.skipped.size()));
    for (int row = 0; row < int(m_result.skipped.size()); ++row) {
        const sigma::SkippedRule &s = m_result.skipped[size_t(row)];
        auto *path = new QTableWidgetItem(s.path);
        // A tooltip guesses rich text: an escaped rich one shows the path literally.
        path->setToolTip(QStringLiteral("<span>%1</span>").arg(s.path.toHtmlEscaped()));
        m_skipped->setItem(row, 0, path);
        m_skipped->setItem(row, 1, new QTableWidgetItem(s.reason));
    }
    m_skipped->resizeColumnToContents(0);
    m_skipped->setColumnWidth(0, std::min(m_skipped->columnWidth(0), 520));
    const int rows = std::min<int>(int(m_result.skipped.size()), 6);
    m_skipped->setFixedHeight(m_skipped->horizontalHeader()->sizeHint().height() +
                              rows * m_skipped->verticalHeader()->defaultSectionSize() +
                              2 * m_skipped->frameWidth());
}

void HuntPanel::fillTree()
{
    m_tree->clear();
    std::map<int, std::vector<const HuntPageHit *>> byRule;
    for (const HuntPageHit &h : m_result.hits)
        byRule[h.match.ruleIndex].push_back(&h);
    std::vector<std::pair<int, std::vector<const HuntPageHit *>>> groups(byRule.begin(),
                                                                         byRule.end());
    std::stable_sort(groups.begin(), groups.end(), [](const auto &a, const auto &b) {
        const sigma::SigmaMatch &ma = a.second.front()->match, &mb = b.second.front()->match;
        return std::make_tuple(levelRank(ma.level), -int(a.second.size()), ma.title) <
               std::make_tuple(levelRank(mb.level), -int(b.second.size()), mb.title);
    });
    QFont bold = m_tree->font();
    bold.setBold(true);
    for (const auto &[ruleIndex, hits] : groups) {
        const sigma::SigmaMatch &m = hits.front()->match;
        auto *rule = new QTreeWidgetItem;
        // The rule's row spans the columns: its title, level, count, ATT&CK tags and credit on one
        // line, while the hits' Host and When columns stay narrow enough to be seen. One arg()
        // call: a rule title holding "%3" stays as written.
        const QString tags = attackTags(m.tags);
        rule->setText(
            0, QStringLiteral("%1 [%2] (%3) — %4")
                   .arg(m.title, m.level, QString::number(hits.size()),
                        tags.isEmpty() ? m.credit : tags + QStringLiteral(" · ") + m.credit));
        rule->setToolTip(0, fmt::plainToolTip(rule->text(0)));
        rule->setFont(0, bold);
        rule->setData(0, ItemKindRole, QStringLiteral("rule"));
        rule->setData(0, RuleIndexRole, ruleIndex);
        rule->setData(0, LevelRole, m.level);
        rule->setData(0, HitCountRole, int(hits.size()));
        for (const HuntPageHit *h : hits) {
            auto *item = new QTreeWidgetItem(rule);
            const bool alert = h->match.source == sigma::MatchSource::Alert;
            item->setText(0, alert ? tr("XDR alert %1").arg(h->match.alertId)
                                   : QStringLiteral("%1 · event %2")
                                         .arg(h->match.target, QString::number(h->match.eventId)));
            item->setText(1, h->match.host);
            item->setText(2, utc(h->match.ts));
            item->setText(3, cell(h->summary.isEmpty() ? h->kind : h->summary));
            item->setData(0, ItemKindRole, QStringLiteral("hit"));
            item->setData(0, RuleIndexRole, ruleIndex);
            item->setData(0, LevelRole, h->match.level);
            item->setData(0, EventIdRole, h->match.eventId);
            item->setData(0, HostRole, h->match.host);
            item->setData(0, ProcessKeyRole, h->processKey);
            item->setData(0, AlertIdRole, alert ? h->match.alertId : QString());
            item->setData(0, HitIndexRole, int(h - m_result.hits.data()));
        }
        m_tree->addTopLevelItem(rule);
        rule->setFirstColumnSpanned(true);
    }
    m_tree->expandAll();
    // The first column fits the hits' own names ("sysmon process_creation · event 15"); the rule
    // rows span the whole width and need none of it.
    const QFontMetrics fm(m_tree->font());
    int hitWidth = fm.horizontalAdvance(tr("Rule / hit"));
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i)
        for (int c = 0; c < m_tree->topLevelItem(i)->childCount(); ++c)
            hitWidth = std::max(hitWidth,
                                fm.horizontalAdvance(m_tree->topLevelItem(i)->child(c)->text(0)));
    m_tree->setColumnWidth(0, hitWidth + 2 * m_tree->indentation() + 16);
    m_tree->resizeColumnToContents(1);
    m_tree->resizeColumnToContents(2);
    m_tree->setCurrentItem(m_tree->topLevelItem(0));
    showDetail();
    updateWidgets();
}

QString HuntPanel::ruleText(const sigma::RuleInfo &r) const
{
    QString out = QStringLiteral("%1 [%2]\n").arg(r.title, r.level);
    out += tr("Rule id: %1 · status: %2 · log source: %3\n")
               .arg(r.id, r.status.isEmpty() ? tr("unknown") : r.status, r.logsource);
    if (!r.tags.isEmpty())
        out += tr("ATT&CK: %1\n").arg(r.tags.join(QStringLiteral(", ")));
    out += r.credit + QLatin1Char('\n');
    out += tr("File: %1\n").arg(r.path);
    if (!r.description.isEmpty())
        out += QLatin1Char('\n') + r.description.trimmed() + QLatin1Char('\n');
    return out;
}

QString HuntPanel::hitText(const HuntPageHit &h) const
{
    const sigma::SigmaMatch &m = h.match;
    QString out =
        m.source == sigma::MatchSource::Alert
            ? tr("%1 [%2] matched XDR alert %3 (read as a process creation) on %4 at %5 UTC\n")
                  .arg(m.title, m.level, m.alertId, m.host, utc(m.ts))
            : tr("%1 [%2] matched event %3 (%4) on %5 at %6 UTC\n")
                  .arg(m.title, m.level, QString::number(m.eventId), m.target, m.host, utc(m.ts));
    if (!h.summary.isEmpty())
        out += (m.source == sigma::MatchSource::Alert ? tr("Alert: %1\n") : tr("Event: %1\n"))
                   .arg(h.summary);
    if (!h.processKey.isEmpty())
        out += tr("Process: %1 (PID %2) · %3\n").arg(h.image, QString::number(h.pid), h.processKey);
    if (!m.tags.isEmpty())
        out += tr("ATT&CK: %1\n").arg(m.tags.join(QStringLiteral(", ")));
    out += m.credit + QLatin1Char('\n');
    if (!m.fields.empty())
        out += tr("\nWhy it matched:\n");
    for (const sigma::MatchedField &f : m.fields)
        out += QStringLiteral("  %1: %2 %3  ←  %4\n")
                   .arg(f.selection, f.field.isEmpty() ? f.eventField : f.field, f.test, f.value);
    return out;
}

void HuntPanel::showDetail()
{
    const QTreeWidgetItem *item = m_tree->currentItem();
    if (!item) {
        m_detail->clear();
        return;
    }
    const int ruleIndex = item->data(0, RuleIndexRole).toInt();
    if (item->data(0, ItemKindRole).toString() == QLatin1String("rule")) {
        if (ruleIndex >= 0 && size_t(ruleIndex) < m_result.rules.size())
            m_detail->setPlainText(ruleText(m_result.rules[size_t(ruleIndex)]));
        return;
    }
    const int hit = item->data(0, HitIndexRole).toInt();
    if (hit >= 0 && size_t(hit) < m_result.hits.size())
        m_detail->setPlainText(hitText(m_result.hits[size_t(hit)]));
}

bool HuntPanel::openCurrentEvent()
{
    const QTreeWidgetItem *item = m_tree->currentItem();
    if (!item || item->data(0, ItemKindRole).toString() != QLatin1String("hit") ||
        item->data(0, EventIdRole).toLongLong() <= 0)
        return false; // an XDR alert hit has no event on the timeline
    Q_EMIT navigateRequested(QStringLiteral("event"),
                             QString::number(item->data(0, EventIdRole).toLongLong()));
    return true;
}

bool HuntPanel::openCurrentProcess()
{
    const QTreeWidgetItem *item = m_tree->currentItem();
    if (!item || item->data(0, ProcessKeyRole).toString().isEmpty())
        return false;
    Q_EMIT navigateRequested(
        QStringLiteral("process"),
        processRef(item->data(0, HostRole).toString(), item->data(0, ProcessKeyRole).toString()));
    return true;
}

QString HuntPanel::processRef(const QString &host, const QString &processKey)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(host)) + QLatin1Char('/') + processKey;
}

std::pair<QString, QString> HuntPanel::splitProcessRef(const QString &ref)
{
    const qsizetype slash = ref.indexOf(QLatin1Char('/'));
    if (slash < 0)
        return {QString(), ref};
    return {QUrl::fromPercentEncoding(ref.left(slash).toUtf8()), ref.mid(slash + 1)};
}

QString HuntPanel::headline() const
{
    return m_headline->text();
}

QString HuntPanel::facts() const
{
    return m_facts->text();
}

void HuntPanel::updateWidgets()
{
    const QTreeWidgetItem *item = m_tree->currentItem();
    const bool hit = item && item->data(0, ItemKindRole).toString() == QLatin1String("hit");
    const bool alert = hit && !item->data(0, AlertIdRole).toString().isEmpty();
    m_openEvent->setEnabled(hit && !alert);
    m_openEvent->setToolTip(alert ? tr("An XDR alert hit has no event on the timeline")
                                  : QString());
    m_openProcess->setEnabled(hit && !item->data(0, ProcessKeyRole).toString().isEmpty());
    m_openProcess->setToolTip(m_openProcess->isEnabled() || !hit ? QString()
                              : alert ? tr("An XDR alert hit names no event process")
                                      : tr("The event names no process the store knows"));
}

} // namespace causa
