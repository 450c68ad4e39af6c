#pragma once

#include "reportdocument.h"

namespace causa {

// Stable ids of the report's sections, in order (tests and writers refer to them).
namespace reportsection {
inline const QString kSummary = QStringLiteral("summary");
inline const QString kAlerts = QStringLiteral("alerts");
inline const QString kProcessTree = QStringLiteral("process-tree");
inline const QString kLateralChain = QStringLiteral("lateral-movement");
inline const QString kCommandLines = QStringLiteral("command-lines");
inline const QString kIndicators = QStringLiteral("indicators");
inline const QString kRelated = QStringLiteral("related");
inline const QString kActions = QStringLiteral("actions");
inline const QString kNotes = QStringLiteral("notes");
inline const QString kAudit = QStringLiteral("audit");
} // namespace reportsection

// Turns a case's report data into the report's sections (SPEC §10). Pure: same data, same document.
ReportDocument composeReport(ReportData data);

} // namespace causa
