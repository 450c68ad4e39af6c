#pragma once

#include "report/reportdocument.h"

#include <QImage>
#include <QSizeF>

namespace causa {

// Renders one report chart with QtCharts into an image of logicalSize at the given scale
// (device pixels per logical pixel). Needs a QApplication.
QImage renderReportChart(const ReportChart &chart, QSizeF logicalSize, qreal scale = 2.0);

} // namespace causa
