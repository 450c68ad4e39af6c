#include "reportchartimage.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QGraphicsScene>
#include <QHorizontalBarSeries>
#include <QLegend>
#include <QPainter>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace causa {

namespace {

const QColor kSeriesColours[] = {QColor(0x3b, 0x6f, 0xb6), QColor(0xe0, 0x8a, 0x2c), QColor(0x5a, 0x9e, 0x4b)};

} // namespace

QImage renderReportChart(const ReportChart &c, QSizeF size, qreal scale)
{
    QGraphicsScene scene;
    auto *chart = new QChart; // owned by the scene
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 4, 4, 4));
    QFont titleFont(QStringLiteral("DejaVu Sans"), 10, QFont::Bold);
    chart->setTitleFont(titleFont);
    chart->setTitle(c.title);
    const bool horizontal = c.kind == ReportChart::Kind::Categories;
    QAbstractBarSeries *series = horizontal ? static_cast<QAbstractBarSeries *>(new QHorizontalBarSeries)
                                            : static_cast<QAbstractBarSeries *>(new QBarSeries);
    double max = 1;
    int i = 0;
    for (const auto &[name, values] : c.series) {
        auto *set = new QBarSet(name);
        set->setColor(kSeriesColours[i++ % 3]);
        set->setBorderColor(Qt::transparent);
        for (double v : values) {
            *set << v;
            max = std::max(max, v);
        }
        series->append(set);
    }
    series->setBarWidth(0.8);
    chart->addSeries(series);
    auto *categories = new QBarCategoryAxis;
    categories->append(c.categories);
    QFont axisFont(QStringLiteral("DejaVu Sans"), 7);
    categories->setLabelsFont(axisFont);
    auto *values = new QValueAxis;
    values->setLabelFormat(QStringLiteral("%d"));
    values->setRange(0, std::ceil(max * 1.1));
    values->setTickCount(std::min(6, int(std::ceil(max * 1.1)) + 1));
    values->setLabelsFont(axisFont);
    if (c.kind == ReportChart::Kind::TimeBuckets && c.categories.size() > 12)
        categories->setLabelsAngle(-60);
    chart->addAxis(categories, horizontal ? Qt::AlignLeft : Qt::AlignBottom);
    chart->addAxis(values, horizontal ? Qt::AlignBottom : Qt::AlignLeft);
    series->attachAxis(categories);
    series->attachAxis(values);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->legend()->setFont(axisFont);
    chart->legend()->setVisible(c.series.size() > 1);
    scene.addItem(chart);
    chart->setGeometry(QRectF(QPointF(0, 0), size));
    scene.setSceneRect(QRectF(QPointF(0, 0), size));

    QImage image((size * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    scene.render(&p, QRectF(QPointF(0, 0), size * scale), scene.sceneRect());
    p.end();
    return image;
}

} // namespace causa
