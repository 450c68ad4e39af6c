#include "timelinepanel.h"

#include "modelformat.h"
#include "recordtable.h"
#include "timelinechart.h"
#include "timelineeventmodel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace causa {

TimelinePanel::TimelinePanel(CasePagesService *service, QWidget *parent)
    : QWidget(parent), m_service(service)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    m_title = new QLabel(this);
    m_title->setTextFormat(Qt::PlainText); // host names come from imported data
    m_title->setWordWrap(true);
    QFont tf = m_title->font();
    tf.setBold(true);
    m_title->setFont(tf);
    layout->addWidget(m_title);

    auto *bar = new QHBoxLayout;
    m_kind = new QComboBox(this);
    m_kind->addItem(tr("All kinds"), QString());
    for (const QString &g : timelineq::kindGroups())
        m_kind->addItem(g, g);
    m_kind->setToolTip(tr("Show only events of this kind"));
    m_text = new QLineEdit(this);
    m_text->setPlaceholderText(tr("Filter events (summary or process)…"));
    m_text->setClearButtonEnabled(true);
    m_minutes = new QSpinBox(this);
    m_minutes->setRange(1, 7 * 24 * 60);
    m_minutes->setValue(120);
    m_minutes->setPrefix(tr("Pivot ±"));
    m_minutes->setSuffix(tr(" min"));
    m_minutes->setToolTip(tr("Window of \"Pivot ±N min\" around an alert, process or event"));
    m_earlier = new QToolButton(this);
    m_earlier->setText(tr("◀"));
    m_earlier->setToolTip(tr("Earlier (Left arrow on the chart)"));
    m_later = new QToolButton(this);
    m_later->setText(tr("▶"));
    m_later->setToolTip(tr("Later (Right arrow on the chart)"));
    m_reset = new QToolButton(this);
    m_reset->setText(tr("Reset zoom"));
    m_reset->setToolTip(tr("Back to the whole case or pivot window"));
    bar->addWidget(m_kind);
    bar->addWidget(m_text, 1);
    bar->addWidget(m_minutes);
    bar->addWidget(m_earlier);
    bar->addWidget(m_later);
    bar->addWidget(m_reset);
    layout->addLayout(bar);

    auto *split = new QSplitter(Qt::Vertical, this);
    m_chart = new TimelineChart(split);
    m_chart->setToolTip(tr("Drag across the chart to zoom into a time range"));
    m_model = new TimelineEventModel(this);
    m_view = makeRecordTable(m_model, split);
    const QFontMetrics fm = m_view->fontMetrics();
    m_view->setColumnWidth(TimelineEventModel::TimeColumn,
                           fm.horizontalAdvance(QStringLiteral("2026-11-27 23:59:59.999")) + 16);
    m_view->setColumnWidth(TimelineEventModel::HostColumn,
                           fm.horizontalAdvance(QStringLiteral("FIN-WS-042.corp")) + 12);
    m_view->setColumnWidth(TimelineEventModel::KindColumn,
                           fm.horizontalAdvance(QStringLiteral("service_install")) + 16);
    m_view->setColumnWidth(TimelineEventModel::ProcessColumn,
                           fm.horizontalAdvance(QStringLiteral("powershell.exe (12345)")) + 12);
    split->addWidget(m_chart);
    split->addWidget(m_view);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    layout->addWidget(split, 1);
    m_status = new QLabel(this);
    m_status->setTextFormat(Qt::PlainText);
    layout->addWidget(m_status);

    m_textDelay = new QTimer(this);
    m_textDelay->setSingleShot(true);
    m_textDelay->setInterval(200);
    connect(m_textDelay, &QTimer::timeout, this, [this] {
        m_scope.text = m_text->text();
        reloadEvents();
    });
    connect(m_text, &QLineEdit::textChanged, m_textDelay, qOverload<>(&QTimer::start));
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] {
        const QString g = m_kind->currentData().toString();
        m_scope.groups = g.isEmpty() ? QStringList() : QStringList{g};
        reloadEvents();
    });
    connect(m_reset, &QToolButton::clicked, this, &TimelinePanel::reset);
    connect(m_earlier, &QToolButton::clicked, this, [this] { pan(-1); });
    connect(m_later, &QToolButton::clicked, this, [this] { pan(1); });
    connect(m_chart, &TimelineChart::rangeSelected, this, &TimelinePanel::selectRange);
    connect(m_chart, &TimelineChart::panRequested, this, &TimelinePanel::pan);
    connect(m_chart, &TimelineChart::alertActivated, this, &TimelinePanel::alertActivated);
    connect(m_model, &TimelineEventModel::fetchRequested, this, [this](qint64 offset) {
        if (m_eventsGeneration != 0) // 0: a new scope is loading, its first page replaces the model
            m_service->loadEventPage(m_eventsGeneration, m_scope, offset);
    });
    connect(m_service, &CasePagesService::timelineLoaded, this, &TimelinePanel::onOverview);
    connect(m_service, &CasePagesService::eventsLoaded, this,
            [this](quint64 generation, qint64 total, const std::vector<TimelineEvent> &rows) {
                if (generation != m_eventsGeneration)
                    return;
                m_model->resetPaged(total, rows);
                if (m_pendingSelect != 0)
                    for (int row = 0; row < m_model->rowCount(); ++row)
                        if (m_model->eventAt(row)->id == m_pendingSelect) {
                            m_pendingSelect = 0;
                            m_view->setCurrentIndex(m_model->index(row, 0));
                            m_view->scrollTo(m_model->index(row, 0));
                            break;
                        }
                updateStatus();
                Q_EMIT eventsShown();
            });
    connect(m_service, &CasePagesService::eventPageLoaded, this,
            [this](quint64 generation, qint64 offset, const std::vector<TimelineEvent> &rows) {
                if (generation != 0 && generation == m_eventsGeneration)
                    m_model->appendPage(offset, rows);
                updateStatus();
            });
    m_chart->clearChart(tr("Select a case"));
    updateStatus();
}

void TimelinePanel::selectEventWhenShown(qint64 eventId)
{
    m_pendingSelect = eventId;
}

void TimelinePanel::setCase(qint64 caseId)
{
    m_pendingSelect = 0;
    TimelineRequest r;
    r.caseId = caseId;
    m_base = r;
    request(r);
}

void TimelinePanel::showHost(const QString &host)
{
    TimelineRequest r;
    r.caseId = m_base.caseId;
    r.host = host;
    m_base = r;
    request(r);
}

void TimelinePanel::pivot(const QString &host, qint64 center, int minutes)
{
    if (minutes < 0)
        minutes = m_minutes->value();
    TimelineRequest r;
    r.caseId = m_base.caseId;
    r.host = host;
    r.from = center - qint64(minutes) * 60000;
    r.to = center + qint64(minutes) * 60000;
    m_base = r;
    request(r);
}

void TimelinePanel::setPivotMinutes(int minutes)
{
    m_minutes->setValue(minutes);
}

int TimelinePanel::pivotMinutes() const
{
    return m_minutes->value();
}

void TimelinePanel::request(const TimelineRequest &r)
{
    m_current = r;
    // Event pages of the previous scope may still be on their way: drop them, or they would
    // consume a pending selection and be replaced by this request's rows right after.
    m_eventsGeneration = 0;
    m_overviewGeneration = m_service->loadTimeline(r);
    m_status->setText(tr("Loading…"));
}

void TimelinePanel::onOverview(const TimelineOverview &o)
{
    if (o.generation != m_overviewGeneration)
        return;
    m_overview = o;
    const QString hosts =
        o.hosts.isEmpty() ? tr("no known host") : o.hosts.join(QStringLiteral(", "));
    if (o.request.host.isEmpty() && o.request.from == 0)
        m_title->setText(tr("%1 — every event of the case's hosts").arg(hosts));
    else
        m_title->setText(
            tr("%1 — %2 to %3 UTC").arg(hosts, fmt::dateTime(o.from), fmt::dateTime(o.to)));
    m_chart->setOverview(o);
    m_scope.endpointIds = o.endpointIds;
    m_scope.from = o.from;
    m_scope.to = o.to;
    m_reset->setEnabled(m_current.from != m_base.from || m_current.to != m_base.to ||
                        m_current.host != m_base.host);
    m_earlier->setEnabled(o.to > o.from);
    m_later->setEnabled(o.to > o.from);
    reloadEvents();
    Q_EMIT overviewShown();
}

void TimelinePanel::reloadEvents()
{
    if (m_scope.endpointIds.isEmpty()) {
        m_eventsGeneration = 0; // no reply carries 0: anything still on its way is dropped
        m_model->clear();
        updateStatus();
        Q_EMIT eventsShown();
        return;
    }
    m_eventsGeneration = m_service->loadEvents(m_scope);
}

void TimelinePanel::selectRange(qint64 from, qint64 to)
{
    if (to <= from)
        return;
    TimelineRequest r = m_current;
    r.host = m_overview.request.host;
    r.from = from;
    r.to = to;
    request(r);
}

void TimelinePanel::reset()
{
    request(m_base);
}

void TimelinePanel::pan(int direction)
{
    if (m_overview.to <= m_overview.from)
        return;
    const qint64 shift = (m_overview.to - m_overview.from) / 2 * direction;
    selectRange(m_overview.from + shift, m_overview.to + shift);
}

void TimelinePanel::setKindFilter(const QString &group)
{
    const int i = m_kind->findData(group);
    m_kind->setCurrentIndex(i < 0 ? 0 : i);
}

void TimelinePanel::setTextFilter(const QString &text)
{
    m_text->setText(text);
    m_textDelay->stop();
    m_scope.text = text;
    reloadEvents();
}

const TimelineEvent *TimelinePanel::currentEvent() const
{
    const QModelIndex i = m_view->currentIndex();
    return i.isValid() ? m_model->eventAt(i.row()) : nullptr;
}

QString TimelinePanel::statusText() const
{
    return m_status->text();
}

void TimelinePanel::updateStatus()
{
    const qint64 total = m_model->totalCount();
    QString text = tr("%L1 event(s) match · %L2 in the window · %L3 alert(s)")
                       .arg(total)
                       .arg(m_overview.total)
                       .arg(qint64(m_overview.alerts.size()));
    if (m_model->rowCount() < total)
        text += tr(" · %L1 loaded (scroll for more)").arg(m_model->rowCount());
    m_status->setText(text);
}

} // namespace causa
