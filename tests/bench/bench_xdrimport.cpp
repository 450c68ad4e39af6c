// Benchmark: XDR alert import throughput and peak memory (SPEC §12: >= 20,000 alerts/s, memory
// independent of file size). Without arguments it runs itself for 10,000 and 100,000 alerts in
// fresh processes, on one thread and as the importer chooses, so the peak-memory figures are
// comparable.
#include "../xdr/xdralertgen.h"
#include "benchutil.h"
#include "core/platform.h"
#include "import/importdispatcher.h"
#include "store/casestore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <ctime>
#include <sys/resource.h>

using namespace causa;
using bench::cpuSeconds;

namespace {

long peakRssKb()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

bool writeReply(const QString &file, int count)
{
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.write("{\"reply\": {\"total_count\": " + QByteArray::number(count) + ", \"alerts\": [");
    for (int i = 0; i < count; ++i) {
        if (i)
            f.write(",\n");
        f.write(QByteArray::fromStdString(test::makeFullWidthAlert(i).dump()));
    }
    f.write("]}}");
    return f.flush();
}

int runOne(int count)
{
    QTemporaryDir dir;
    const QString file = dir.path() + QStringLiteral("/alerts.json");
    if (!writeReply(file, count))
        return 1;
    const qint64 bytes = QFileInfo(file).size();
    StoreLocation loc;
    loc.path = dir.path() + QStringLiteral("/bench.sqlite");
    auto store = CaseStore::open(loc);
    if (!store)
        return 1;
    const long rssBefore = peakRssKb();
    QElapsedTimer t;
    t.start();
    const double cpu0 = cpuSeconds();
    auto r = ImportDispatcher(*store.value()).importFile(file);
    const double secs = t.nsecsElapsed() / 1e9;
    const double cpu = cpuSeconds() - cpu0;
    if (!r) {
        std::fprintf(stderr, "import failed: %s\n", qPrintable(r.error().toString()));
        return 1;
    }
    const char *mode = qEnvironmentVariableIntValue("CAUSA_IMPORT_THREADS") == 1
                           ? "one thread"
                           : "importer's choice";
    std::printf(
        "[%s] alerts=%d file_mb=%.1f seconds=%.2f alerts_per_s=%.0f cpu_s=%.2f alerts_per_cpu_s=%.0f "
        "peak_rss_mb=%.1f (before import %.1f) processes=%lld indicators=%lld\n",
        mode, count, bytes / 1048576.0, secs, count / secs, cpu, count / cpu, peakRssKb() / 1024.0,
        rssBefore / 1024.0, static_cast<long long>(r->processes),
        static_cast<long long>(r->indicators));
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    // The allocator as the applications set it (causa, causa-cli): the figures are theirs.
    platform::tuneAllocator();
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int at = int(args.indexOf(QStringLiteral("--alerts")));
    if (at > 0 && at + 1 < args.size())
        return runOne(args.at(at + 1).toInt());
    // bench_xdrimport --write FILE N: only writes the reply it would import (for profiling with
    // causa-cli import, or to look at the stored rows).
    const int w = int(args.indexOf(QStringLiteral("--write")));
    if (w > 0 && w + 2 < args.size())
        return writeReply(args.at(w + 1), args.at(w + 2).toInt()) ? 0 : 1;
    // Optional sizes: bench_xdrimport [N...] (default 10000 100000).
    QList<int> sizes;
    for (int i = 1; i < args.size(); ++i)
        if (args.at(i).toInt() > 0)
            sizes << args.at(i).toInt();
    if (sizes.isEmpty())
        sizes = {10000, 100000};
    std::printf(
        "XDR import benchmark (get_alerts reply, full-width alerts, one transaction)\n"
        "Each size is imported twice, each time in a fresh process: on one thread\n"
        "(CAUSA_IMPORT_THREADS=1, SPEC §12's one core; pin with taskset for a strict one-core\n"
        "figure), then with the thread count the importer chooses.\n");
    for (int n : std::as_const(sizes)) {
        for (const bool oneThread : {true, false}) {
            QProcess p;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            if (oneThread)
                env.insert(QStringLiteral("CAUSA_IMPORT_THREADS"), QStringLiteral("1"));
            else
                env.remove(QStringLiteral("CAUSA_IMPORT_THREADS"));
            p.setProcessEnvironment(env);
            p.setProcessChannelMode(QProcess::ForwardedChannels);
            p.start(app.applicationFilePath(), {QStringLiteral("--alerts"), QString::number(n)});
            p.waitForFinished(-1);
            if (p.exitCode() != 0)
                return 1;
        }
    }
    return 0;
}
