#pragma once

#include "reportdocument.h"

#include "core/result.h"

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

namespace causa::report {

// Self-contained HTML (inline CSS, no scripts, no external resources); every data string escaped.
QByteArray toHtml(const ReportDocument &doc);
// Complete machine-readable JSON of the report's data ("format": "causa-report", "version": 1).
nlohmann::json toReportJson(const ReportData &data);
// Indicators as RFC 4180 CSV, guarded against spreadsheet formula injection.
QByteArray indicatorsCsv(const ReportData &data);
// One CSV field: quoted when needed; a leading = + - @ (or tab/CR) gets a ' prefix.
QString csvField(const QString &value);
// STIX 2.1 bundle: identity, indicators with patterns, observed-data, sightings, attack
// patterns, relationships and a report object. Ids are UUIDv5, so the same case gives the same ids.
nlohmann::json toStixBundle(const ReportData &data);
// The STIX pattern for one indicator, or empty when the type has no STIX pattern.
QString stixPattern(const QString &type, const QString &value);

// Writes bytes to path atomically (QSaveFile); the error names the file.
Result<void> writeFile(const QString &path, const QByteArray &bytes);

} // namespace causa::report
