#pragma once

#include "clicontext.h"

#include "playbook/playbookengine.h"

#include <QCoreApplication>

namespace causa::cli {

// One function per sub-command; each consumes its own arguments from the context.
int cmdImport(CliContext &ctx);
int cmdCases(CliContext &ctx);
int cmdShow(CliContext &ctx);
int cmdStats(CliContext &ctx);
int cmdVerifyAudit(CliContext &ctx);
int cmdTree(CliContext &ctx);
int cmdChain(CliContext &ctx);
int cmdEnrich(CliContext &ctx);
int cmdAnalyze(CliContext &ctx);
int cmdReport(CliContext &ctx);

// The application object for the report command: a QGuiApplication on the offscreen platform when
// this causa-cli can paint PDF, else nullptr (every other command uses a QCoreApplication).
QCoreApplication *createReportApplication(int &argc, char **argv);
// The engine with the connector chosen by --connector / CAUSA_CONNECTOR / the team settings.
Result<std::unique_ptr<PlaybookEngine>> makeEngine(CliContext &ctx, CaseStore &store);
// $USER, or "cli".
QString defaultActor();
int cmdRun(CliContext &ctx);
// The analyst's decisions: close, reopen, checklist ticks, ad-hoc actions.
int cmdClose(CliContext &ctx);
int cmdReopen(CliContext &ctx);
int cmdChecklist(CliContext &ctx);
int cmdPropose(CliContext &ctx);
// Custom patterns / allowlist entries, and TLP/PAP markings.
int cmdPattern(CliContext &ctx);
int cmdAllow(CliContext &ctx);
int cmdMark(CliContext &ctx);
int cmdActions(CliContext &ctx);
int cmdApprove(CliContext &ctx);
int cmdReject(CliContext &ctx);
// Live Cortex XDR: tenant profiles, pulls, and the provider keys in the secret store.
int cmdTenant(CliContext &ctx);
int cmdPull(CliContext &ctx);
int cmdSecret(CliContext &ctx);
int cmdAssign(CliContext &ctx);
int cmdUnassign(CliContext &ctx);
// Sigma rules over the stored events of a case, a host or the whole store.
int cmdHunt(CliContext &ctx);

} // namespace causa::cli
