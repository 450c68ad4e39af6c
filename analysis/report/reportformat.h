#pragma once

#include "reportdata.h"

#include <QHash>
#include <QString>

namespace causa::report {

// "2026-11-20 14:14:05 UTC", or "-" for an unknown (0) time.
QString displayTime(qint64 ms);
// "14:14:05" when ms falls on the same UTC day as day (a table under a line that gives the date),
// otherwise displayTime(ms).
QString displayTimeOfDay(qint64 ms, qint64 day);
// RFC 3339 / STIX timestamp with milliseconds: "2026-11-20T14:14:05.000Z".
QString isoTime(qint64 ms);

// An indicator's verdict for the report: a manual score wins, else the highest score any
// enrichment provider or intel feed gave (DBot 0-3).
struct IndicatorVerdict
{
    int score = 0;
    QString source; // "manual", "enrichment: <provider>", "intel: <feed>", ""
};
QHash<qint64, IndicatorVerdict> indicatorVerdicts(const ReportData &data);

} // namespace causa::report
