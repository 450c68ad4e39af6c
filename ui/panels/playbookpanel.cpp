#include "playbookpanel.h"

#include "playbooklayout.h"

#include "approvalcard.h"
#include "core/jsonutil.h"
#include "dialogs/decisiondialog.h"
#include "modelformat.h"
#include "playbookstagemodel.h"
#include "stagepresenter.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPainter>
#include <QPushButton>
#include <QResizeEvent>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTextBrowser>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <functional>

namespace causa {

namespace {

const QString kPlaybookId = QStringLiteral("remote-psexec-lolbin");
constexpr int kChecklistMaxHeight = 200;

Result<void> ok(const Result<StageStateRecord> &r)
{
    return r ? Result<void>() : Result<void>(r.error());
}

} // namespace

PlaybookPanel::PlaybookPanel(PlaybookService *service, QWidget *parent)
    : QWidget(parent), m_service(service),
      m_analyst(qEnvironmentVariable("USER", QStringLiteral("analyst")))
{
    auto *layout = new QVBoxLayout(this);
    m_title = new QLabel(tr("No case selected"), this);
    m_title->setTextFormat(Qt::PlainText); // the case title is imported text
    m_title->setWordWrap(true); // a long title must not set the whole window's minimum width
    QFont f = m_title->font();
    f.setBold(true);
    m_title->setFont(f);
    layout->addWidget(m_title);
    m_status = new QLabel(this);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    auto *split = new QSplitter(Qt::Horizontal, this);
    buildLeft(split);
    buildRight(split);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({460, 580}); // the approval cards need room to be read
    layout->addWidget(split, 1);
    connect(m_service, &PlaybookService::snapshotReady, this,
            [this](const PlaybookSnapshot &s) { show(s); });
    updateWidgets();
}

PlaybookPanel::~PlaybookPanel() = default;

QWidget *PlaybookPanel::buildLeft(QWidget *parent)
{
    auto *left = new QWidget(parent);
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
    // The "why" wraps under each title; nine rows of their own height cost nothing.
    m_stages->setUniformRowHeights(false);
    auto *header = m_stages->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(PlaybookStageModel::NumberColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(PlaybookStageModel::TitleColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(PlaybookStageModel::StateColumn, QHeaderView::ResizeToContents);
    m_stages->setColumnHidden(PlaybookStageModel::ReasonColumn, true); // shown under the title
    m_stages->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_stages->setWordWrap(true);
    m_stages->setItemDelegateForColumn(PlaybookStageModel::TitleColumn,
                                       playbooklayout::stageDelegate(m_stages));
    m_stages->setTextElideMode(Qt::ElideRight);
    connect(header, &QHeaderView::sectionResized, m_stages, [this](int section) {
        if (section == PlaybookStageModel::TitleColumn)
            QTimer::singleShot(0, m_stages, [view = m_stages] { view->doItemsLayout(); });
    });
    leftLayout->addWidget(m_stages, 1);

    auto *row1 = new QHBoxLayout;
    m_runAll = new QPushButton(tr("Run to next decision"), left);
    m_runAll->setToolTip(tr(
        "Run stages in order until one waits for an approval or for the analyst (starts a run when the case has none)"));
    m_step = new QPushButton(tr("Step"), left);
    m_step->setToolTip(tr("Run only the next stage"));
    m_rerun = new QPushButton(tr("Re-run stage"), left);
    m_rerun->setToolTip(tr("Run the selected stage again; later stages go back to pending"));
    for (QPushButton *b : {m_runAll, m_step, m_rerun})
        row1->addWidget(b);
    row1->addStretch(1);
    auto *row2 = new QHBoxLayout;
    m_skip = new QPushButton(tr("Skip…"), left);
    m_skip->setToolTip(tr("Skip the selected stage with a reason"));
    m_override = new QPushButton(tr("Override…"), left);
    m_override->setToolTip(
        tr("Replace an output of the selected stage (the verdict, for one) with a reason"));
    m_newRun = new QPushButton(tr("New run with these inputs"), left);
    m_newRun->setToolTip(tr(
        "Start a fresh run of the playbook with the inputs below; the current run stays in the history"));
    for (QPushButton *b : {m_skip, m_override, m_newRun})
        row2->addWidget(b);
    row2->addStretch(1);
    leftLayout->addLayout(row1);
    leftLayout->addLayout(row2);
    connect(m_runAll, &QPushButton::clicked, this, &PlaybookPanel::runAll);
    connect(m_step, &QPushButton::clicked, this, &PlaybookPanel::step);
    connect(m_rerun, &QPushButton::clicked, this, [this] { rerunStage(selectedStage()); });
    connect(m_skip, &QPushButton::clicked, this, &PlaybookPanel::askSkip);
    connect(m_override, &QPushButton::clicked, this, &PlaybookPanel::askOverride);
    connect(m_newRun, &QPushButton::clicked, this, &PlaybookPanel::startNewRun);

    // The inputs are set once per run, the stages read all day: folded, they take a line of
    // values and leave the height to the stage list.
    m_inputsToggle = new QToolButton(left);
    m_inputsToggle->setCheckable(true);
    m_inputsToggle->setAutoRaise(true);
    m_inputsToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_inputsToggle->setArrowType(Qt::RightArrow);
    m_inputsToggle->setText(tr("Inputs for a new run"));
    m_inputsSummary = new QLabel(left);
    m_inputsSummary->setTextFormat(Qt::PlainText);
    m_inputsSummary->setWordWrap(true);
    m_inputs = new QGroupBox(left);
    m_inputs->setVisible(false);
    auto *form = new QFormLayout(m_inputs);
    m_autoRemediation = new QCheckBox(tr("Execute actions without approval"), m_inputs);
    m_twoPerson = new QCheckBox(tr("Two analysts approve each action"), m_inputs);
    m_highThreshold = new QSpinBox(m_inputs);
    m_highThreshold->setRange(0, 100);
    m_highThreshold->setValue(1);
    m_criticalThreshold = new QSpinBox(m_inputs);
    m_criticalThreshold->setRange(0, 100);
    m_criticalThreshold->setValue(1);
    m_minScore = new QSpinBox(m_inputs);
    m_minScore->setRange(1, 3);
    m_minScore->setValue(3);
    m_verdictRule = new QComboBox(m_inputs);
    m_verdictRule->addItems({QStringLiteral("score"), QStringLiteral("xsoar-flags")});
    m_window = new QLineEdit(QStringLiteral("2h"), m_inputs);
    m_window->setToolTip(tr("Window before and after the alert for related alerts: 90m, 2h, 1d"));
    form->addRow(tr("AutoRemediation"), m_autoRemediation);
    form->addRow(tr("TwoPersonRule"), m_twoPerson);
    form->addRow(tr("HighAlertsThreshold"), m_highThreshold);
    form->addRow(tr("CriticalAlertsThreshold"), m_criticalThreshold);
    form->addRow(tr("MinimumScoreToBlock"), m_minScore);
    form->addRow(tr("RelatedAlertsWindow"), m_window);
    form->addRow(tr("VerdictRule"), m_verdictRule);
    leftLayout->addWidget(m_inputsToggle);
    leftLayout->addWidget(m_inputsSummary);
    leftLayout->addWidget(m_inputs);
    connect(m_inputsToggle, &QToolButton::toggled, this, [this](bool open) {
        m_inputsToggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
        m_inputs->setVisible(open);
        m_inputsSummary->setVisible(!open);
    });
    for (QCheckBox *c : {m_autoRemediation, m_twoPerson})
        connect(c, &QCheckBox::toggled, this, &PlaybookPanel::updateInputsSummary);
    for (QSpinBox *b : {m_highThreshold, m_criticalThreshold, m_minScore})
        connect(b, &QSpinBox::valueChanged, this, &PlaybookPanel::updateInputsSummary);
    connect(m_window, &QLineEdit::textChanged, this, &PlaybookPanel::updateInputsSummary);
    connect(m_verdictRule, &QComboBox::currentTextChanged, this,
            &PlaybookPanel::updateInputsSummary);
    updateInputsSummary();
    connect(m_stages->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        m_raw = false;
        showStage();
        updateWidgets();
    });
    return left;
}

QWidget *PlaybookPanel::buildRight(QWidget *parent)
{
    auto *right = new QSplitter(Qt::Vertical, parent);
    m_detail = new QTextBrowser(right);
    m_detail->setOpenLinks(false);
    connect(m_detail, &QTextBrowser::anchorClicked, this, &PlaybookPanel::onLink);

    m_decision = new QGroupBox(tr("Decision"), right);
    auto *dl = new QVBoxLayout(m_decision);
    m_proposal = new QLabel(m_decision);
    m_proposal->setTextFormat(Qt::PlainText);
    m_proposal->setWordWrap(true);
    dl->addWidget(m_proposal);
    m_checklist = new QListWidget(m_decision);
    m_checklist->setToolTip(
        tr("The manual remediation checklist: each tick is recorded with your name"));
    // Each task wraps to the box's width and the list is as tall as its tasks (rebuildChecklist).
    m_checklist->setWordWrap(true);
    m_checklist->setResizeMode(QListView::Adjust);
    m_checklist->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // The viewport's width, not the list's: the list's resize event comes before its viewport
    // has the new width, and items fitted then keep the heights of the old one.
    playbooklayout::onWidthChange(m_checklist->viewport(), [this] {
        playbooklayout::fitListToContents(m_checklist, kChecklistMaxHeight);
        // After the splitter's own layout pass, which is under way during a resize.
        QTimer::singleShot(0, m_decision, [this] { playbooklayout::growInSplitter(m_decision); });
    });
    dl->addWidget(m_checklist);
    auto *buttons = new QHBoxLayout;
    m_close = new QPushButton(tr("Close case…"), m_decision);
    m_reopen = new QPushButton(tr("Reopen…"), m_decision);
    buttons->addStretch(1);
    buttons->addWidget(m_reopen);
    buttons->addWidget(m_close);
    dl->addLayout(buttons);
    connect(m_close, &QPushButton::clicked, this, &PlaybookPanel::askClose);
    connect(m_reopen, &QPushButton::clicked, this, &PlaybookPanel::askReopen);
    connect(m_checklist, &QListWidget::itemChanged, this, [this](QListWidgetItem *item) {
        const bool done = item->checkState() == Qt::Checked;
        if (done != item->data(Qt::UserRole + 1).toBool())
            tickChecklist(m_checklist->row(item), done, QString());
    });

    auto *scroll = new QScrollArea(right);
    scroll->setWidgetResizable(true);
    m_cards = new QWidget(scroll);
    m_cardsLayout = new QVBoxLayout(m_cards);
    m_cardsLayout->addStretch(1);
    scroll->setWidget(m_cards);
    // cards wrap; a narrow pane scrolls rather than clips
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_queue = new QTreeWidget(right);
    m_queue->setHeaderLabels({tr("Pending approvals (all cases)"), tr("Case"), tr("Target")});
    m_queue->setRootIsDecorated(false);
    // Targets (hashes, causality ids) elide in the middle, the tooltip has them whole; the
    // pane shows three approvals before it scrolls.
    m_queue->setTextElideMode(Qt::ElideMiddle);
    m_queue->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_queue->setMinimumHeight(m_queue->header()->sizeHint().height() +
                              (m_queue->fontMetrics().height() + 5) * 3 +
                              2 * m_queue->frameWidth());
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 1);
    right->setStretchFactor(2, 2);
    right->setStretchFactor(3, 1);
    right->setSizes({220, 140, 320, 80}); // the cards are what an analyst acts on
    return right;
}

void PlaybookPanel::setCase(qint64 caseId)
{
    m_caseId = caseId;
    m_view.reset();
    m_case = {};
    m_stageModel->clear();
    m_title->setText(caseId > 0 ? tr("Playbook on case %1").arg(caseId) : tr("No case selected"));
    if (caseId > 0)
        m_generation = m_service->load(caseId); // reads only: opening a case writes nothing
    updateWidgets();
}

bool PlaybookPanel::busy() const
{
    return m_service->busy();
}

QStringList PlaybookPanel::inputAssignments() const
{
    auto flag = [](bool on) { return on ? QStringLiteral("true") : QStringLiteral("false"); };
    const QString window =
        m_window->text().trimmed().isEmpty() ? QStringLiteral("2h") : m_window->text().trimmed();
    return {QStringLiteral("AutoRemediation=") + flag(m_autoRemediation->isChecked()),
            QStringLiteral("TwoPersonRule=") + flag(m_twoPerson->isChecked()),
            QStringLiteral("HighAlertsThreshold=%1").arg(m_highThreshold->value()),
            QStringLiteral("CriticalAlertsThreshold=%1").arg(m_criticalThreshold->value()),
            QStringLiteral("MinimumScoreToBlock=%1").arg(m_minScore->value()),
            QStringLiteral("RelatedAlertsWindow=") + window,
            QStringLiteral("VerdictRule=") + m_verdictRule->currentText()};
}

void PlaybookPanel::submit(PlaybookService::Command command, bool startRun)
{
    if (m_caseId <= 0)
        return;
    m_generation =
        m_service->submit(m_caseId, std::move(command), startRun, inputAssignments(), m_analyst);
    updateWidgets();
}

void PlaybookPanel::runAll()
{
    const QString who = m_analyst;
    submit([who](PlaybookEngine &e, qint64 runId) -> Result<void> {
        auto v = e.runAll(runId, who);
        return v ? Result<void>() : Result<void>(v.error());
    });
}

void PlaybookPanel::step()
{
    const QString who = m_analyst;
    submit([who](PlaybookEngine &e, qint64 runId) { return ok(e.step(runId, who)); });
}

void PlaybookPanel::rerunStage(const QString &stageId)
{
    if (stageId.isEmpty())
        return step();
    const QString who = m_analyst;
    submit([stageId, who](PlaybookEngine &e,
                          qint64 runId) { return ok(e.runStage(runId, stageId, who)); },
           false);
}

void PlaybookPanel::skipStage(const QString &stageId, const QString &reason)
{
    const QString who = m_analyst;
    submit(
        [=](PlaybookEngine &e, qint64 runId) { return e.skipStage(runId, stageId, reason, who); });
}

void PlaybookPanel::overrideOutput(const QString &stageId, const QString &key,
                                   const nlohmann::json &value, const QString &reason)
{
    const QString who = m_analyst;
    submit([=](PlaybookEngine &e,
               qint64 runId) { return e.overrideOutput(runId, stageId, key, value, reason, who); },
           false);
}

void PlaybookPanel::startNewRun()
{
    if (m_caseId > 0)
        m_generation = m_service->startNewRun(m_caseId, inputAssignments(), m_analyst);
    updateWidgets();
}

void PlaybookPanel::decide(qint64 actionId, bool approve, const QString &note)
{
    const QString who = m_analyst;
    submit(
        [=](PlaybookEngine &e, qint64) -> Result<void> {
            auto a = e.decide(actionId, who, approve, note);
            return a ? Result<void>() : Result<void>(a.error());
        },
        false);
}

void PlaybookPanel::tickChecklist(int index, bool done, const QString &note)
{
    const QString who = m_analyst;
    submit([=](PlaybookEngine &e,
               qint64 runId) { return e.tickChecklist(runId, index, done, note, who); },
           false);
}

void PlaybookPanel::closeCase(const QString &resolution, const QString &note)
{
    const QString who = m_analyst;
    const qint64 caseId = m_caseId;
    submit([=](PlaybookEngine &e, qint64) { return e.closeCase(caseId, resolution, note, who); },
           false);
}

void PlaybookPanel::reopenCase(const QString &reason)
{
    const QString who = m_analyst;
    const qint64 caseId = m_caseId;
    submit([=](PlaybookEngine &e, qint64) { return e.reopenCase(caseId, reason, who); }, false);
}

void PlaybookPanel::proposeAction(const QString &kind, const QString &target, const QString &reason)
{
    const QString who = m_analyst;
    const qint64 caseId = m_caseId;
    submit(
        [=](PlaybookEngine &e, qint64) -> Result<void> {
            auto a = e.proposeAction(caseId, kind, target, reason, who);
            return a ? Result<void>() : Result<void>(a.error());
        },
        false);
}

void PlaybookPanel::show(const PlaybookSnapshot &s)
{
    if (s.caseId != m_caseId || s.generation < m_generation)
        return; // another case is shown now, or a newer request is on its way
    m_view = s.view;
    m_case = s.caseSummary;
    m_pending = s.pending;
    const QString selected = selectedStage();
    if (m_view) {
        m_stageModel->setStages(m_view->stages);
        if (const int row = m_stageModel->rowOf(selected); row >= 0 && !selected.isEmpty())
            m_stages->setCurrentIndex(m_stageModel->index(row, 0));
    } else {
        // No run yet: the playbook's stages, all pending, so the analyst sees what would run.
        std::vector<StageStateRecord> pending;
        for (const StageDefinition &d : m_stageModel->definition().stages) {
            StageStateRecord st;
            st.stageId = d.id;
            pending.push_back(st);
        }
        m_stageModel->setStages(std::move(pending));
    }
    m_title->setText(tr("Playbook on case %1 — %2").arg(m_case.id).arg(m_case.title));
    QString status;
    if (!m_view)
        status = tr(
            "No run yet: “Run to next decision” or “Step” starts one with the inputs below. Opening a case never starts a run.");
    else
        status = tr("Run %1 (%2), started by %3. %4")
                     .arg(m_view->run.id)
                     .arg(fmt::stateLabel(toText(m_view->run.state)), m_view->run.startedBy,
                          m_view->waitingFor);
    if (m_case.status == QLatin1String("closed"))
        status +=
            tr(" The case is closed as %1.").arg(stagepresenter::resolutionText(m_case.verdict));
    m_status->setText(status);
    m_queue->clear();
    for (const ActionRecord &a : m_pending) {
        auto *item = new QTreeWidgetItem(m_queue, {QStringLiteral("#%1 %2").arg(a.id).arg(a.kind),
                                                   QString::number(a.caseId), a.target});
        item->setToolTip(2, fmt::plainToolTip(a.target));
    }
    // The action and its case as wide as they are, the target the rest.
    m_queue->resizeColumnToContents(0);
    m_queue->resizeColumnToContents(1);
    rebuildCards();
    rebuildChecklist();
    showStage();
    updateWidgets();
    Q_EMIT viewUpdated(s.error);
    if (s.changed)
        Q_EMIT caseChanged(s.caseId);
}

const StageStateRecord *PlaybookPanel::stageRecord(const QString &stageId) const
{
    if (!m_view)
        return nullptr;
    for (const StageStateRecord &st : m_view->stages)
        if (st.stageId == stageId)
            return &st;
    return nullptr;
}

void PlaybookPanel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() != QEvent::PaletteChange)
        return;
    // State colours and links are chosen for the palette: a theme switch repaints them.
    if (m_detail)
        showStage();
    if (m_cardsLayout)
        rebuildCards();
}

void PlaybookPanel::showStage()
{
    const QString id = selectedStage();
    const StageStateRecord *st = stageRecord(id);
    const StageDefinition *def = m_stageModel->definition().stage(id);
    if (!st || !def) {
        m_detail->setHtml(m_view ? tr("<p>Select a stage to see what it found.</p>")
                                 : tr("<p>No run yet. The playbook runs only when you ask.</p>"));
        return;
    }
    // Links in the theme's link colour (the document does not follow a palette change by itself).
    m_detail->document()->setDefaultStyleSheet(
        QStringLiteral("a { color: %1; }").arg(palette().color(QPalette::Link).name()));
    m_detail->setHtml(m_raw ? stagepresenter::rawHtml(*def, *st) : stagepresenter::html(*def, *st));
}

void PlaybookPanel::onLink(const QUrl &url)
{
    const QString path = url.path();
    if (path == QLatin1String("raw") || path == QLatin1String("readable")) {
        m_raw = path == QLatin1String("raw");
        showStage();
        return;
    }
    const QString page = path.section(QLatin1Char('/'), 0, 0);
    const QString ref = QUrl::fromPercentEncoding(path.section(QLatin1Char('/'), 1).toUtf8());
    Q_EMIT navigateRequested(page, ref);
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
        auto *card = new ApprovalCard(
            a, [this](qint64 id, bool approve, const QString &note) { decide(id, approve, note); },
            m_cards);
        m_cardsLayout->insertWidget(m_cardsLayout->count() - 1, card);
    }
}

void PlaybookPanel::rebuildChecklist()
{
    const QSignalBlocker block(m_checklist);
    m_checklist->clear();
    const StageStateRecord *st = stageRecord(QStringLiteral("remediation"));
    const nlohmann::json items =
        st ? st->outputs.value("checklist", nlohmann::json::array()) : nlohmann::json::array();
    for (const nlohmann::json &c : items) {
        const bool done = c.is_object() && c.value("done", false);
        QString text = c.is_object() ? js::str(c, "item") : QString::fromStdString(c.dump());
        if (c.is_object() && c.contains("by"))
            text += tr("  — %1 by %2").arg(done ? tr("ticked") : tr("unticked"), js::str(c, "by"));
        auto *item = new QListWidgetItem(text, m_checklist);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(done ? Qt::Checked : Qt::Unchecked);
        item->setData(Qt::UserRole + 1, done);
    }
    m_checklist->setVisible(!items.empty());
    playbooklayout::fitListToContents(m_checklist, kChecklistMaxHeight);
    const StageStateRecord *close = stageRecord(QStringLiteral("close"));
    QString proposal;
    if (m_case.status == QLatin1String("closed"))
        proposal = tr("Closed as %1: %2")
                       .arg(stagepresenter::resolutionText(m_case.verdict), m_case.resolutionNote);
    else if (close && close->state == StageState::AwaitingDecision) {
        const QString p = js::str(close->outputs, "proposed_resolution");
        proposal = p.isEmpty()
                       ? tr("The playbook proposes no resolution: evidence is missing. You decide.")
                       : tr("The playbook proposes: %1. You close the case.")
                             .arg(stagepresenter::resolutionText(p));
    } else {
        proposal =
            tr("You can close the case at any time; stage 7 proposes a resolution when it runs.");
    }
    m_proposal->setText(proposal);
    playbooklayout::growInSplitter(m_decision);
}

QString PlaybookPanel::selectedStage() const
{
    const QModelIndex current = m_stages->currentIndex();
    return current.isValid() ? current.data(PlaybookStageModel::StageIdRole).toString() : QString();
}

void PlaybookPanel::askSkip()
{
    const QString id = selectedStage();
    if (id.isEmpty())
        return;
    DecisionDialog dialog(tr("Skip stage"),
                          tr("Skip stage %1? Later stages go back to pending.").arg(id), this);
    if (dialog.exec() == QDialog::Accepted)
        skipStage(id, dialog.reason());
}

void PlaybookPanel::askOverride()
{
    const QString id = selectedStage();
    const StageStateRecord *st = stageRecord(id);
    if (!st)
        return;
    DecisionDialog dialog(tr("Override an output"),
                          tr("Replace an output of stage %1. Later stages go back to pending "
                             "and run again on your value.")
                              .arg(id),
                          this);
    if (id == QLatin1String("verdict")) {
        dialog.setChoices(tr("Verdict"),
                          {{tr("malicious"), QStringLiteral("malicious")},
                           {tr("not malicious"), QStringLiteral("not_malicious")}},
                          js::str(st->outputs, "verdict") == QLatin1String("malicious")
                              ? QStringLiteral("not_malicious")
                              : QStringLiteral("malicious"));
    } else {
        QList<std::pair<QString, QString>> keys;
        for (const auto &[k, v] : st->outputs.items())
            if (k != "overrides")
                keys.push_back({QString::fromStdString(k), QString::fromStdString(k)});
        dialog.setChoices(tr("Output"), keys);
        dialog.setValueField(tr("New value (JSON or text)"));
    }
    if (dialog.exec() != QDialog::Accepted)
        return;
    const bool verdict = id == QLatin1String("verdict");
    nlohmann::json value = verdict
                               ? nlohmann::json(js::toStd(dialog.choice()))
                               : nlohmann::json::parse(js::toStd(dialog.value()), nullptr, false);
    if (!verdict && value.is_discarded())
        value = js::toStd(dialog.value());
    overrideOutput(id, verdict ? QStringLiteral("verdict") : dialog.choice(), value,
                   dialog.reason());
}

void PlaybookPanel::askClose()
{
    const StageStateRecord *close = stageRecord(QStringLiteral("close"));
    const QString proposed = close ? js::str(close->outputs, "proposed_resolution") : QString();
    DecisionDialog dialog(tr("Close case"),
                          proposed.isEmpty()
                              ? tr("Close case %1 with a resolution and a note.").arg(m_caseId)
                              : tr("Close case %1. The playbook proposes %2.")
                                    .arg(m_caseId)
                                    .arg(stagepresenter::resolutionText(proposed)),
                          this);
    QList<std::pair<QString, QString>> choices;
    for (const QString &r : PlaybookEngine::resolutions())
        choices.push_back({stagepresenter::resolutionText(r), r});
    dialog.setChoices(tr("Resolution"), choices, proposed);
    dialog.setReasonLabel(tr("Resolution note (goes into the report and the audit trail):"));
    if (dialog.exec() == QDialog::Accepted)
        closeCase(dialog.choice(), dialog.reason());
}

void PlaybookPanel::askReopen()
{
    DecisionDialog dialog(tr("Reopen case"),
                          tr("Reopen case %1? Stage 7 will wait for a new decision.").arg(m_caseId),
                          this);
    if (dialog.exec() == QDialog::Accepted)
        reopenCase(dialog.reason());
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
    const bool idle = m_caseId > 0 && !m_service->busy();
    const bool closed = m_case.status == QLatin1String("closed");
    const StageStateRecord *selected = stageRecord(selectedStage());
    const bool canAdvance =
        !m_view || !m_view->nextStage.isEmpty() || m_view->run.state == RunState::Completed;
    m_runAll->setEnabled(idle && !closed && canAdvance);
    m_step->setEnabled(idle && !closed && canAdvance);
    m_rerun->setEnabled(idle && !closed && selected);
    m_skip->setEnabled(idle && !closed && selected && selected->state != StageState::Skipped);
    m_override->setEnabled(idle && !closed && selected && selected->state != StageState::Pending &&
                           selected->state != StageState::Running);
    m_newRun->setEnabled(idle && !closed);
    m_close->setEnabled(idle && !closed);
    m_reopen->setEnabled(idle && closed);
    m_checklist->setEnabled(idle && !closed);
    m_inputsToggle->setText(m_view && m_view->run.state != RunState::Completed
                                ? tr("Inputs for a new run (the current run keeps its own)")
                                : tr("Inputs for a new run"));
}

// The folded inputs as the run will get them; AutoRemediation on, which executes blocking
// actions without approval, in the warning colour.
void PlaybookPanel::updateInputsSummary()
{
    m_inputsSummary->setText(inputAssignments().join(QStringLiteral(" · ")));
    m_inputsSummary->setStyleSheet(m_autoRemediation->isChecked()
                                       ? QStringLiteral("color: #c76b00;")
                                       : QStringLiteral("color: palette(mid);"));
}

} // namespace causa
