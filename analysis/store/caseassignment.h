#pragma once

#include "core/result.h"
#include "storetypes.h"

#include <optional>

namespace causa {

class CaseStore;

// Who works a case (SPEC §14): assigning and unassigning with optimistic locking on the case's
// row_version, each change audited in the case's chain. Two analysts grabbing the same case
// at once: one wins, the other gets a "conflict" naming the new owner.
namespace caseassignment {

struct Request
{
    qint64 caseId = 0;
    QString assignee;                   // empty = unassign
    QString actor;                      // who made the change (audit)
    std::optional<int> expectedVersion; // the row_version the caller saw; mismatch = conflict
    bool force = false;                 // take a case another analyst owns
};
struct Outcome
{
    CaseSummary summary;  // the case after the change
    QString previous;     // assignee before
    bool changed = false; // false when it already had that assignee
};

// Errors: "usage" (bad names), "no-case", "conflict" (changed since expectedVersion, lost a
// race, or owned by another analyst without force).
Result<Outcome> assign(CaseStore &store, const Request &request);

} // namespace caseassignment
} // namespace causa
