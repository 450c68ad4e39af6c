#pragma once

#include "core/severity.h"

#include <QColor>
#include <QString>

namespace causa::fmt {

// Display formatting shared by models: one place for labels and colours.
QString severityLabel(Severity s);
QColor severityColor(Severity s);
QString statusLabel(const QString &status);
QString verdictLabel(const QString &verdict);
QString dateTime(qint64 epochMs);
// Collapses whitespace and control characters so untrusted text stays on one row.
QString oneLine(const QString &text, int maxChars = 400);

} // namespace causa::fmt
