#pragma once

#include "core/severity.h"

#include <QColor>
#include <QString>

namespace causa::fmt {

// Display formatting shared by models: one place for labels and colours.
QString severityLabel(Severity s);
QColor severityColor(Severity s);
QString statusLabel(const QString &status);
// A run, stage or action state as read: "awaiting_approval" -> "awaiting approval".
QString stateLabel(QLatin1String state);
QString verdictLabel(const QString &verdict);
QString dateTime(qint64 epochMs);
// Collapses whitespace and control characters so untrusted text stays on one row.
QString oneLine(const QString &text, int maxChars = 400);
// A tooltip that shows untrusted text as it is. Qt guesses whether a tooltip is rich text
// (Qt::mightBeRichText), so "<b>x</b>" or "<img src=...>" in an alert name would render as
// markup: this returns it escaped inside an explicit rich-text envelope, line breaks kept, cut
// at maxChars.
QString plainToolTip(const QString &text, int maxChars = 2000);

} // namespace causa::fmt
