#pragma once

#include "core/result.h"

#include <QString>

namespace causa {

class CaseStore;

// TLP 2.0 / PAP markings of a case and of its indicators. A marking decides what enrichment may
// send (RED never leaves the machine) and is the default of every report and export. Each change
// is an audit entry of the case.
namespace markings {

// Upper-cased and checked: CLEAR, GREEN, AMBER, AMBER+STRICT, RED (PAP has no AMBER+STRICT).
// A "TLP:" / "PAP:" prefix is accepted. Empty stays empty (= unchanged).
Result<QString> normaliseTlp(const QString &text);
Result<QString> normalisePap(const QString &text);

Result<void> markCase(CaseStore &store, qint64 caseId, const QString &tlp, const QString &pap,
                      const QString &actor);
// The indicator given by id or by value (one of the case's indicators).
Result<qint64> markIndicator(CaseStore &store, qint64 caseId, const QString &indicator,
                             const QString &tlp, const QString &pap, const QString &actor);

} // namespace markings
} // namespace causa
