#pragma once

#include "core/records.h"

#include <vector>

namespace causa::test {

// Seeded random process-record sets for comparing the forest builder with its reference.
// Both kinds describe random process instances (PIDs reused, parents missing, several sources
// per process) and come in random order. A clean set is what the importers store: one record
// per source and process, distinct start times, parents that started earlier; its forest must
// not depend on record order. A hostile set adds what bad or repeated input brings: cycles,
// self-parents, repeated keys, equal and missing start times, records without PID, PIDs wider
// than an int, malformed and negative PID references, parents on another endpoint.
// With mixedClocks, Security writes local time (UTC+1) on every other host, as OTRF's exports do.
std::vector<ProcessRecord> randomRecords(quint64 seed, bool hostile, bool mixedClocks = true);

// The same records in another random order.
std::vector<ProcessRecord> shuffled(std::vector<ProcessRecord> records, quint64 seed);

} // namespace causa::test
