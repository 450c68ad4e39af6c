#pragma once

#include <ctime>

namespace causa::bench {

// CPU seconds of this process: the bench machine is shared, and wall time alone overstates.
inline double cpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

} // namespace causa::bench
