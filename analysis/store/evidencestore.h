#pragma once

#include "casestore.h"

#include <QString>

#include <vector>

namespace causa {

// One tagged piece of evidence: what it is (kind + ref, e.g. "process" + process key), how it
// reads (label) and the analyst's comment (detail).
struct EvidenceItem
{
    qint64 id = 0;
    qint64 caseId = 0;
    QString kind; // alert, process, event, indicator, command_line, note, hunt_hit, verdict…
    QString ref;  // alert id, process key, event id, indicator id, command line text, note id
    QString label;
    QString detail; // the analyst's comment
    QString createdBy;
    qint64 createdAt = 0;
};

// Evidence tags of a case; tagging and untagging are audited in the same transaction.
namespace evidencestore {

Result<std::vector<EvidenceItem>> items(const CaseStore &store, qint64 caseId);
// Tags once: the same case/kind/ref/label again returns the existing row (created = false).
Result<EvidenceItem> tag(CaseStore &store, qint64 caseId, const QString &kind, const QString &ref,
                         const QString &label, const QString &comment, const QString &actor,
                         bool *created = nullptr);
Result<void> untag(CaseStore &store, qint64 evidenceId, const QString &actor);

} // namespace evidencestore
} // namespace causa
