// Benchmarks for endpoint events (SPEC §12): Sysmon JSON-lines import rate on a generated
// 1,000,000-event file, and process-forest build time for 1,000,000 process events.
// Usage: bench_events [EVENTS] [FOREST_PROCESSES]
#include "benchutil.h"
#include "forest/forestbuilder.h"
#include "import/importdispatcher.h"
#include "store/eventqueries.h"
#include "testutils.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>

#include <cstdio>
#include <ctime>
#include <memory>

using namespace causa;
using bench::cpuSeconds;

namespace {

QString generate(const QString &path, qint64 count)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    QRandomGenerator rng(42);
    std::vector<char> buf(4096);
    qint64 processes = 0;
    const char *images[] = {
        "C:\\\\Windows\\\\System32\\\\cmd.exe", "C:\\\\Windows\\\\System32\\\\svchost.exe",
        "C:\\\\Windows\\\\System32\\\\WindowsPowerShell\\\\v1.0\\\\powershell.exe",
        "C:\\\\Program Files\\\\App\\\\app.exe", "C:\\\\Windows\\\\System32\\\\rundll32.exe"};
    for (qint64 i = 0; i < count; ++i) {
        const qint64 ms = 1700000000000 + i * 7;
        const int sec = int((ms / 1000) % 60), min = int((ms / 60000) % 60),
                  hour = int((ms / 3600000) % 24);
        char time[64];
        std::snprintf(time, sizeof time, "2023-11-14 %02d:%02d:%02d.%03d", hour, min, sec,
                      int(ms % 1000));
        const qint64 proc = processes > 0 ? qint64(rng.bounded(quint32(processes))) : 0;
        const int kind = int(i % 10);
        int n;
        if (kind < 2 || processes == 0) {
            const qint64 parent = processes > 0 ? qint64(rng.bounded(quint32(processes))) : 0;
            n = std::snprintf(
                buf.data(), buf.size(),
                R"J({"EventID": 1, "Channel": "Microsoft-Windows-Sysmon/Operational", "Hostname": "BENCH-%02d.corp.example", "UtcTime": "%s", "ProcessGuid": "{5770385f-0000-0000-%04x-%012llx}", "ProcessId": %u, "Image": "%s", "CommandLine": "%s /c something --option value-%lld", "CurrentDirectory": "C:\\Windows\\system32\\", "User": "CORP\\user%u", "IntegrityLevel": "High", "Hashes": "SHA1=5009839791AAD710921715D5B51E7A9A963B09F5,MD5=91C04C34E7A1A6D4B0C9F8E7D6C5B4A3,SHA256=C3337F4290161CEB82D33CF36E4341B815FA7055DF07EB83D5545CEC8D39C57E", "ParentProcessGuid": "{5770385f-0000-0000-%04x-%012llx}", "ParentProcessId": %u, "ParentImage": "C:\\Windows\\System32\\services.exe", "ParentCommandLine": "C:\\Windows\\system32\\services.exe"})J",
                int(processes % 16), time, unsigned(processes % 65536),
                static_cast<long long>(processes), unsigned(rng.bounded(65536u)),
                images[rng.bounded(5u)], images[rng.bounded(5u)], static_cast<long long>(i),
                rng.bounded(100u), unsigned(parent % 65536), static_cast<long long>(parent),
                unsigned(rng.bounded(65536u)));
            ++processes;
        } else if (kind < 6) {
            n = std::snprintf(
                buf.data(), buf.size(),
                R"J({"EventID": 3, "Channel": "Microsoft-Windows-Sysmon/Operational", "Hostname": "BENCH-%02d.corp.example", "UtcTime": "%s", "ProcessGuid": "{5770385f-0000-0000-%04x-%012llx}", "ProcessId": 4242, "Image": "C:\\Windows\\System32\\svchost.exe", "User": "NT AUTHORITY\\SYSTEM", "Protocol": "tcp", "Initiated": "true", "SourceIp": "10.0.%u.%u", "SourcePort": "%u", "DestinationIp": "203.0.%u.%u", "DestinationPort": "443"})J",
                int(proc % 16), time, unsigned(proc % 65536), static_cast<long long>(proc),
                rng.bounded(256u), rng.bounded(256u), 49152 + rng.bounded(16000u),
                rng.bounded(256u), rng.bounded(256u));
        } else if (kind < 8) {
            n = std::snprintf(
                buf.data(), buf.size(),
                R"J({"EventID": 11, "Channel": "Microsoft-Windows-Sysmon/Operational", "Hostname": "BENCH-%02d.corp.example", "UtcTime": "%s", "ProcessGuid": "{5770385f-0000-0000-%04x-%012llx}", "ProcessId": 4242, "Image": "C:\\Windows\\System32\\svchost.exe", "TargetFilename": "C:\\Users\\user\\AppData\\Local\\Temp\\file-%lld.tmp", "CreationUtcTime": "%s"})J",
                int(proc % 16), time, unsigned(proc % 65536), static_cast<long long>(proc),
                static_cast<long long>(i), time);
        } else {
            n = std::snprintf(
                buf.data(), buf.size(),
                R"J({"EventID": 13, "Channel": "Microsoft-Windows-Sysmon/Operational", "Hostname": "BENCH-%02d.corp.example", "UtcTime": "%s", "EventType": "SetValue", "ProcessGuid": "{5770385f-0000-0000-%04x-%012llx}", "ProcessId": 4242, "Image": "C:\\Windows\\System32\\svchost.exe", "TargetObject": "HKLM\\System\\CurrentControlSet\\Services\\svc%lld\\Start", "Details": "DWORD (0x00000004)"})J",
                int(proc % 16), time, unsigned(proc % 65536), static_cast<long long>(proc),
                static_cast<long long>(i));
        }
        f.write(buf.data(), n);
        f.putChar('\n');
    }
    return path;
}

ForestInput syntheticForest(qint64 count)
{
    ForestInput in;
    in.processes.reserve(size_t(count));
    QRandomGenerator rng(7);
    const QString ep = QStringLiteral("bench-host");
    for (qint64 i = 0; i < count; ++i) {
        ProcessRecord p;
        p.key = ep + QStringLiteral("|guid:{") + QString::number(i) + QLatin1Char('}');
        if (i > 0)
            p.parentKey = ep + QStringLiteral("|guid:{") +
                          QString::number(rng.bounded(quint32(i))) + QLatin1Char('}');
        p.endpointKey = ep;
        p.imageName = QStringLiteral("proc%1.exe").arg(i % 50);
        p.imagePath = QStringLiteral("C:\\Windows\\System32\\") + p.imageName;
        p.commandLine = p.imageName + QStringLiteral(" /arg");
        p.pid = qint64(rng.bounded(65536u)); // PIDs are reused ~15 times each
        p.startedAt = 1700000000000 + i * 10;
        p.source = QStringLiteral("sysmon");
        in.processes.push_back(std::move(p));
    }
    return in;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const qint64 events = argc > 1 ? QByteArray(argv[1]).toLongLong() : 1000000;
    const qint64 forestSize = argc > 2 ? QByteArray(argv[2]).toLongLong() : 1000000;

    test::TempStore ts;
    const QString path = ts.path() + QStringLiteral(".events.jsonl");
    QElapsedTimer t;
    t.start();
    generate(path, events);
    std::printf("generated %lld Sysmon events (%.1f MB) in %.2f s\n",
                static_cast<long long>(events), double(QFile(path).size()) / 1e6,
                double(t.elapsed()) / 1000.0);

    // The same file twice, each into a new store: with the work on one thread (SPEC §12: one
    // core), then as the importer chooses (a reading thread when two CPUs are there to use).
    for (const bool oneThread : {true, false}) {
        if (oneThread)
            qputenv("CAUSA_IMPORT_THREADS", "1");
        else
            qunsetenv("CAUSA_IMPORT_THREADS");
        // The one-thread store goes at the end of its round; the forest below reads `ts`.
        std::unique_ptr<test::TempStore> scratch =
            oneThread ? std::make_unique<test::TempStore>() : nullptr;
        test::TempStore &store = oneThread ? *scratch : ts;
        t.restart();
        const double cpu0 = cpuSeconds();
        auto counts = ImportDispatcher(store.store()).importFile(path);
        const double secs = double(t.nsecsElapsed()) / 1e9;
        const double importCpu = cpuSeconds() - cpu0;
        if (!counts) {
            std::printf("import failed: %s\n", qPrintable(counts.error().toString()));
            return 1;
        }
        std::printf(
            "import (%s): %lld events, %lld processes in %.2f s wall = %.0f events/s; %.2f s CPU = "
            "%.0f events/CPU-s (target >= 100000)\n",
            oneThread ? "one thread" : "importer's choice", static_cast<long long>(counts->events),
            static_cast<long long>(counts->processes), secs, double(counts->events) / secs,
            importCpu, double(counts->events) / importCpu);
    }
    qunsetenv("CAUSA_IMPORT_THREADS");
    QFile::remove(path);

    t.restart();
    auto host = forestForHost(ts.store(), QStringLiteral("BENCH-00"));
    if (host)
        std::printf(
            "forest of one imported host from the store (load + build): %d nodes in %.3f s\n",
            host->forest.size(), double(t.nsecsElapsed()) / 1e9);

    ForestInput input = syntheticForest(forestSize);
    t.restart();
    const double cpu0 = cpuSeconds();
    const ProcessForest forest = ProcessForest::build(std::move(input));
    const double build = double(t.nsecsElapsed()) / 1e9;
    const double buildCpu = cpuSeconds() - cpu0;
    std::printf(
        "forest build: %lld process events -> %d nodes, %zu roots in %.3f s wall, %.3f s CPU "
        "(target <= 1 s)\n",
        static_cast<long long>(forestSize), forest.size(), forest.roots().size(), build, buildCpu);
    return 0;
}
