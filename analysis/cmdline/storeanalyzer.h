#pragma once

#include "cmdline/commandlineanalyzer.h"
#include "core/result.h"

#include <memory>

namespace causa {

class CaseStore;

// The command-line analyser for one store: the built-in knowledge plus the store's active custom
// patterns and allowlist entries, so the CLI, the workbench, the playbook and reports judge a
// line alike. Built once per set of active rule versions and shared between threads.
Result<std::shared_ptr<const CommandLineAnalyzer>> analyzerForStore(const CaseStore &store);

} // namespace causa
