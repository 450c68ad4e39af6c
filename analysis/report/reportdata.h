#pragma once

#include "core/result.h"
#include "investigation/lateralchain.h"
#include "store/auditlog.h"
#include "store/reportqueries.h"
#include "store/storetypes.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace causa {

class CaseStore;

// One command line of the case with, when the analyser was available, its SPEC §6 JSON.
struct ReportCommandLine
{
    QString processKey;
    QString image;
    QStringList roles;
    QString commandLine;
    nlohmann::json analysis; // null when no analysis is available
};

// Everything the report shows, read from the store at one moment. Plain data: the composer turns
// it into a ReportDocument and the JSON/CSV/STIX exporters read it directly.
struct ReportData
{
    qint64 generatedAt = 0;
    QString generator; // "Causa 0.1.0"
    CaseSummary summary;
    ReportCaseDetail detail;
    std::vector<StoredAlert> alerts;
    std::vector<StoredProcess> processes;
    std::vector<CaseIndicator> indicators;
    std::vector<ReportEnrichment> enrichments;
    std::vector<ReportIntelMatch> intel;
    std::vector<ReportCommandLine> commandLines;
    QString commandLineAnalysisNote; // why decoded layers are absent, when they are
    std::vector<ReportRelatedAlert> relatedAlerts;
    std::vector<ReportEvidence> evidence;
    std::vector<ReportEventPoint> events;
    qint64 eventCount = 0;
    qint64 windowFrom = 0;
    qint64 windowTo = 0;
    std::vector<LateralChain> lateralChains;
    QString lateralChainNote; // why the chain could not be read, when it could not
    std::vector<ReportAction> actions;
    std::vector<ReportPlaybookRun> playbookRuns;
    std::vector<ReportNote> notes;
    std::vector<ReportSeverityChange> severityHistory;
    std::vector<AuditEntry> audit;
    AuditVerification auditVerification;
};

struct ReportOptions
{
    qint64 relatedWindowMs = 2 * 60 * 60 * 1000; // SPEC §5 RelatedAlertsWindow default
    qint64 generatedAt = 0;                      // 0 = now
};

// Reads a case's report data from the store (every query through reportq (store/reportqueries.h) / auditlog).
Result<ReportData> loadReportData(const CaseStore &store, qint64 caseId,
                                  const ReportOptions &options = {});

} // namespace causa
