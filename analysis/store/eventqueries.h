#pragma once

#include "core/alertbrief.h"
#include "core/forestinput.h"
#include "core/hunthit.h"
#include "core/result.h"

#include <QList>
#include <QString>

#include <vector>

namespace causa {

class CaseStore;

// Read-side SQL for endpoint events, process forests, the endpoint investigation and the hunt.
namespace eventq {
// The alert a PsExec-LOLBin case is about: the one raised by the analytics rule, else the first
// whose name says PsExec, else the earliest. Stage 1 triages it; 4b counts the others.
const AlertBrief *primaryAlertOf(const std::vector<AlertBrief> &alerts);
bool isPsexecRule(const QString &ruleId, const QString &name, bool byNameOnly);

Result<QList<qint64>> caseEndpointIds(const CaseStore &store, qint64 caseId);
// Whether the store holds any endpoint event for these endpoints (0 or 1: it stops at the first).
Result<qint64> anyEventOn(CaseStore &store, const QList<qint64> &endpointIds);
// The endpoint whose key is indicator::endpointKey(host); 0 when unknown.
Result<qint64> endpointIdForHost(CaseStore &store, const QString &host);
Result<ForestInput> loadForestInput(CaseStore &store, const QList<qint64> &endpointIds);
// Store keys of the processes the case's alerts point at.
Result<QStringList> caseAlertProcessKeys(CaseStore &store, qint64 caseId);

Result<std::vector<AlertBrief>> alertsOfCase(CaseStore &store, qint64 caseId);
// Alerts on these endpoints detected within [from, to], every case.
Result<std::vector<AlertBrief>>
alertsOnEndpoints(CaseStore &store, const QList<qint64> &endpointIds, qint64 from, qint64 to);
// The case's causality-owner hashes (sha256/md5/sha1, lowercase) with their type.
Result<std::vector<std::pair<QString, QString>>> causalityHashesOfCase(CaseStore &store,
                                                                       qint64 caseId);

// Every alert (outside `excludeCaseId`), stored process and event that mentions the value.
Result<std::vector<HuntHit>> huntValue(CaseStore &store, const QString &type, const QString &value,
                                       qint64 excludeCaseId);
// Records hits as evidence rows "Found additional evidence" (kind "hunt_hit"), once each, with
// an audit entry; returns how many were new.
Result<int> recordHuntEvidence(CaseStore &store, qint64 caseId, const std::vector<HuntHit> &hits,
                               const QString &actor);

} // namespace eventq
} // namespace causa
