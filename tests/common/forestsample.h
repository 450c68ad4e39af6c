#pragma once

#include "forest/processforest.h"

namespace causa::test {

// Process records shaped like the store hands them to the forest builder, from a fixed seed:
// Sysmon 1 (GUID keys) and Security 4688 (pid@start keys, PID-reference parents, local time on
// half the hosts) describing the same processes, parent-ref placeholders for parents never
// seen, a few XDR roles with alert links, PIDs reused many times, records out of order; and
// `attached` endpoint events. bench_forest times the build on it, tst_forestreference checks it.
ForestInput benchForestInput(qint64 count, qint64 attached);

} // namespace causa::test
