// Benchmark: XDR alert import throughput and peak memory (SPEC §12: >= 20,000 alerts/s, memory
// independent of file size). Without arguments it runs itself for 10,000 and 100,000 alerts in
// fresh processes and prints both, so the peak-memory figures are comparable.
#include "benchutil.h"
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

// A realistic full-width alert: four process roles, hashes, IPs, MITRE arrays, ~3 KB of JSON.
nlohmann::json makeAlert(int i)
{
    auto hex = [](quint64 seed, int len) {
        std::string s;
        quint64 x = seed * 0x9E3779B97F4A7C15ull + 1;
        while (int(s.size()) < len) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            char buf[17];
            std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(x));
            s += buf;
        }
        return s.substr(0, size_t(len));
    };
    const int host = i % 500;
    const std::string hostName = "WS-" + std::to_string(10000 + host);
    nlohmann::json a = {
        {"alert_id", std::to_string(1000000 + i)}, {"external_id", hex(i, 32)},
        {"detection_timestamp", 1790000000000LL + qint64(i) * 1000}, {"source", "XDR Analytics BIOC"},
        {"severity", i % 7 == 0 ? "high" : "medium"},
        {"name", "Remote PsExec-like LOLBIN command execution from an unsigned non-standard PsExec service"},
        {"category", "Lateral Movement"}, {"action", "DETECTED"}, {"action_pretty", "Detected (Reported)"},
        {"matching_service_rule_id", "f2282012-53aa-44f0-bda2-e45cd6b8b61a"},
        {"host_ip", "10.1." + std::to_string(host / 250) + "." + std::to_string(host % 250 + 1)},
        {"host_name", hostName}, {"user_name", "CORP\\user" + std::to_string(i % 300)},
        {"endpoint_id", hex(host, 32)},
        {"mitre_tactic_id_and_name", {"TA0008 - Lateral Movement", "TA0002 - Execution"}},
        {"mitre_technique_id_and_name", {"T1021.002 - Remote Services: SMB/Windows Admin Shares"}},
        {"action_remote_ip", "10.9." + std::to_string(i % 200) + ".7"}, {"action_remote_port", 445},
        {"description", "A PsExec-like service ran a LOLBIN on the host"}, {"case_id", 5000 + i / 4},
    };
    const char *roles[] = {"causality_actor_process", "actor_process", "os_actor_process", "action_process"};
    const char *images[] = {"psexesvc.exe", "psexesvc.exe", "cmd.exe", "powershell.exe"};
    for (int r = 0; r < 4; ++r) {
        const std::string p = roles[r];
        a[p + "_image_name"] = images[r];
        a[p + "_image_path"] = std::string("C:\\Windows\\System32\\") + images[r];
        a[p + (r == 3 ? "_image_command_line" : "_command_line")] =
            std::string(images[r]) + " /c powershell -nop -w hidden -enc " + hex(i * 4 + r, 120);
        a[p + "_image_sha256"] = hex(i % 1000 * 4 + r, 64);
        a[p + "_image_md5"] = hex(i % 1000 * 4 + r + 7, 32);
        a[p + "_os_pid"] = 1000 + (i * 4 + r) % 60000;
        a[p + "_signature_status"] = r < 2 ? "SIGNATURE_UNSIGNED" : "SIGNATURE_SIGNED";
        a[p + "_signature_vendor"] = r < 2 ? nullptr : nlohmann::json("Microsoft Corporation");
        a[p + "_instance_id"] = hex(i * 8 + (r == 1 ? 0 : r), 24);
    }
    a["causality_actor_causality_id"] = a["causality_actor_process_instance_id"];
    return a;
}

int runOne(int count)
{
    QTemporaryDir dir;
    const QString file = dir.path() + QStringLiteral("/alerts.json");
    {
        QFile f(file);
        if (!f.open(QIODevice::WriteOnly))
            return 1;
        f.write("{\"reply\": {\"total_count\": " + QByteArray::number(count) + ", \"alerts\": [");
        for (int i = 0; i < count; ++i) {
            if (i)
                f.write(",\n");
            f.write(QByteArray::fromStdString(makeAlert(i).dump()));
        }
        f.write("]}}");
    }
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
    std::printf("alerts=%d file_mb=%.1f seconds=%.2f alerts_per_s=%.0f cpu_s=%.2f alerts_per_cpu_s=%.0f "
                "peak_rss_mb=%.1f (before import %.1f) processes=%lld indicators=%lld\n",
                count, bytes / 1048576.0, secs, count / secs, cpu, count / cpu, peakRssKb() / 1024.0,
                rssBefore / 1024.0,
                static_cast<long long>(r->processes), static_cast<long long>(r->indicators));
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int at = int(args.indexOf(QStringLiteral("--alerts")));
    if (at > 0 && at + 1 < args.size())
        return runOne(args.at(at + 1).toInt());
    // Optional sizes: bench_xdrimport [N...] (default 10000 100000).
    QList<int> sizes;
    for (int i = 1; i < args.size(); ++i)
        if (args.at(i).toInt() > 0)
            sizes << args.at(i).toInt();
    if (sizes.isEmpty())
        sizes = {10000, 100000};
    std::printf("XDR import benchmark (get_alerts reply, full-width alerts, one transaction)\n");
    for (int n : std::as_const(sizes)) {
        QProcess p;
        p.setProcessChannelMode(QProcess::ForwardedChannels);
        p.start(app.applicationFilePath(), {QStringLiteral("--alerts"), QString::number(n)});
        p.waitForFinished(-1);
        if (p.exitCode() != 0)
            return 1;
    }
    return 0;
}
