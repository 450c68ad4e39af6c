#pragma once

#include "reportdocument.h"

#include <nlohmann/json_fwd.hpp>

// Pieces of the composer that are big enough for their own files.
namespace causa::report {

// Alerts and events per time bucket over the case's activity (≤ 24 buckets).
ReportChart timelineChart(const ReportData &data);
// Command-line findings per ATT&CK tactic when analysis exists, else alerts per tactic.
ReportChart tacticChart(const ReportData &data);
// The case's processes as an indented tree (parent links from the store).
ReportSection processTreeSection(const ReportData &data);
// The PsExec-like lateral-movement chains of the case (source host → victim, hop by hop).
ReportSection lateralChainSection(const ReportData &data);
// Decoded layers and findings of one SPEC §6 analysis object.
void appendAnalysisBlocks(const nlohmann::json &analysis, std::vector<ReportBlock> &blocks);

} // namespace causa::report
