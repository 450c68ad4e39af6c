#include "playbookpanel.h"

#include "core/jsonutil.h"
#include "playbookstagemodel.h"
#include "store/actionstore.h"
#include "store/casestore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QFrame>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTextBrowser>
#include <QTimer>
#include <QTreeView>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace causa {

namespace {

const QString kPlaybookId = QStringLiteral("remote-psexec-lolbin");

QString pretty(const nlohmann::json &j)
{
    return QString::fromStdString(j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)).toHtmlEscaped();
}

// Measures wrapped text at its column's width: the style wraps only for a valid rect, and the
// tree asks for size hints with a width but no height, so a long "Why" stayed one elided line.
class WrappingDelegate final : public QStyledItemDelegate
{
public:
    explicit WrappingDelegate(QTreeView *view) : QStyledItemDelegate(view), m_view(view) {}
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyleOptionViewItem o = option;
        o.rect = QRect(0, 0, m_view->header()->sectionSize(index.column()), 1 << 16);
        return QStyledItemDelegate::sizeHint(o, index);
    }

protected:
    // Word wrap cannot break a SHA-256 in a sentence ("block 4f2a…"), so the view elided it: long
    // tokens get zero-width break opportunities every 8 characters (display only).
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        option->text = breakLongTokens(option->text);
    }

private:
    static QString breakLongTokens(const QString &text)
    {
        constexpr qsizetype kLongToken = 22, kChunk = 8;
        QString out;
        out.reserve(text.size() + text.size() / kChunk);
        qsizetype start = 0;
        while (start < text.size()) {
            qsizetype end = start;
            while (end < text.size() && !text.at(end).isSpace())
                ++end;
            const qsizetype length = end - start;
            for (qsizetype i = 0; i < length; ++i) {
                if (length > kLongToken && i > 0 && i % kChunk == 0)
                    out += QChar(0x200B);
                out += text.at(start + i);
            }
            while (end < text.size() && text.at(end).isSpace())
                out += text.at(end++);
            start = end;
        }
        return out;
    }

    QTreeView *m_view;
};

} // namespace

PlaybookPanel::PlaybookPanel(std::shared_ptr<CaseStore> store, QWidget *parent)
    : QWidget(parent), m_store(std::move(store)), m_analyst(qEnvironmentVariable("USER", QStringLiteral("analyst")))
{
    // One worker: the engine's steps for one case never overlap.
    m_pool.setMaxThreadCount(1);
    auto *layout = new QVBoxLayout(this);
    m_title = new QLabel(tr("No case selected"), this);
    QFont f = m_title->font();
    f.setBold(true);
    m_title->setFont(f);
    layout->addWidget(m_title);

    auto *split = new QSplitter(Qt::Horizontal, this);
    auto *left = new QWidget(split);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    m_stageModel = new PlaybookStageModel(this);
    if (auto def = PlaybookDefinition::load(kPlaybookId))
        m_stageModel->setDefinition(def.value());
    m_stages = new QTreeView(left);
    m_stages->setModel(m_stageModel);
    m_stages->setRootIsDecorated(false);
    m_stages->setSelectionMode(QAbstractItemView::SingleSelection);
    m_stages->setSelectionBehavior(QAbstractItemView::SelectRows);
    // "Why" is a sentence: it takes the width left by the other columns and wraps (nine rows, so
    // rows of their own height cost nothing) instead of running off the right edge.
    m_stages->setUniformRowHeights(false);
    m_stages->header()->setStretchLastSection(false);
    m_stages->header()->setSectionResizeMode(PlaybookStageModel::NumberColumn, QHeaderView::ResizeToContents);
    // Long stage titles elide (their tooltip has them) so that "Why" keeps a readable width.
    m_stages->header()->setSectionResizeMode(PlaybookStageModel::TitleColumn, QHeaderView::Interactive);
    m_stages->header()->resizeSection(PlaybookStageModel::TitleColumn,
                                      m_stages->fontMetrics().horizontalAdvance(QStringLiteral("Command-line analysis")) + 16);
    m_stages->header()->setSectionResizeMode(PlaybookStageModel::StateColumn, QHeaderView::ResizeToContents);
    m_stages->header()->setSectionResizeMode(PlaybookStageModel::ReasonColumn, QHeaderView::Stretch);
    m_stages->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_stages->setWordWrap(true);
    m_stages->setItemDelegateForColumn(PlaybookStageModel::ReasonColumn, new WrappingDelegate(m_stages));
    m_stages->setTextElideMode(Qt::ElideRight);
    // Wrapped rows are measured at the column's width: measure again when the width changes.
    connect(m_stages->header(), &QHeaderView::sectionResized, m_stages, [this](int section) {
        if (section == PlaybookStageModel::ReasonColumn)
            QTimer::singleShot(0, m_stages, [view = m_stages] { view->doItemsLayout(); });
    });
    leftLayout->addWidget(m_stages, 1);
    auto *buttons = new QHBoxLayout;
    m_runStage = new QPushButton(tr("Run stage"), left);
    m_runStage->setToolTip(tr("Run the selected stage (or the next one); later stages are reset"));
    m_runAll = new QPushButton(tr("Run to next approval"), left);
    buttons->addWidget(m_runStage);
    buttons->addWidget(m_runAll);
    buttons->addStretch(1);
    leftLayout->addLayout(buttons);

    auto *inputs = new QGroupBox(tr("Inputs for a new run"), left);
    auto *form = new QFormLayout(inputs);
    m_autoRemediation = new QCheckBox(tr("Execute actions without approval"), inputs);
    m_twoPerson = new QCheckBox(tr("Two analysts approve each action"), inputs);
    m_highThreshold = new QSpinBox(inputs);
    m_highThreshold->setRange(0, 100);
    m_highThreshold->setValue(1);
    m_criticalThreshold = new QSpinBox(inputs);
    m_criticalThreshold->setRange(0, 100);
    m_criticalThreshold->setValue(1);
    m_minScore = new QSpinBox(inputs);
    m_minScore->setRange(1, 3);
    m_minScore->setValue(3);
    m_verdictRule = new QComboBox(inputs);
    m_verdictRule->addItems({QStringLiteral("score"), QStringLiteral("xsoar-flags")});
    m_window = new QLineEdit(QStringLiteral("2h"), inputs);
    m_window->setToolTip(tr("Window before and after the alert for related alerts: 90m, 2h, 1d"));
    form->addRow(tr("AutoRemediation"), m_autoRemediation);
    form->addRow(tr("TwoPersonRule"), m_twoPerson);
    form->addRow(tr("HighAlertsThreshold"), m_highThreshold);
    form->addRow(tr("CriticalAlertsThreshold"), m_criticalThreshold);
    form->addRow(tr("MinimumScoreToBlock"), m_minScore);
    form->addRow(tr("RelatedAlertsWindow"), m_window);
    form->addRow(tr("VerdictRule"), m_verdictRule);
    leftLayout->addWidget(inputs);

    auto *right = new QSplitter(Qt::Vertical, split);
    m_detail = new QTextBrowser(right);
    m_detail->setOpenLinks(false);
    auto *scroll = new QScrollArea(right);
    scroll->setWidgetResizable(true);
    m_cards = new QWidget(scroll);
    m_cardsLayout = new QVBoxLayout(m_cards);
    m_cardsLayout->addStretch(1);
    scroll->setWidget(m_cards);
    m_queue = new QTreeWidget(right);
    m_queue->setHeaderLabels({tr("Pending approvals (all cases)"), tr("Case"), tr("Target")});
    m_queue->setRootIsDecorated(false);
    m_queue->header()->resizeSection(0, 220);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // cards wrap instead
    right->setStretchFactor(0, 2);
    right->setStretchFactor(1, 3);
    right->setStretchFactor(2, 1);
    right->setSizes({280, 340, 120});
    // The stage list with its wrapped "Why" gets the larger share; cards wrap on the right.
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({640, 460});
    layout->addWidget(split, 1);

    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, [this] { show(m_watcher.result()); });
    connect(m_stages->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] { showStage(); updateWidgets(); });
    connect(m_runAll, &QPushButton::clicked, this, [this] {
        const QString who = m_analyst;
        submit([who](PlaybookEngine &e, qint64 &runId) -> Result<void> {
            auto v = e.runAll(runId, who);
            return v ? Result<void>() : Result<void>(v.error());
        });
    });
    connect(m_runStage, &QPushButton::clicked, this, [this] {
        const QString stageId = selectedStage();
        const QString who = m_analyst;
        submit([stageId, who](PlaybookEngine &e, qint64 &runId) -> Result<void> {
            if (stageId.isEmpty()) {
                auto s = e.step(runId, who);
                return s ? Result<void>() : Result<void>(s.error());
            }
            auto s = e.runStage(runId, stageId, who);
            return s ? Result<void>() : Result<void>(s.error());
        });
    });
    updateWidgets();
}

PlaybookPanel::~PlaybookPanel()
{
    m_watcher.waitForFinished();
    m_pool.waitForDone();
}

void PlaybookPanel::setConnectorFactory(std::function<std::shared_ptr<ActionConnector>()> factory)
{
    m_connectors = std::move(factory);
}

bool PlaybookPanel::busy() const
{
    return m_watcher.isRunning();
}

QStringList PlaybookPanel::inputAssignments() const
{
    return {QStringLiteral("AutoRemediation=%1").arg(m_autoRemediation->isChecked() ? QLatin1String("true") : QLatin1String("false")),
            QStringLiteral("TwoPersonRule=%1").arg(m_twoPerson->isChecked() ? QLatin1String("true") : QLatin1String("false")),
            QStringLiteral("HighAlertsThreshold=%1").arg(m_highThreshold->value()),
            QStringLiteral("CriticalAlertsThreshold=%1").arg(m_criticalThreshold->value()),
            QStringLiteral("MinimumScoreToBlock=%1").arg(m_minScore->value()),
            QStringLiteral("RelatedAlertsWindow=%1").arg(m_window->text().trimmed().isEmpty() ? QStringLiteral("2h") : m_window->text().trimmed()),
            QStringLiteral("VerdictRule=%1").arg(m_verdictRule->currentText())};
}

void PlaybookPanel::setCase(qint64 caseId)
{
    m_caseId = caseId;
    m_runId = 0;
    m_view.reset();
    m_title->setText(caseId > 0 ? tr("Playbook on case %1").arg(caseId) : tr("No case selected"));
    // Loading shows the case's latest run without running anything.
    submit([](PlaybookEngine &, qint64 &) -> Result<void> { return {}; }, false);
}

void PlaybookPanel::decide(qint64 actionId, bool approve, const QString &note)
{
    const QString who = m_analyst;
    submit([actionId, approve, note, who](PlaybookEngine &e, qint64 &) -> Result<void> {
        auto a = e.decide(actionId, who, approve, note);
        return a ? Result<void>() : Result<void>(a.error());
    });
}

void PlaybookPanel::submit(Job job, bool changes)
{
    if (m_caseId <= 0 || m_watcher.isRunning())
        return;
    const qint64 caseId = m_caseId;
    const QStringList inputs = inputAssignments();
    const bool load = m_runId == 0;
    const QString analyst = m_analyst;
    auto store = m_store;
    auto connector = m_connectors ? m_connectors() : nullptr;
    m_watcher.setFuture(QtConcurrent::run(&m_pool, [=]() -> Outcome {
        Outcome o;
        o.caseId = caseId;
        o.changed = changes;
        auto def = PlaybookDefinition::load(kPlaybookId);
        if (!def) {
            o.error = def.error().message;
            return o;
        }
        PlaybookEngine engine(*store, def.value(), composeStageServices(*store));
        engine.setConnectors(connector);
        qint64 runId = 0;
        auto last = engine.latestRun(caseId);
        if (!last) {
            o.error = last.error().message;
            return o;
        }
        if (last->has_value() && (load || last->value().state != QLatin1String("completed")))
            runId = last->value().id;
        else {
            auto started = engine.start(caseId, inputs, analyst);
            if (!started) {
                o.error = started.error().message;
                return o;
            }
            runId = started->id;
        }
        if (auto r = job(engine, runId); !r)
            o.error = r.error().message;
        auto v = engine.view(runId);
        if (v)
            o.view = v.value();
        else if (o.error.isEmpty())
            o.error = v.error().message;
        auto pending = ActionStore(*store).pending();
        if (pending)
            o.pending = pending.value();
        return o;
    }));
    updateWidgets();
}

void PlaybookPanel::show(const Outcome &o)
{
    if (o.view && o.view->run.caseId == m_caseId) {
        m_view = o.view;
        m_runId = o.view->run.id;
    }
    m_pending = o.pending;
    const QString selected = selectedStage();
    if (m_view) {
        m_stageModel->setStages(m_view->stages);
        if (const int row = m_stageModel->rowOf(selected); row >= 0 && !selected.isEmpty())
            m_stages->setCurrentIndex(m_stageModel->index(row, 0));
        m_title->setText(tr("Playbook run %1 on case %2 — %3%4")
                             .arg(m_view->run.id).arg(m_view->run.caseId).arg(m_view->run.state)
                             .arg(m_view->waitingFor.isEmpty() ? QString() : QStringLiteral(" — ") + m_view->waitingFor));
    } else {
        m_stageModel->clear();
    }
    m_queue->clear();
    for (const ActionRecord &a : m_pending)
        new QTreeWidgetItem(m_queue, {QStringLiteral("#%1 %2").arg(a.id).arg(a.kind), QString::number(a.caseId), a.target});
    rebuildCards();
    showStage();
    updateWidgets();
    Q_EMIT viewUpdated(o.error);
    if (o.changed)
        Q_EMIT caseChanged(o.caseId);
}

void PlaybookPanel::showStage()
{
    const QString id = selectedStage();
    if (id.isEmpty() || !m_view) {
        m_detail->setHtml(tr("<p>Select a stage to see its inputs and outputs.</p>"));
        return;
    }
    const QModelIndex current = m_stages->currentIndex();
    const QString title = m_stageModel->index(current.row(), PlaybookStageModel::TitleColumn).data().toString();
    for (const StageStateRecord &st : m_view->stages) {
        if (st.stageId != id)
            continue;
        // Everything shown is escaped: outputs carry command lines and other untrusted text.
        m_detail->setHtml(QStringLiteral("<h3>%1</h3><p><b>%2</b> by %3 — %4</p><h4>%5</h4><pre style='white-space: pre-wrap'>%6</pre><h4>%7</h4><pre style='white-space: pre-wrap'>%8</pre>")
                              .arg(title.toHtmlEscaped(), st.state.toHtmlEscaped(),
                                   (st.actor.isEmpty() ? QStringLiteral("-") : st.actor).toHtmlEscaped(),
                                   st.reason.toHtmlEscaped(), tr("Outputs"), pretty(st.outputs), tr("Inputs"),
                                   pretty(st.inputs)));
        return;
    }
}

void PlaybookPanel::rebuildCards()
{
    while (m_cardsLayout->count() > 1) {
        QLayoutItem *it = m_cardsLayout->takeAt(0);
        delete it->widget();
        delete it;
    }
    if (!m_view)
        return;
    for (const ActionRecord &a : m_view->actions) {
        auto *card = new QFrame(m_cards);
        card->setFrameShape(QFrame::StyledPanel);
        auto *v = new QVBoxLayout(card);
        // A hash or URL cannot wrap: shorten it in the middle here; the payload below and the
        // tooltip carry it whole.
        QStringList words = a.target.split(QLatin1Char(' '));
        for (QString &w : words)
            if (w.size() > 40)
                w = w.left(18) + QChar(0x2026) + w.right(18);
        const QString target = words.join(QLatin1Char(' '));
        auto *head = new QLabel(QStringLiteral("<b>#%1 %2</b> — %3 <span style='color:%4'>[%5]</span>")
                                    .arg(a.id).arg(a.kind.toHtmlEscaped(), target.toHtmlEscaped(),
                                         (PlaybookStageModel::stateColour(a.state).isValid() ? PlaybookStageModel::stateColour(a.state) : palette().color(QPalette::Text)).name(), a.state.toHtmlEscaped()),
                                card);
        head->setTextFormat(Qt::RichText);
        head->setToolTip(a.target);
        auto *why = new QLabel(tr("Why: %1").arg(a.rationale), card);
        why->setTextFormat(Qt::PlainText);
        why->setWordWrap(true);
        // key = value pairs separated by spaces wrap; one-line JSON would push the buttons away.
        QStringList pairs;
        for (const auto &[k, val] : a.payload.items())
            pairs << QStringLiteral("%1 = %2").arg(QString::fromStdString(k),
                                                   val.is_string() ? QString::fromStdString(val.get<std::string>())
                                                                   : QString::fromStdString(val.dump()));
        auto *payload = new QLabel(tr("Payload: %1").arg(pairs.join(QStringLiteral("  ·  "))), card);
        payload->setTextFormat(Qt::PlainText);
        payload->setWordWrap(true);
        payload->setStyleSheet(QStringLiteral("font-family: monospace; color: palette(mid);"));
        for (QLabel *l : {head, why, payload}) {
            l->setWordWrap(true);
            l->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // follow the viewport width
            v->addWidget(l);
        }
        QStringList who;
        for (const ApprovalRecord &ap : a.approvals)
            who << QStringLiteral("%1 %2%3").arg(ap.decision, ap.approver, ap.note.isEmpty() ? QString() : QStringLiteral(": ") + ap.note);
        if (!who.isEmpty()) {
            auto *approvals = new QLabel(tr("Decisions: %1").arg(who.join(QStringLiteral("; "))), card);
            approvals->setTextFormat(Qt::PlainText);
            approvals->setWordWrap(true);
            approvals->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
            v->addWidget(approvals);
        }
        if (a.state == QLatin1String("awaiting_approval")) {
            auto *row = new QHBoxLayout;
            auto *approve = new QPushButton(tr("Approve"), card);
            auto *reject = new QPushButton(tr("Reject…"), card);
            row->addStretch(1);
            row->addWidget(reject);
            row->addWidget(approve);
            v->addLayout(row);
            const qint64 id = a.id;
            connect(approve, &QPushButton::clicked, this, [this, id] { decide(id, true, QString()); });
            connect(reject, &QPushButton::clicked, this, [this, id] {
                bool ok = false;
                const QString note = QInputDialog::getText(this, tr("Reject action"), tr("Reason (recorded in the audit trail):"),
                                                           QLineEdit::Normal, QString(), &ok);
                if (ok && !note.trimmed().isEmpty())
                    decide(id, false, note);
            });
        }
        m_cardsLayout->insertWidget(m_cardsLayout->count() - 1, card);
    }
}

QString PlaybookPanel::selectedStage() const
{
    const QModelIndex current = m_stages->currentIndex();
    return current.isValid() ? current.data(PlaybookStageModel::StageIdRole).toString() : QString();
}

void PlaybookPanel::setInputDefaults(const QStringList &assignments)
{
    for (const QString &a : assignments) {
        const QString name = a.section(QLatin1Char('='), 0, 0).trimmed();
        const QString value = a.section(QLatin1Char('='), 1).trimmed();
        const bool on = value == QLatin1String("true") || value == QLatin1String("1");
        if (name == QLatin1String("AutoRemediation"))
            m_autoRemediation->setChecked(on);
        else if (name == QLatin1String("TwoPersonRule"))
            m_twoPerson->setChecked(on);
        else if (name == QLatin1String("HighAlertsThreshold"))
            m_highThreshold->setValue(value.toInt());
        else if (name == QLatin1String("CriticalAlertsThreshold"))
            m_criticalThreshold->setValue(value.toInt());
        else if (name == QLatin1String("MinimumScoreToBlock"))
            m_minScore->setValue(value.toInt());
        else if (name == QLatin1String("RelatedAlertsWindow"))
            m_window->setText(value);
        else if (name == QLatin1String("VerdictRule"))
            m_verdictRule->setCurrentText(value);
    }
}

void PlaybookPanel::updateWidgets()
{
    const bool idle = m_caseId > 0 && !m_watcher.isRunning();
    m_runAll->setEnabled(idle && (!m_view || !m_view->nextStage.isEmpty() || m_view->run.state == QLatin1String("completed")));
    m_runStage->setEnabled(idle);
    const bool fresh = !m_view || m_view->run.state == QLatin1String("completed");
    for (QWidget *w : std::initializer_list<QWidget *>{m_autoRemediation, m_twoPerson, m_highThreshold, m_criticalThreshold, m_minScore, m_window, m_verdictRule})
        w->setEnabled(fresh);
}

} // namespace causa
