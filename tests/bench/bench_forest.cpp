// Process-forest build (SPEC §12: 1,000,000 process events in <= 1 s on one core).
// The records are shaped like the store hands them to the builder: Sysmon 1 and Security 4688
// describing the same processes, placeholders, XDR roles, PID reuse, records out of order.
// Times only the build (not the generation). The data comes from tests/common/forestsample;
// tst_forestreference checks the forest built from it (structure and digest).
// Usage: bench_forest [PROCESS_EVENTS] [ATTACHED_EVENTS]
#include "benchutil.h"
#include "core/platform.h"
#include "forest/processforest.h"
#include "forestsample.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <sys/resource.h>

using namespace causa;
using bench::cpuSeconds;

namespace {

// Kernel CPU seconds of this process: first touching fresh memory costs a page fault per page,
// and on a virtual machine that can cost more than the work done in the memory.
double kernelSeconds()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return double(ru.ru_stime.tv_sec) + double(ru.ru_stime.tv_usec) / 1e6;
}

// Resident set size in bytes (the builder's memory is what is left after the input is gone).
qint64 rssBytes()
{
    QFile f(QStringLiteral("/proc/self/statm"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> parts = f.readAll().split(' ');
    return parts.size() > 1 ? parts[1].toLongLong() * 4096 : 0;
}

} // namespace

int main(int argc, char *argv[])
{
    platform::tuneAllocator(); // the build runs in the applications, which tune it so
    QCoreApplication app(argc, argv);
    const qint64 count = argc > 1 ? QByteArray(argv[1]).toLongLong() : 1000000;
    const qint64 attached = argc > 2 ? QByteArray(argv[2]).toLongLong() : 0;

    // the LOLBin catalogue loads once per process: not the build
    ProcessForest::isLolbin(QString());
    platform::releaseFreeMemory();
    const qint64 rssBase = rssBytes();
    QElapsedTimer t;
    t.start();
    ForestInput input = test::benchForestInput(count, attached);
    const size_t records = input.processes.size();
    std::printf(
        "generated %zu process records (%lld process-create events + placeholders and XDR roles), "
        "%zu attached events, %zu alert links in %.2f s\n",
        records, static_cast<long long>(count), input.events.size(), input.alerts.size(),
        double(t.elapsed()) / 1000.0);
    t.restart();
    const double cpu0 = cpuSeconds();
    const double kernel0 = kernelSeconds();
    const ProcessForest forest = ProcessForest::build(std::move(input));
    const double wall = double(t.nsecsElapsed()) / 1e9;
    const double cpu = cpuSeconds() - cpu0;
    const double kernel = kernelSeconds() - kernel0;
    std::printf(
        "forest build: %zu records -> %d nodes, %zu roots in %.3f s wall, %.3f s CPU (target <= 1 s), "
        "%.3f s of it in the kernel (page faults)\n",
        records, forest.size(), forest.roots().size(), wall, cpu, kernel);
    // What the finished forest holds (the input was moved in; what it did not keep is freed).
    platform::releaseFreeMemory();
    const qint64 held = rssBytes() - rssBase;
    std::printf(
        "memory: the forest holds %.1f MB = %.0f bytes per node (its text stays in the records)\n",
        double(held) / 1e6, double(held) / std::max(1, forest.size()));
    return 0;
}
