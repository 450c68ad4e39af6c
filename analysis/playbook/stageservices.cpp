#include "stageservices.h"

#include "store/casestore.h"

namespace causa {

StageServices composeStageServices(CaseStore &store)
{
    Q_UNUSED(store);
    StageServices s;
    // Command-line analysis (issue 2), enrichment (issue 4), endpoint investigation and hunting
    // (issue 3) are wired here as they land in main. Until then their hooks stay empty and the
    // stages report "unavailable".
    return s;
}

} // namespace causa
