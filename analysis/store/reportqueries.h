#pragma once

#include "casestore.h"
#include "core/result.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace causa {

// Case fields a report needs beyond the queue row (CaseSummary).
struct ReportCaseDetail
{
    QString description;
    QString pap;
    QString sourceUrl;
    QString resolutionNote;
    qint64 closedAt = 0;
};

struct ReportNote
{
    qint64 id = 0;
    QString author;
    QString body;
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
};

struct ReportEvidence
{
    qint64 id = 0;
    QString kind;
    QString ref;
    QString label;
    QString detail;
    QString createdBy;
    qint64 createdAt = 0;
};

struct ReportSeverityChange
{
    int severity = 0; // Severity as stored
    QString reason;
    QString changedBy;
    qint64 changedAt = 0;
};

struct ReportApproval
{
    QString approver;
    QString decision;
    QString note;
    qint64 decidedAt = 0;
};

struct ReportAction
{
    qint64 id = 0;
    QString stageId;
    QString kind;
    QString target;
    QString payload;
    QString rationale;
    QString state;
    QString connector;
    QString result;
    int requiredApprovals = 1;
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
    qint64 executedAt = 0;
    std::vector<ReportApproval> approvals;
};

struct ReportStage
{
    QString stageId;
    QString state;
    QString actor;
    QString reason;
    QString outputs; // JSON text
    qint64 startedAt = 0;
    qint64 finishedAt = 0;
};

struct ReportPlaybookRun
{
    qint64 id = 0;
    QString playbookId;
    QString playbookVersion;
    QString state;
    QString startedBy;
    qint64 startedAt = 0;
    qint64 updatedAt = 0;
    std::vector<ReportStage> stages;
};

struct ReportEnrichment
{
    qint64 indicatorId = 0;
    QString provider;
    QString verdict;
    int score = 0;
    QString reliability;
    qint64 fetchedAt = 0;
};

// An intel-feed entry that matches one of the case's indicators.
struct ReportIntelMatch
{
    qint64 indicatorId = 0;
    QString feed;
    QString kind;
    int score = 0;
    int confidence = 0;
    QString tlp;
    QString description;
};

// An alert on one of the case's endpoints that belongs to another case.
struct ReportRelatedAlert
{
    qint64 id = 0;
    qint64 caseId = 0;
    QString alertId;
    QString name;
    int severity = 0;
    QString hostName;
    QString mitreTactics; // newline-separated as stored
    qint64 detectedAt = 0;
};

struct ReportEventPoint
{
    qint64 ts = 0;
    QString kind;
};

// Read-only queries behind the incident report (SPEC §10). Every statement the report needs
// lives here so that the report code never runs SQL itself.
namespace reportq {

Result<ReportCaseDetail> caseDetail(const CaseStore &store, qint64 caseId);
Result<std::vector<ReportNote>> notes(const CaseStore &store, qint64 caseId);
Result<std::vector<ReportEvidence>> evidence(const CaseStore &store, qint64 caseId);
Result<std::vector<ReportSeverityChange>> severityHistory(const CaseStore &store, qint64 caseId);
Result<std::vector<ReportAction>> actions(const CaseStore &store, qint64 caseId);
Result<std::vector<ReportPlaybookRun>> playbookRuns(const CaseStore &store, qint64 caseId);
Result<std::vector<ReportEnrichment>> enrichments(const CaseStore &store, qint64 caseId);
Result<std::vector<ReportIntelMatch>> intelMatches(const CaseStore &store, qint64 caseId);
// Alerts of other cases on the same endpoints within [from, to] (epoch ms).
Result<std::vector<ReportRelatedAlert>> relatedAlerts(const CaseStore &store, qint64 caseId,
                                                      qint64 from, qint64 to, int limit = 500);
// Events on the case's endpoints within [from, to], oldest first, at most limit.
Result<std::vector<ReportEventPoint>> eventPoints(const CaseStore &store, qint64 caseId,
                                                  qint64 from, qint64 to, int limit = 200000);
Result<qint64> eventCount(const CaseStore &store, qint64 caseId, qint64 from, qint64 to);

} // namespace reportq
} // namespace causa
