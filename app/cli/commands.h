#pragma once

#include "clicontext.h"

namespace causa::cli {

// One function per sub-command; each consumes its own arguments from the context.
int cmdImport(CliContext &ctx);
int cmdCases(CliContext &ctx);
int cmdShow(CliContext &ctx);
int cmdStats(CliContext &ctx);
int cmdVerifyAudit(CliContext &ctx);
int cmdRun(CliContext &ctx);
int cmdActions(CliContext &ctx);
int cmdApprove(CliContext &ctx);
int cmdReject(CliContext &ctx);

} // namespace causa::cli
