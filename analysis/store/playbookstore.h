#pragma once

#include "core/result.h"
#include "core/severity.h"
#include "playbooktypes.h"

#include <QSqlDatabase>

#include <optional>

namespace causa {

class CaseStore;

// The SQL of playbook runs, stage states, evidence, notes, severity history and case closing.
// Writers take the caller's transaction (so a stage's effects and its audit entry land together);
// readers take the store.
namespace playbookstore {

Result<qint64> insertRun(QSqlDatabase &db, const PlaybookRunRecord &run);
Result<void> setRunState(QSqlDatabase &db, qint64 runId, RunState state);
Result<void> saveStage(QSqlDatabase &db, qint64 runId, const StageStateRecord &stage);
// Raises the case's severity to at least `to`; never lowers. Returns true when it changed.
Result<bool> raiseSeverity(QSqlDatabase &db, qint64 caseId, Severity to, const QString &reason,
                           const QString &by);
// Adds an evidence tag once (the same case/kind/ref/label is not added twice).
Result<bool> addEvidence(QSqlDatabase &db, qint64 caseId, const QString &kind, const QString &ref,
                         const QString &label, const QString &detail, const QString &by);
Result<void> closeCase(QSqlDatabase &db, qint64 caseId, const QString &verdict,
                       const QString &resolutionNote, const QString &by);
// Back to in_progress; the closing resolution stays in the audit trail.
Result<void> reopenCase(QSqlDatabase &db, qint64 caseId);
Result<void> setCaseStatus(QSqlDatabase &db, qint64 caseId, const QString &status);

Result<std::optional<PlaybookRunRecord>> latestRun(const CaseStore &store, qint64 caseId,
                                                   const QString &playbookId);
Result<PlaybookRunRecord> run(const CaseStore &store, qint64 runId);
Result<std::vector<StageStateRecord>> stages(const CaseStore &store, qint64 runId);

struct EvidenceRecord
{
    QString kind;
    QString ref;
    QString label;
    QString detail;
    QString createdBy;
};
Result<std::vector<EvidenceRecord>> evidence(const CaseStore &store, qint64 caseId);

struct SeverityChange
{
    Severity severity = Severity::Unknown;
    QString reason;
    QString changedBy;
    qint64 changedAt = 0;
};
Result<std::vector<SeverityChange>> severityHistory(const CaseStore &store, qint64 caseId);

} // namespace playbookstore
} // namespace causa
