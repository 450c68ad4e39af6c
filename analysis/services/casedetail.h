#pragma once

#include "store/storetypes.h"

#include <vector>

namespace causa {

// Everything the case view shows about one case, loaded together off the GUI thread.
struct CaseDetail
{
    CaseSummary summary;
    std::vector<StoredAlert> alerts;
    std::vector<StoredProcess> processes;
    std::vector<CaseIndicator> indicators;
};

} // namespace causa
