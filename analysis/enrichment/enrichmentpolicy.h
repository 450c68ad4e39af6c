#pragma once

#include "enrichmenttypes.h"

namespace causa::enrichment {

// Why the subject may not leave the machine, or "" when it may. Nothing is sent in offline mode,
// for internal addresses (flagged at import or in a private/reserved range), for indicators marked
// TLP:RED or PAP:RED on the indicator itself or by any local intel entry that knows the value.
QString withheldReason(const EnrichmentSubject &subject, bool offline);

// The DBot score of an indicator from its providers' results:
//  1. a manual verdict always wins;
//  2. otherwise only results with an opinion count (score 1-3, no error);
//  3. among those, the most reliable grade present decides (A beats B beats C ...);
//  4. within that grade the highest score wins (malicious over suspicious over good), so two
//     equally trusted sources that disagree resolve towards caution.
// So an allowlist entry (grade A) beats a feed (B), a feed beats built-in heuristics (C), and a
// sandbox verdict (B) is weighed like a feed. *decidedBy names the result (or "manual").
Score mergeScore(const std::vector<ProviderResult> &results, int manualScore, QString *decidedBy);

} // namespace causa::enrichment
