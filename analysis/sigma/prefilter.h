#pragma once

#include "compiledset.h"

namespace causa::sigma::detail {

// Binds a rule to a log target (field names to event fields) and files it in the target's
// bucket with the literals it cannot match without.
void addInstance(CompiledSet &c, int rule, const LogTarget &target);
// Builds each bucket's per-field literal scanners from the filed literals.
void buildScanners(CompiledSet &c);

} // namespace causa::sigma::detail
