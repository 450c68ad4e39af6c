#include "timelinechart.h"

#include "modelformat.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QCursor>
#include <QDateTime>
#include <QHash>
#include <QKeyEvent>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMouseEvent>
#include <QRubberBand>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>

namespace causa {

namespace {

bool isDark(const QPalette &p)
{
    return p.color(QPalette::Window).lightness() < 128;
}

QString axisFormat(qint64 span)
{
    if (span <= 2 * 60 * 1000)
        return QStringLiteral("HH:mm:ss");
    if (span <= 36 * 3600 * 1000LL)
        return QStringLiteral("HH:mm");
    return QStringLiteral("MM-dd HH:mm");
}

} // namespace

TimelineChart::TimelineChart(QWidget *parent) : QChartView(new QChart, parent)
{
    setRenderHint(QPainter::Antialiasing);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumHeight(180);
    chart()->setAnimationOptions(QChart::NoAnimation);
    chart()->setBackgroundRoundness(0);
    chart()->setMargins(QMargins(4, 4, 4, 4));
    chart()->legend()->setAlignment(Qt::AlignTop);
    m_band = new QRubberBand(QRubberBand::Rectangle, viewport());
    m_band->hide();
    applyPalette();
}

QColor TimelineChart::groupColor(const QString &group)
{
    static const QHash<QString, QColor> colors = {
        {QStringLiteral("process"), QColor(0x42, 0x85, 0xf4)},
        {QStringLiteral("network"), QColor(0xf5, 0x7c, 0x00)},
        {QStringLiteral("file"), QColor(0x2e, 0x9d, 0x5b)},
        {QStringLiteral("registry"), QColor(0x9c, 0x4d, 0xcc)},
        {QStringLiteral("service"), QColor(0xd8, 0x1b, 0x60)},
        {QStringLiteral("pipe"), QColor(0x00, 0x97, 0xa7)},
        {QStringLiteral("logon"), QColor(0xc0, 0xa0, 0x00)},
        {QStringLiteral("other"), QColor(0x8d, 0x8d, 0x8d)},
    };
    return colors.value(group, QColor(0x8d, 0x8d, 0x8d));
}

int TimelineChart::seriesCount() const
{
    return int(chart()->series().size());
}

void TimelineChart::applyPalette()
{
    const QPalette p = palette();
    // No QChart::setTheme: it would repaint the series in the theme's colours, not the kinds'.
    chart()->setBackgroundBrush(p.color(QPalette::Base));
    chart()->setPlotAreaBackgroundVisible(false);
    chart()->legend()->setLabelColor(p.color(QPalette::Text));
    chart()->setTitleBrush(p.color(QPalette::Text));
    for (QAbstractAxis *axis : chart()->axes()) {
        axis->setLabelsColor(p.color(QPalette::Text));
        QColor grid = p.color(QPalette::Text);
        grid.setAlpha(40);
        axis->setGridLineColor(grid);
        axis->setLinePenColor(grid);
    }
    setBackgroundBrush(p.color(QPalette::Base));
}

void TimelineChart::changeEvent(QEvent *event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

void TimelineChart::clearChart(const QString &message)
{
    chart()->removeAllSeries();
    for (QAbstractAxis *axis : chart()->axes())
        chart()->removeAxis(axis);
    chart()->setTitle(message);
    m_alerts.clear();
    m_from = m_to = 0;
}

void TimelineChart::setOverview(const TimelineOverview &o)
{
    clearChart();
    if (o.to <= o.from || (o.buckets.empty() && o.alerts.empty())) {
        chart()->setTitle(
            tr("No events on %1 in this window")
                .arg(o.hosts.isEmpty() ? tr("these hosts") : o.hosts.join(QStringLiteral(", "))));
        applyPalette();
        return;
    }
    m_from = o.from;
    m_to = o.to;
    m_alerts = o.alerts;
    const qint64 width = std::max<qint64>(o.bucketMs, 1);
    const int n = int((o.to - o.from) / width) + 1;
    const QStringList groups = timelineq::kindGroups();
    // Dense counts per group and bucket, so gaps draw as zero instead of a slope.
    std::vector<std::vector<qint64>> counts(size_t(groups.size()),
                                            std::vector<qint64>(size_t(n), 0));
    for (const TimelineBucket &b : o.buckets) {
        const int i = int((b.start - o.from) / width);
        const int g = int(groups.indexOf(timelineq::kindGroup(b.kind)));
        if (i >= 0 && i < n && g >= 0)
            counts[size_t(g)][size_t(i)] += b.count;
    }
    // A category axis labelled in UTC (QDateTimeAxis would print local time, unlike every table).
    auto *xAxis = new QCategoryAxis;
    xAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    xAxis->setRange(double(o.from), double(o.to));
    const int ticks = std::clamp(viewport()->width() / 120, 3, 10);
    const qint64 step = timelineq::bucketWidthFor(o.to - o.from, ticks);
    const QString format = axisFormat(o.to - o.from);
    for (qint64 t = o.from - o.from % step + step; t < o.to; t += step)
        xAxis->append(QDateTime::fromMSecsSinceEpoch(t, Qt::UTC).toString(format), double(t));
    auto *yAxis = new QValueAxis;
    yAxis->setLabelFormat(QStringLiteral("%d"));
    chart()->addAxis(xAxis, Qt::AlignBottom);
    chart()->addAxis(yAxis, Qt::AlignLeft);

    std::vector<qint64> below(size_t(n), 0);
    qint64 peak = 0;
    for (int g = 0; g < groups.size(); ++g) {
        qint64 sum = 0;
        for (qint64 c : counts[size_t(g)])
            sum += c;
        if (sum == 0)
            continue;
        auto *upper = new QLineSeries;
        auto *lower = new QLineSeries;
        QList<QPointF> up, low;
        up.reserve(2 * n);
        low.reserve(2 * n);
        for (int i = 0; i < n; ++i) {
            const double x0 = double(o.from + qint64(i) * width);
            const double x1 = double(o.from + qint64(i + 1) * width);
            const qint64 top = below[size_t(i)] + counts[size_t(g)][size_t(i)];
            up << QPointF(x0, double(top)) << QPointF(x1, double(top));
            low << QPointF(x0, double(below[size_t(i)])) << QPointF(x1, double(below[size_t(i)]));
            below[size_t(i)] = top;
            peak = std::max(peak, top);
        }
        upper->replace(up);
        lower->replace(low);
        auto *area = new QAreaSeries(upper, lower);
        upper->setParent(area);
        lower->setParent(area);
        area->setName(QStringLiteral("%1 (%2)").arg(groups.at(g)).arg(sum));
        const QColor c = groupColor(groups.at(g));
        QColor fill = c;
        fill.setAlpha(200);
        area->setBrush(fill);
        area->setPen(QPen(c, 1));
        chart()->addSeries(area);
        area->attachAxis(xAxis);
        area->attachAxis(yAxis);
    }
    const double top = std::max<double>(double(peak) * 1.18, 1.0);
    if (!o.alerts.empty()) {
        auto *marks = new QScatterSeries;
        marks->setName(tr("alerts (%1)").arg(o.alerts.size()));
        marks->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
        marks->setMarkerSize(11);
        marks->setColor(QColor(0xe5, 0x39, 0x35));
        marks->setBorderColor(isDark(palette()) ? QColor(Qt::white) : QColor(Qt::black));
        const double y = double(peak) * 1.08 + (peak == 0 ? 0.5 : 0.0);
        for (const TimelineAlert &a : o.alerts)
            marks->append(double(a.ts), y);
        chart()->addSeries(marks);
        marks->attachAxis(xAxis);
        marks->attachAxis(yAxis);
        connect(marks, &QScatterSeries::hovered, this, [this](const QPointF &p, bool state) {
            if (!state) {
                QToolTip::hideText();
                return;
            }
            for (const TimelineAlert &a : m_alerts)
                if (double(a.ts) == p.x()) {
                    QToolTip::showText(QCursor::pos(),
                                       QStringLiteral("%1\n%2 · %3 · %4")
                                           .arg(fmt::oneLine(a.name, 120), fmt::dateTime(a.ts),
                                                a.host, fmt::severityLabel(a.severity)),
                                       this);
                    return;
                }
        });
        connect(marks, &QScatterSeries::clicked, this, [this](const QPointF &p) {
            for (const TimelineAlert &a : m_alerts)
                if (double(a.ts) == p.x()) {
                    Q_EMIT alertActivated(a.id);
                    return;
                }
        });
    }
    yAxis->setRange(0, top);
    yAxis->applyNiceNumbers();
    applyPalette();
}

qint64 TimelineChart::timeAt(int x) const
{
    const QList<QAbstractSeries *> series = chart()->series();
    if (series.isEmpty())
        return 0;
    const QPointF scene = mapToScene(QPoint(x, viewport()->height() / 2));
    const QPointF value = chart()->mapToValue(chart()->mapFromScene(scene), series.first());
    return qint64(value.x());
}

int TimelineChart::xOf(qint64 ms) const
{
    const QList<QAbstractSeries *> series = chart()->series();
    if (series.isEmpty())
        return 0;
    const QPointF pos = chart()->mapToPosition(QPointF(double(ms), 0), series.first());
    return mapFromScene(chart()->mapToScene(pos)).x();
}

void TimelineChart::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && m_to > m_from &&
        chart()->plotArea().contains(chart()->mapFromScene(mapToScene(event->pos())))) {
        m_pressAt = event->pos();
        m_dragging = true;
        m_band->setGeometry(QRect(m_pressAt, QSize()));
        m_band->show();
    }
    QChartView::mousePressEvent(event);
}

void TimelineChart::mouseMoveEvent(QMouseEvent *event)
{
    if (m_dragging) {
        const QRectF plot = chart()->plotArea();
        const QPoint top = mapFromScene(chart()->mapToScene(plot.topLeft()));
        const QPoint bottom = mapFromScene(chart()->mapToScene(plot.bottomRight()));
        m_band->setGeometry(QRect(QPoint(std::min(m_pressAt.x(), event->pos().x()), top.y()),
                                  QPoint(std::max(m_pressAt.x(), event->pos().x()), bottom.y())));
    }
    QChartView::mouseMoveEvent(event);
}

void TimelineChart::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_dragging && event->button() == Qt::LeftButton) {
        m_dragging = false;
        m_band->hide();
        const int x0 = std::min(m_pressAt.x(), event->pos().x());
        const int x1 = std::max(m_pressAt.x(), event->pos().x());
        if (x1 - x0 >= 4) {
            const qint64 from = std::max(timeAt(x0), m_from);
            const qint64 to = std::min(timeAt(x1), m_to);
            if (to > from)
                Q_EMIT rangeSelected(from, to);
        }
    }
    QChartView::mouseReleaseEvent(event);
}

void TimelineChart::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Left || event->key() == Qt::Key_Right) {
        Q_EMIT panRequested(event->key() == Qt::Key_Left ? -1 : 1);
        return;
    }
    QChartView::keyPressEvent(event);
}

} // namespace causa
