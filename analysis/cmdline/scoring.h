#pragma once

#include "analysisresult.h"

namespace causa::detail {

// Causa's score: findings combined as independent evidence (noisy-OR), repeated evidence of
// one category counted at half weight, allowlisted lines discounted; each finding gets the
// points it contributed. Also sets risk and verdict.
void scoreFindings(AnalysisResult *result, double allowlistFactor);

// The XSOAR CommandLineAnalysis parity score (25/35/15/10/5 per category that fires, a
// combination bonus, raw/120) with its defects fixed: every category carries points.
void scoreXsoar(AnalysisResult *result);

// The sub-playbook verdict keys from the findings and indicators.
void setFlags(AnalysisResult *result);

} // namespace causa::detail
