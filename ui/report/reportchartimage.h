#pragma once

#include "report/reportdocument.h"

#include <QImage>
#include <QSizeF>

namespace causa {

// Renders one report chart (bars, axes, legend) with QPainter into an image of logicalSize at the
// given scale (device pixels per logical pixel). Needs a QGuiApplication for its fonts.
QImage renderReportChart(const ReportChart &chart, QSizeF logicalSize, qreal scale = 2.0);

} // namespace causa
