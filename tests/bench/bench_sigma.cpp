// The whole SigmaHQ Windows rule set over 1M generated events (a Sysmon/Security mix) and over
// the shared real events, on one thread: rules loaded/skipped, events per second.
// The timed part is SigmaMatcher::match on the event's stored JSON bytes: reading the line
// (FlatEvent), the field table, the prefilter scans and the rule evaluations.
//   bench_sigma [--real-only] [--dump FILE] [--real-events N]
// --real-only skips the generated mix (for profiling), --real-events sets how many real events
// are matched (200,000; fewer under valgrind); --dump writes every distinct event's
// matches with their explanations, with and without the prefilter, to compare builds.
#include "benchutil.h"
#include "events/nestedevent.h"
#include "sigma/ruleset.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QMap>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <random>
#include <sys/resource.h>

using namespace causa;
using namespace causa::sigma;

namespace {

const char *const kImages[] = {"C:\\Windows\\System32\\svchost.exe",
                               "C:\\Windows\\System32\\cmd.exe",
                               "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                               "C:\\Windows\\explorer.exe",
                               "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
                               "C:\\Windows\\System32\\conhost.exe",
                               "C:\\Windows\\System32\\rundll32.exe",
                               "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
                               "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe",
                               "C:\\Windows\\System32\\services.exe",
                               "C:\\Windows\\System32\\taskhostw.exe",
                               "C:\\Users\\alice\\AppData\\Local\\Temp\\setup.exe",
                               "C:\\Windows\\System32\\reg.exe",
                               "C:\\Windows\\System32\\schtasks.exe",
                               "C:\\Windows\\PSEXESVC.exe"};
const char *const kCommands[] = {
    "svchost.exe -k netsvcs -p -s Schedule",
    "cmd.exe /c echo hello > C:\\temp\\out.txt",
    "powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\\scripts\\inventory.ps1",
    "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" --type=renderer --lang=en-US",
    "rundll32.exe C:\\Windows\\System32\\shell32.dll,Control_RunDLL",
    "C:\\Windows\\explorer.exe",
    "reg.exe query HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run",
    "schtasks.exe /create /tn Updater /tr C:\\Users\\Public\\u.exe /sc daily",
    "powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA",
    "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE\" /n C:\\Users\\alice\\Documents\\report.docx",
    "conhost.exe 0xffffffff -ForceV1",
    "wmic process call create calc.exe"};
const char *const kDlls[] = {"C:\\Windows\\System32\\ntdll.dll",
                             "C:\\Windows\\System32\\kernel32.dll",
                             "C:\\Windows\\System32\\amsi.dll", "C:\\Windows\\System32\\clr.dll",
                             "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\clrjit.dll"};
const char *const kFiles[] = {
    "C:\\Users\\alice\\AppData\\Local\\Temp\\tmp1234.tmp",
    "C:\\Windows\\Prefetch\\CMD.EXE-4A81B364.pf", "C:\\Users\\alice\\Downloads\\invoice.pdf.exe",
    "C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\a.lnk"};
const char *const kKeys[] = {
    "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater",
    "HKU\\S-1-5-21-1\\Software\\Microsoft\\Office\\16.0\\Word\\Security\\Trusted Documents",
    "HKLM\\System\\CurrentControlSet\\Services\\bam\\State\\UserSettings\\S-1-5-21-1"};

template<size_t N>
const char *pick(const char *const (&a)[N], std::mt19937 &rng)
{
    return a[rng() % N];
}

// One event of a realistic endpoint mix, as the store keeps it (a flat JSON object).
std::string generatedEvent(std::mt19937 &rng)
{
    const char *sysmon = "Microsoft-Windows-Sysmon/Operational";
    nlohmann::json e = {{"Computer", "WS-" + std::to_string(rng() % 50)},
                        {"UtcTime", "2026-12-05 10:00:00.000"},
                        {"ProcessGuid", "{5770385F-C22A-43E0-BF4C-06F5698FFBD9}"},
                        {"ProcessId", int(rng() % 9000)}};
    const unsigned r = rng() % 100;
    const char *image = pick(kImages, rng);
    if (r < 30) {
        e.update(
            {{"EventID", 1},
             {"Channel", sysmon},
             {"Image", image},
             {"CommandLine", pick(kCommands, rng)},
             {"ParentImage", pick(kImages, rng)},
             {"ParentCommandLine", pick(kCommands, rng)},
             {"OriginalFileName", "Cmd.Exe"},
             {"User", "CORP\\alice"},
             {"IntegrityLevel", "Medium"},
             {"Hashes",
              "SHA256=0C4A8B1D2E3F40516273849AB5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8,IMPHASH=1234567890ABCDEF1234567890ABCDEF"},
             {"CurrentDirectory", "C:\\Users\\alice\\"},
             {"Company", "Microsoft Corporation"},
             {"Product", "Microsoft Windows Operating System"},
             {"Description", "Windows Command Processor"}});
    } else if (r < 45) {
        e.update({{"EventID", 3},
                  {"Channel", sysmon},
                  {"Image", image},
                  {"Protocol", "tcp"},
                  {"Initiated", "true"},
                  {"SourceIp", "10.0.0." + std::to_string(rng() % 250)},
                  {"SourcePort", std::to_string(49152 + rng() % 1000)},
                  {"DestinationIp", std::to_string(rng() % 223 + 1) + ".20.30.40"},
                  {"DestinationPort", "443"},
                  {"DestinationHostname", "www.example.com"}});
    } else if (r < 60) {
        e.update({{"EventID", 7},
                  {"Channel", sysmon},
                  {"Image", image},
                  {"ImageLoaded", pick(kDlls, rng)},
                  {"Signed", "true"},
                  {"Signature", "Microsoft Windows"},
                  {"OriginalFileName", "ntdll.dll"}});
    } else if (r < 70) {
        e.update({{"EventID", 11},
                  {"Channel", sysmon},
                  {"Image", image},
                  {"TargetFilename", pick(kFiles, rng)}});
    } else if (r < 80) {
        e.update({{"EventID", 13},
                  {"Channel", sysmon},
                  {"Image", image},
                  {"EventType", "SetValue"},
                  {"TargetObject", pick(kKeys, rng)},
                  {"Details", "C:\\Users\\Public\\u.exe"}});
    } else if (r < 85) {
        e.update(
            {{"EventID", 10},
             {"Channel", sysmon},
             {"SourceImage", image},
             {"TargetImage", "C:\\Windows\\System32\\lsass.exe"},
             {"GrantedAccess", "0x1000"},
             {"CallTrace",
              "C:\\Windows\\SYSTEM32\\ntdll.dll+9d1e4|C:\\Windows\\System32\\KERNELBASE.dll+2c13e"}});
    } else if (r < 90) {
        e.update({{"EventID", 22},
                  {"Channel", sysmon},
                  {"Image", image},
                  {"QueryName", "login.microsoftonline.com"},
                  {"QueryStatus", "0"},
                  {"QueryResults", "::ffff:20.190.151.7;"}});
    } else if (r < 95) {
        e.update({{"EventID", 4624},
                  {"Channel", "Security"},
                  {"LogonType", "3"},
                  {"TargetUserName", "alice"},
                  {"TargetDomainName", "CORP"},
                  {"IpAddress", "10.0.0.7"},
                  {"AuthenticationPackageName", "Kerberos"},
                  {"LogonProcessName", "Kerberos"},
                  {"WorkstationName", "-"}});
    } else if (r < 98) {
        e.update({{"EventID", 4688},
                  {"Channel", "Security"},
                  {"NewProcessName", image},
                  {"CommandLine", pick(kCommands, rng)},
                  {"ParentProcessName", pick(kImages, rng)},
                  {"SubjectUserName", "alice"},
                  {"NewProcessId", "0x1c58"}});
    } else if (r < 99) {
        e.update({{"EventID", 5145},
                  {"Channel", "Security"},
                  {"ShareName", "\\\\*\\IPC$"},
                  {"RelativeTargetName", "srvsvc"},
                  {"IpAddress", "10.0.0.9"},
                  {"SubjectUserName", "alice"}});
    } else {
        e.update({{"EventID", 4104},
                  {"Channel", "Microsoft-Windows-PowerShell/Operational"},
                  {"ScriptBlockText",
                   "Get-ChildItem -Path C:\\Users -Recurse | Where-Object { $_.Length -gt 1MB }"}});
    }
    return e.dump();
}

std::vector<std::string> realEvents(const QString &dir)
{
    std::vector<std::string> out;
    QDirIterator it(dir, {QStringLiteral("*.json"), QStringLiteral("*.jsonl")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray text = f.readAll();
        QString problem;
        for (const auto &[b, e] : events::splitJsonValues(text, &problem)) {
            const std::string bytes = text.mid(b, e - b).toStdString();
            const auto j = nlohmann::json::parse(bytes, nullptr, false);
            if (j.is_object())
                out.push_back(events::isNestedEvent(j) ? events::flattenNestedEvent(j).dump()
                                                       : bytes);
        }
    }
    return out;
}

void run(const RuleSet &rules, const std::vector<std::string> &events, qint64 total,
         const char *what)
{
    SigmaMatcher m(rules);
    std::vector<SigmaMatch> out;
    qint64 matches = 0;
    const double cpu0 = bench::cpuSeconds();
    QElapsedTimer wall;
    wall.start();
    for (qint64 i = 0; i < total; ++i) {
        m.match(events[size_t(i % qint64(events.size()))], {}, out);
        matches += qint64(out.size());
        out.clear();
    }
    const double cpu = bench::cpuSeconds() - cpu0;
    std::printf(
        "%s: %lld events (%zu distinct), %.2f s CPU (%.2f s wall): %.0f events/s on one core; "
        "%lld matches; %.2f full rule evaluations per event\n",
        what, total, events.size(), cpu, double(wall.elapsed()) / 1000, double(total) / cpu,
        matches, double(m.evaluations()) / double(total));
}

// Each distinct event's matches, one line per match with its explanation; the same with the
// prefilter off must be identical (printed as a check).
void dump(const RuleSet &rules, const std::vector<std::string> &events, const char *what,
          QFile &file)
{
    auto lines = [&](bool prefilter) {
        SigmaMatcher m(rules);
        m.setPrefilter(prefilter);
        QByteArray text;
        std::vector<SigmaMatch> out;
        for (size_t i = 0; i < events.size(); ++i) {
            out.clear();
            m.match(events[i], {}, out);
            for (const SigmaMatch &x : out) {
                text += QByteArray(what) + ' ' + QByteArray::number(qulonglong(i)) + ' ' +
                        x.ruleId.toUtf8() + ' ' + x.target.toUtf8() + ' ' +
                        QByteArray::number(x.eventCode) + '\n';
                for (const MatchedField &f : x.fields)
                    text += "    " + f.selection.toUtf8() + " | " + f.field.toUtf8() + " | " +
                            f.eventField.toUtf8() + " | " + f.test.toUtf8() + " | " +
                            f.value.toUtf8() + '\n';
            }
        }
        return text;
    };
    const QByteArray with = lines(true);
    std::printf("%s: match dump %s without the prefilter\n", what,
                with == lines(false) ? "identical" : "DIFFERS");
    file.write(with);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QString shared = QStringLiteral(CAUSA_SHARED_DATA_DIR);
    const QString sigma = shared + QStringLiteral("/sigma");
    if (!QFile::exists(sigma + QStringLiteral("/rules"))) {
        std::printf("shared Sigma rules absent (%s): nothing to measure\n", qPrintable(sigma));
        return 0;
    }
    const double cpu0 = bench::cpuSeconds();
    auto rules = RuleSet::fromPaths({sigma + QStringLiteral("/rules/windows")});
    if (!rules) {
        std::printf("cannot load rules: %s\n", qPrintable(rules.error().toString()));
        return 1;
    }
    std::printf("rules/windows: %zu loaded, %zu skipped; load and compile %.2f s CPU\n",
                rules->rules().size(), rules->skipped().size(), bench::cpuSeconds() - cpu0);
    QMap<QString, int> reasons;
    for (const SkippedRule &s : rules->skipped()) {
        QString kind = s.reason;
        const qsizetype q = kind.indexOf(QLatin1Char('\''));
        const qsizetype c = kind.indexOf(QLatin1Char(':'));
        kind.truncate(q > 0 ? q : (c > 0 ? c : 60));
        ++reasons[kind.trimmed()];
    }
    std::vector<std::pair<int, QString>> top;
    for (auto it = reasons.cbegin(); it != reasons.cend(); ++it)
        top.emplace_back(it.value(), it.key());
    std::sort(top.begin(), top.end(),
              [](const auto &a, const auto &b) { return a.first > b.first; });
    for (const auto &[n, why] : top)
        std::printf("  skipped %4d: %s\n", n, qPrintable(why));

    const QStringList args = app.arguments();
    const qsizetype dumpAt = args.indexOf(QStringLiteral("--dump"));
    QFile dumpFile(dumpAt > 0 && dumpAt + 1 < args.size() ? args[dumpAt + 1] : QString());
    if (!dumpFile.fileName().isEmpty() &&
        !dumpFile.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        std::printf("cannot write %s\n", qPrintable(dumpFile.fileName()));
        return 1;
    }
    if (!args.contains(QStringLiteral("--real-only"))) {
        std::mt19937 rng(42);
        std::vector<std::string> generated;
        for (int i = 0; i < 100000; ++i)
            generated.push_back(generatedEvent(rng));
        if (dumpFile.isOpen())
            dump(rules.value(), generated, "generated", dumpFile);
        run(rules.value(), generated, 1000000, "generated mix");
    }
    const auto real = realEvents(shared + QStringLiteral("/events"));
    if (!real.empty()) {
        if (dumpFile.isOpen())
            dump(rules.value(), real, "real", dumpFile);
        const qsizetype countAt = args.indexOf(QStringLiteral("--real-events"));
        const qint64 count =
            countAt > 0 && countAt + 1 < args.size() ? args[countAt + 1].toLongLong() : 200000;
        run(rules.value(), real, std::max<qint64>(count, qint64(real.size())),
            "shared real events (looped)");
    }
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("peak RSS %.1f MiB\n", double(usage.ru_maxrss) / 1024);
    return 0;
}
