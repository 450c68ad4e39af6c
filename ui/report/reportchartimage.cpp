#include "reportchartimage.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <functional>

// Bar charts painted with QPainter alone (QtGui), so that the PDF writer, and with it
// `causa-cli report --pdf`, needs neither QtWidgets nor QtCharts.
namespace causa {

namespace {

const QColor kSeriesColours[] = {QColor(0x3b, 0x6f, 0xb6), QColor(0xe0, 0x8a, 0x2c),
                                 QColor(0x5a, 0x9e, 0x4b)};
const QColor kAxis(0x55, 0x55, 0x55);
const QColor kGrid(0xdd, 0xdd, 0xdd);
const QColor kText(0x22, 0x22, 0x22);
constexpr double kSin60 = 0.8660254037844386; // slanted time labels run at -60 degrees

QColor seriesColour(size_t i)
{
    return kSeriesColours[i % (sizeof kSeriesColours / sizeof kSeriesColours[0])];
}

// A 1-2-5 step that gives about five whole-number ticks up to at least max.
struct ValueScale
{
    double step = 1;
    double top = 1;
};

ValueScale valueScale(double max)
{
    const double rough = std::max(1.0, max / 5.0);
    const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
    double step = magnitude;
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (magnitude * m >= rough) {
            step = magnitude * m;
            break;
        }
    return {step, std::max(step, std::ceil(max / step) * step)};
}

QString valueText(double v)
{
    return QString::number(qint64(std::llround(v)));
}

struct Fonts
{
    QFont title{QStringLiteral("DejaVu Sans"), 10, QFont::Bold};
    QFont axis{QStringLiteral("DejaVu Sans"), 7};
};

// Grouped bars within one category slot: [start, start + width) along the category axis.
void paintBars(QPainter &p, const ReportChart &c, int category, double slotStart, double slotWidth,
               const std::function<QRectF(double from, double width, double value)> &barRect)
{
    const double groupWidth = slotWidth * 0.8;
    const double barWidth = groupWidth / double(std::max<size_t>(1, c.series.size()));
    double at = slotStart + (slotWidth - groupWidth) / 2;
    for (size_t s = 0; s < c.series.size(); ++s, at += barWidth) {
        const auto &values = c.series[s].second;
        const double v = size_t(category) < values.size() ? values[size_t(category)] : 0;
        if (v > 0)
            p.fillRect(barRect(at, barWidth, v), seriesColour(s));
    }
}

// Time buckets: categories along the bottom, values up the left.
void paintVertical(QPainter &p, const ReportChart &c, QRectF area, const Fonts &f, ValueScale vs)
{
    const QFontMetricsF fm(f.axis);
    const bool slanted = c.categories.size() > 12;
    double labelHeight = fm.height() + 4;
    if (slanted) {
        double widest = 0;
        for (const QString &cat : c.categories)
            widest = std::max(widest, fm.horizontalAdvance(cat));
        labelHeight = std::min(area.height() * 0.45, widest * kSin60 + fm.height());
    }
    const double valueWidth = fm.horizontalAdvance(valueText(vs.top)) + 8;
    const QRectF plot(area.left() + valueWidth, area.top() + fm.height() / 2,
                      area.width() - valueWidth - 4, area.height() - labelHeight - fm.height() / 2);
    p.setFont(f.axis);
    for (double v = 0; v <= vs.top + vs.step / 2; v += vs.step) {
        const double y = plot.bottom() - plot.height() * v / vs.top;
        p.setPen(QPen(v == 0 ? kAxis : kGrid, 0.6));
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.setPen(kText);
        p.drawText(QRectF(area.left(), y - fm.height() / 2, valueWidth - 4, fm.height()),
                   Qt::AlignRight | Qt::AlignVCenter, valueText(v));
    }
    const int n = int(c.categories.size());
    const double slot = plot.width() / std::max(1, n);
    for (int i = 0; i < n; ++i) {
        paintBars(p, c, i, plot.left() + slot * i, slot,
                  [&](double from, double width, double value) {
                      const double h = plot.height() * value / vs.top;
                      return QRectF(from, plot.bottom() - h, width, h);
                  });
        const QPointF anchor(plot.left() + slot * (i + 0.5), plot.bottom() + 3);
        p.setPen(kText);
        if (!slanted) {
            const QString text = fm.elidedText(c.categories[i], Qt::ElideRight, slot);
            p.drawText(QRectF(anchor.x() - slot / 2, anchor.y(), slot, fm.height()),
                       Qt::AlignHCenter | Qt::AlignTop, text);
            continue;
        }
        p.save();
        p.translate(anchor);
        p.rotate(-60);
        const QString text = fm.elidedText(c.categories[i], Qt::ElideLeft, labelHeight / kSin60);
        p.drawText(QRectF(-fm.horizontalAdvance(text), -fm.height() / 2, fm.horizontalAdvance(text),
                          fm.height()),
                   Qt::AlignRight | Qt::AlignVCenter, text);
        p.restore();
    }
}

// Categories (tactics, hosts): names on the left, bars to the right, values along the bottom.
void paintHorizontal(QPainter &p, const ReportChart &c, QRectF area, const Fonts &f, ValueScale vs)
{
    const QFontMetricsF fm(f.axis);
    double widest = 0;
    for (const QString &cat : c.categories)
        widest = std::max(widest, fm.horizontalAdvance(cat));
    const double nameWidth = std::min(area.width() * 0.4, widest + 6);
    const QRectF plot(area.left() + nameWidth, area.top(),
                      area.width() - nameWidth - fm.horizontalAdvance(valueText(vs.top)) / 2 - 2,
                      area.height() - fm.height() - 4);
    p.setFont(f.axis);
    for (double v = 0; v <= vs.top + vs.step / 2; v += vs.step) {
        const double x = plot.left() + plot.width() * v / vs.top;
        p.setPen(QPen(v == 0 ? kAxis : kGrid, 0.6));
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        p.setPen(kText);
        p.drawText(QRectF(x - 30, plot.bottom() + 2, 60, fm.height()),
                   Qt::AlignHCenter | Qt::AlignTop, valueText(v));
    }
    const int n = int(c.categories.size());
    const double slot = plot.height() / std::max(1, n);
    for (int i = 0; i < n; ++i) {
        paintBars(p, c, i, plot.top() + slot * i, slot,
                  [&](double from, double width, double value) {
                      return QRectF(plot.left(), from, plot.width() * value / vs.top, width);
                  });
        p.setPen(kText);
        p.drawText(QRectF(area.left(), plot.top() + slot * i, nameWidth - 6, slot),
                   Qt::AlignRight | Qt::AlignVCenter,
                   fm.elidedText(c.categories[i], Qt::ElideRight, nameWidth - 6));
    }
}

// One swatch and name per series, centred on a line; returns the height it took.
double paintLegend(QPainter &p, const ReportChart &c, const QRectF &area, const Fonts &f)
{
    if (c.series.size() < 2)
        return 0;
    const QFontMetricsF fm(f.axis);
    const double swatch = fm.height() * 0.7;
    double total = 0;
    for (const auto &s : c.series)
        total += swatch + 4 + fm.horizontalAdvance(s.first) + 12;
    double x = area.left() + std::max(0.0, (area.width() - total) / 2);
    const double y = area.bottom() - fm.height();
    p.setFont(f.axis);
    for (size_t i = 0; i < c.series.size(); ++i) {
        p.fillRect(QRectF(x, y + (fm.height() - swatch) / 2, swatch, swatch), seriesColour(i));
        x += swatch + 4;
        p.setPen(kText);
        p.drawText(QPointF(x, y + fm.ascent()), c.series[i].first);
        x += fm.horizontalAdvance(c.series[i].first) + 12;
    }
    return fm.height() + 4;
}

} // namespace

QImage renderReportChart(const ReportChart &c, QSizeF size, qreal scale)
{
    QImage image((size * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.scale(scale, scale);
    const Fonts f;
    QRectF area(QPointF(0, 0), size);
    area.adjust(6, 4, -6, -4);
    p.setFont(f.title);
    p.setPen(kText);
    const double titleHeight = QFontMetricsF(f.title).height() + 4;
    p.drawText(QRectF(area.left(), area.top(), area.width(), titleHeight),
               Qt::AlignHCenter | Qt::AlignTop,
               QFontMetricsF(f.title).elidedText(c.title, Qt::ElideRight, area.width()));
    area.setTop(area.top() + titleHeight);
    area.setBottom(area.bottom() - paintLegend(p, c, area, f));
    double max = 1;
    for (const auto &s : c.series)
        for (double v : s.second)
            max = std::max(max, v);
    const ValueScale vs = valueScale(max);
    if (c.kind == ReportChart::Kind::Categories)
        paintHorizontal(p, c, area, f, vs);
    else
        paintVertical(p, c, area, f, vs);
    p.end();
    return image;
}

} // namespace causa
