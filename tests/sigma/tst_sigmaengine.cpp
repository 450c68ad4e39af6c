// The Sigma engine one piece at a time: modifiers, conditions, log sources, skip reasons and
// hostile rules and events.
#include "sigma/literallist.h"
#include "sigma/ruleset.h"
#include "sigma/valuetest.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <random>

using namespace causa;
using namespace causa::sigma;

namespace {

QByteArray rule(const QByteArray &detection,
                const QByteArray &logsource = "    category: process_creation\n")
{
    return "title: test rule\nid: 00000000-0000-4000-8000-000000000001\nauthor: Test Author\nlevel: high\n"
           "logsource:\n    product: windows\n" +
           logsource + "detection:\n" + detection;
}

// A Sysmon process creation with these fields (string values) added or replaced.
std::string sysmonEvent(const nlohmann::json &fields, int eventId = 1)
{
    nlohmann::json e = {{"EventID", eventId},
                        {"Channel", "Microsoft-Windows-Sysmon/Operational"},
                        {"Computer", "ws1"},
                        {"Image", "C:\\Windows\\System32\\cmd.exe"},
                        {"CommandLine", "cmd.exe /c whoami"},
                        {"ParentImage", "C:\\Windows\\explorer.exe"},
                        {"ProcessId", 4242}};
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        if (it.value().is_null())
            e.erase(it.key());
        else
            e[it.key()] = it.value();
    }
    return e.dump();
}

int matches(const QByteArray &yaml, const std::string &event, QString *skipped = nullptr)
{
    RuleSet set;
    set.addText(yaml, QStringLiteral("test.yml"));
    set.compile();
    if (!set.skipped().empty()) {
        if (skipped)
            *skipped = set.skipped().front().reason;
        return -2;
    }
    // Both ways: through the shared literal prefilter and by evaluating every rule in full.
    std::vector<SigmaMatch> a, b;
    SigmaMatcher fast(set), full(set);
    full.setPrefilter(false);
    const int n = fast.match(event, {}, a);
    const int m = full.match(event, {}, b);
    if (n != m)
        return -3;
    return n;
}

} // namespace

class TestSigmaEngine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void modifiers_data()
    {
        QTest::addColumn<QByteArray>("detection");
        QTest::addColumn<QByteArray>("fields"); // JSON object merged into the event
        QTest::addColumn<bool>("match");
        auto row = [](const char *name, const char *det, const char *fields, bool m) {
            QTest::newRow(name) << QByteArray(det) << QByteArray(fields) << m;
        };
        row("equals ignores case",
            "    sel:\n        Image: 'c:\\windows\\system32\\CMD.exe'\n    condition: sel\n", "{}",
            true);
        row("equals is whole value", "    sel:\n        Image: 'cmd.exe'\n    condition: sel\n",
            "{}", false);
        row("contains", "    sel:\n        CommandLine|contains: 'WHOAMI'\n    condition: sel\n",
            "{}", true);
        row("contains misses",
            "    sel:\n        CommandLine|contains: 'ipconfig'\n    condition: sel\n", "{}",
            false);
        row("startswith",
            "    sel:\n        CommandLine|startswith: 'cmd.exe /c'\n    condition: sel\n", "{}",
            true);
        row("startswith anchored",
            "    sel:\n        CommandLine|startswith: '/c'\n    condition: sel\n", "{}", false);
        row("endswith", "    sel:\n        Image|endswith: '\\cmd.exe'\n    condition: sel\n", "{}",
            true);
        row("endswith anchored",
            "    sel:\n        Image|endswith: '\\System32'\n    condition: sel\n", "{}", false);
        row("value list is or",
            "    sel:\n        Image|endswith:\n            - '\\a.exe'\n            - '\\cmd.exe'\n    condition: sel\n",
            "{}", true);
        row("contains all",
            "    sel:\n        CommandLine|contains|all:\n            - 'cmd'\n            - 'whoami'\n    condition: sel\n",
            "{}", true);
        row("contains all misses one",
            "    sel:\n        CommandLine|contains|all:\n            - 'cmd'\n            - 'ipconfig'\n    condition: sel\n",
            "{}", false);
        row("wildcard star",
            "    sel:\n        Image: 'C:\\Windows\\\\*\\cmd.exe'\n    condition: sel\n", "{}",
            true);
        row("backslash before star escapes it",
            "    sel:\n        Image: 'C:\\Windows\\*\\cmd.exe'\n    condition: sel\n", "{}",
            false);
        row("wildcard question",
            "    sel:\n        Image: 'C:\\Windows\\System3?\\cmd.exe'\n    condition: sel\n", "{}",
            true);
        row("wildcard question one byte",
            "    sel:\n        Image: 'C:\\Windows\\System?\\cmd.exe'\n    condition: sel\n", "{}",
            false);
        row("escaped star is literal",
            "    sel:\n        CommandLine: 'a\\*b'\n    condition: sel\n",
            "{\"CommandLine\": \"a*b\"}", true);
        row("escaped star not wildcard",
            "    sel:\n        CommandLine: 'a\\*b'\n    condition: sel\n",
            "{\"CommandLine\": \"axxb\"}", false);
        row("lone backslash stays",
            "    sel:\n        Image: 'C:\\Windows\\System32\\cmd.exe'\n    condition: sel\n", "{}",
            true);
        row("cased matches",
            "    sel:\n        CommandLine|cased|contains: 'whoami'\n    condition: sel\n", "{}",
            true);
        row("cased refuses case",
            "    sel:\n        CommandLine|cased|contains: 'WHOAMI'\n    condition: sel\n", "{}",
            false);
        row("re", "    sel:\n        CommandLine|re: 'c[a-z]d\\.exe\\s+/c'\n    condition: sel\n",
            "{}", true);
        row("re is cased", "    sel:\n        CommandLine|re: 'WHOAMI'\n    condition: sel\n", "{}",
            false);
        row("re i", "    sel:\n        CommandLine|re|i: 'WHOAMI'\n    condition: sel\n", "{}",
            true);
        row("re m", "    sel:\n        CommandLine|re|m: '^two$'\n    condition: sel\n",
            "{\"CommandLine\": \"one\\ntwo\"}", true);
        row("re without m", "    sel:\n        CommandLine|re: '^two$'\n    condition: sel\n",
            "{\"CommandLine\": \"one\\ntwo\"}", false);
        row("re s", "    sel:\n        CommandLine|re|s: 'one.two'\n    condition: sel\n",
            "{\"CommandLine\": \"one\\ntwo\"}", true);
        row("re without s", "    sel:\n        CommandLine|re: 'one.two'\n    condition: sel\n",
            "{\"CommandLine\": \"one\\ntwo\"}", false);
        row("re with alternation",
            "    sel:\n        CommandLine|re: 'ipconfig|whoami'\n    condition: sel\n", "{}",
            true);
        row("re literal after group",
            "    sel:\n        CommandLine|re: '(cmd|pwsh)\\.exe /c who'\n    condition: sel\n",
            "{}", true);
        row("re optional letter",
            "    sel:\n        CommandLine|re: 'cmdx?\\.exe'\n    condition: sel\n", "{}", true);
        row("re literal absent",
            "    sel:\n        CommandLine|re: 'net\\s+user'\n    condition: sel\n", "{}", false);
        row("re i kelvin sign", "    sel:\n        CommandLine|re|i: 'kill'\n    condition: sel\n",
            "{\"CommandLine\": \"\\u212aill\"}", true);
        row("cidr v4", "    sel:\n        DestinationIp|cidr: '10.0.0.0/8'\n    condition: sel\n",
            "{\"DestinationIp\": \"10.20.30.40\"}", true);
        row("cidr v4 outside",
            "    sel:\n        DestinationIp|cidr: '10.0.0.0/8'\n    condition: sel\n",
            "{\"DestinationIp\": \"11.0.0.1\"}", false);
        row("cidr v4 odd prefix",
            "    sel:\n        DestinationIp|cidr: '172.16.0.0/12'\n    condition: sel\n",
            "{\"DestinationIp\": \"172.31.255.1\"}", true);
        row("cidr v6", "    sel:\n        DestinationIp|cidr: 'fe80::/10'\n    condition: sel\n",
            "{\"DestinationIp\": \"fe80::1\"}", true);
        row("cidr not an ip",
            "    sel:\n        DestinationIp|cidr: '10.0.0.0/8'\n    condition: sel\n",
            "{\"DestinationIp\": \"10.evil\"}", false);
        row("windash slash",
            "    sel:\n        CommandLine|windash|contains: ' -enc '\n    condition: sel\n",
            "{\"CommandLine\": \"powershell /enc AAAA\"}", true);
        row("windash en dash",
            "    sel:\n        CommandLine|windash|contains: ' -enc '\n    condition: sel\n",
            "{\"CommandLine\": \"powershell \\u2013enc AAAA\"}", true);
        row("windash plain",
            "    sel:\n        CommandLine|windash|contains: ' -enc '\n    condition: sel\n",
            "{\"CommandLine\": \"powershell -enc AAAA\"}", true);
        row("windash mid-word dash",
            "    sel:\n        CommandLine|windash|contains: 'a-b'\n    condition: sel\n",
            "{\"CommandLine\": \"a/b\"}", false);
        // base64('hello') = aGVsbG8=
        row("base64",
            "    sel:\n        CommandLine|base64|contains: 'hello'\n    condition: sel\n",
            "{\"CommandLine\": \"x aGVsbG8= y\"}", true);
        // base64('xhello') = eGhlbGxv: offset 1 gives 'hlbGxv'
        row("base64offset 1",
            "    sel:\n        CommandLine|base64offset|contains: 'hello'\n    condition: sel\n",
            "{\"CommandLine\": \"eGhlbGxv\"}", true);
        // base64('xyhello') = eHloZWxsbw==: offset 2 gives 'ZWxsb'
        row("base64offset 2",
            "    sel:\n        CommandLine|base64offset|contains: 'hello'\n    condition: sel\n",
            "{\"CommandLine\": \"eHloZWxsbw==\"}", true);
        row("base64offset misses",
            "    sel:\n        CommandLine|base64offset|contains: 'hello'\n    condition: sel\n",
            "{\"CommandLine\": \"aGVsbA==\"}", false);
        // base64(utf16le('IEX')) = SQBFAFgA
        row("wide base64",
            "    sel:\n        CommandLine|wide|base64|contains: 'IEX'\n    condition: sel\n",
            "{\"CommandLine\": \"-enc SQBFAFgA\"}", true);
        row("utf16le base64offset",
            "    sel:\n        CommandLine|utf16le|base64offset|contains: 'IEX'\n    condition: sel\n",
            "{\"CommandLine\": \"-enc SQBFAFgA\"}", true);
        // base64(utf16be('IEX')) = AEkARQBY
        row("utf16be base64",
            "    sel:\n        CommandLine|utf16be|base64|contains: 'IEX'\n    condition: sel\n",
            "{\"CommandLine\": \"AEkARQBY\"}", true);
        // base64(FF FE + utf16le('IEX')) = //5JAEUAWAA=
        row("utf16 base64",
            "    sel:\n        CommandLine|utf16|base64|contains: 'IEX'\n    condition: sel\n",
            "{\"CommandLine\": \"//5JAEUAWAA=\"}", true);
        row("exists true", "    sel:\n        ParentImage|exists: true\n    condition: sel\n", "{}",
            true);
        row("exists false", "    sel:\n        ParentImage|exists: false\n    condition: sel\n",
            "{}", false);
        row("exists false absent",
            "    sel:\n        OriginalFileName|exists: false\n    condition: sel\n", "{}", true);
        row("fieldref", "    sel:\n        ParentImage|fieldref: Image\n    condition: sel\n",
            "{\"ParentImage\": \"C:\\\\WINDOWS\\\\System32\\\\cmd.exe\"}", true);
        row("fieldref differs",
            "    sel:\n        ParentImage|fieldref: Image\n    condition: sel\n", "{}", false);
        row("gt", "    sel:\n        ProcessId|gt: 4000\n    condition: sel\n", "{}", true);
        row("gte equal", "    sel:\n        ProcessId|gte: 4242\n    condition: sel\n", "{}", true);
        row("lt", "    sel:\n        ProcessId|lt: 4000\n    condition: sel\n", "{}", false);
        row("lte equal", "    sel:\n        ProcessId|lte: 4242\n    condition: sel\n", "{}", true);
        row("gt not a number", "    sel:\n        ProcessId|gt: 1\n    condition: sel\n",
            "{\"ProcessId\": \"12abc\"}", false);
        row("null absent", "    sel:\n        OriginalFileName: null\n    condition: sel\n", "{}",
            true);
        row("null present", "    sel:\n        Image: null\n    condition: sel\n", "{}", false);
        row("null empty", "    sel:\n        Description: null\n    condition: sel\n",
            "{\"Description\": \"\"}", true);
        row("empty string", "    sel:\n        Description: ''\n    condition: sel\n",
            "{\"Description\": \"\"}", true);
        row("empty string not absent", "    sel:\n        Description: ''\n    condition: sel\n",
            "{}", false);
        row("number value", "    sel:\n        ProcessId: 4242\n    condition: sel\n", "{}", true);
        row("keywords",
            "    keywords:\n        - 'WHOAMI'\n        - 'nothing'\n    condition: keywords\n",
            "{}", true);
        row("keywords miss", "    keywords:\n        - 'ipconfig'\n    condition: keywords\n", "{}",
            false);
        row("list of maps",
            "    sel:\n        - Image|endswith: '\\x.exe'\n        - CommandLine|contains: whoami\n    condition: sel\n",
            "{}", true);
        row("map is and",
            "    sel:\n        Image|endswith: '\\cmd.exe'\n        CommandLine|contains: ipconfig\n    condition: sel\n",
            "{}", false);
        row("absent field no match",
            "    sel:\n        OriginalFileName|contains: 'cmd'\n    condition: sel\n", "{}",
            false);
        row("utf-8 value", "    sel:\n        CommandLine|contains: 'пример'\n    condition: sel\n",
            "{\"CommandLine\": \"echo пример\"}", true);
        row("nul byte in value",
            "    sel:\n        CommandLine|contains: 'after'\n    condition: sel\n",
            "{\"CommandLine\": \"before\\u0000after\"}", true);
    }

    void modifiers()
    {
        QFETCH(QByteArray, detection);
        QFETCH(QByteArray, fields);
        QFETCH(bool, match);
        QString skipped;
        const int n = matches(rule(detection),
                              sysmonEvent(nlohmann::json::parse(fields.toStdString())), &skipped);
        QVERIFY2(n >= 0, qPrintable(n == -3 ? QStringLiteral("prefilter disagrees") : skipped));
        QCOMPARE(n, match ? 1 : 0);
    }

    void conditions_data()
    {
        QTest::addColumn<QByteArray>("condition");
        QTest::addColumn<bool>("match");
        // sel_a, sel_b true; filter_x, _hidden false (the event has cmd.exe and whoami).
        QTest::newRow("and") << QByteArray("sel_a and sel_b") << true;
        QTest::newRow("and false") << QByteArray("sel_a and filter_x") << false;
        QTest::newRow("or") << QByteArray("filter_x or sel_b") << true;
        QTest::newRow("not") << QByteArray("sel_a and not filter_x") << true;
        QTest::newRow("not true") << QByteArray("not sel_a") << false;
        QTest::newRow("brackets") << QByteArray("sel_a and (filter_x or sel_b)") << true;
        QTest::newRow("brackets false")
            << QByteArray("(sel_a and filter_x) or (filter_x and sel_b)") << false;
        QTest::newRow("precedence and over or")
            << QByteArray("filter_x and sel_a or sel_b") << true;
        QTest::newRow("not binds tight") << QByteArray("not filter_x and sel_a") << true;
        QTest::newRow("1 of sel_*") << QByteArray("1 of sel_*") << true;
        QTest::newRow("all of sel_*") << QByteArray("all of sel_*") << true;
        QTest::newRow("1 of filter_*") << QByteArray("1 of filter_*") << false;
        QTest::newRow("1 of them") << QByteArray("1 of them") << true;
        QTest::newRow("all of them") << QByteArray("all of them") << false;
        QTest::newRow("all of them skips underscore")
            << QByteArray("all of sel_* and not 1 of filter_*") << true;
        QTest::newRow("any of") << QByteArray("any of sel_*") << true;
        QTest::newRow("not 1 of") << QByteArray("not 1 of filter_*") << true;
    }

    void conditions()
    {
        QFETCH(QByteArray, condition);
        QFETCH(bool, match);
        const QByteArray det = "    sel_a:\n        Image|endswith: '\\cmd.exe'\n"
                               "    sel_b:\n        CommandLine|contains: whoami\n"
                               "    filter_x:\n        CommandLine|contains: ipconfig\n"
                               "    _hidden:\n        Image: nothing\n"
                               "    condition: " +
                               condition + "\n";
        QString skipped;
        const int n = matches(rule(det), sysmonEvent({}), &skipped);
        QVERIFY2(n >= 0, qPrintable(skipped));
        QCOMPARE(n, match ? 1 : 0);
    }

    void themExcludesUnderscore()
    {
        const QByteArray det = "    sel:\n        Image|endswith: '\\cmd.exe'\n"
                               "    _hidden:\n        Image: nothing\n    condition: all of them\n";
        QCOMPARE(matches(rule(det), sysmonEvent({})), 1);
    }

    void logsources_data()
    {
        QTest::addColumn<QByteArray>("logsource");
        QTest::addColumn<QByteArray>("detection");
        QTest::addColumn<QByteArray>("event");
        QTest::addColumn<bool>("match");
        const QByteArray security4688 =
            "{\"EventID\": 4688, \"Channel\": \"Security\", \"NewProcessName\": \"C:\\\\Windows\\\\System32\\\\reg.exe\", \"ParentProcessName\": \"C:\\\\Windows\\\\PSEXESVC.exe\", \"CommandLine\": \"reg save HKLM\\\\security\", \"SubjectUserName\": \"WORKSTATION5$\"}";
        QTest::newRow("4688 as process_creation")
            << QByteArray("    category: process_creation\n")
            << QByteArray(
                   "    sel:\n        Image|endswith: '\\reg.exe'\n        ParentImage|endswith: '\\PSEXESVC.exe'\n    condition: sel\n")
            << security4688 << true;
        QTest::newRow("4688 keeps unmapped names")
            << QByteArray("    category: process_creation\n")
            << QByteArray("    sel:\n        CommandLine|contains: 'save'\n    condition: sel\n")
            << security4688 << true;
        QTest::newRow("security service reads raw names")
            << QByteArray("    service: security\n")
            << QByteArray(
                   "    sel:\n        EventID: 4688\n        NewProcessName|endswith: '\\reg.exe'\n    condition: sel\n")
            << security4688 << true;
        QTest::newRow("channel in any case")
            << QByteArray("    service: security\n")
            << QByteArray("    sel:\n        EventID: 4688\n    condition: sel\n")
            << QByteArray("{\"EventID\": 4688, \"Channel\": \"security\"}") << true;
        QTest::newRow("sysmon 3 is not process_creation")
            << QByteArray("    category: process_creation\n")
            << QByteArray("    sel:\n        Image|endswith: '\\cmd.exe'\n    condition: sel\n")
            << QByteArray(sysmonEvent({}, 3).c_str()) << false;
        QTest::newRow("network_connection")
            << QByteArray("    category: network_connection\n")
            << QByteArray("    sel:\n        Image|endswith: '\\cmd.exe'\n    condition: sel\n")
            << QByteArray(sysmonEvent({}, 3).c_str()) << true;
        QTest::newRow("pipe_created 18")
            << QByteArray("    category: pipe_created\n")
            << QByteArray(
                   "    sel:\n        PipeName|startswith: '\\PSEXESVC'\n    condition: sel\n")
            << QByteArray(sysmonEvent({{"PipeName", "\\PSEXESVC-WS1-1234-stdin"}}, 18).c_str())
            << true;
        QTest::newRow("registry_set is 13 only")
            << QByteArray("    category: registry_set\n")
            << QByteArray("    sel:\n        TargetObject|contains: 'Run'\n    condition: sel\n")
            << QByteArray(sysmonEvent({{"TargetObject", "HKLM\\Run"}}, 12).c_str()) << false;
        QTest::newRow("registry_event has 12")
            << QByteArray("    category: registry_event\n")
            << QByteArray("    sel:\n        TargetObject|contains: 'Run'\n    condition: sel\n")
            << QByteArray(sysmonEvent({{"TargetObject", "HKLM\\Run"}}, 12).c_str()) << true;
        QTest::newRow("ps_script 4104")
            << QByteArray("    category: ps_script\n")
            << QByteArray(
                   "    sel:\n        ScriptBlockText|contains: 'Invoke-Mimikatz'\n    condition: sel\n")
            << QByteArray(
                   "{\"EventID\": 4104, \"Channel\": \"Microsoft-Windows-PowerShell/Operational\", \"ScriptBlockText\": \"invoke-mimikatz -dump\"}")
            << true;
        QTest::newRow("system SourceName as Provider_Name")
            << QByteArray("    service: system\n")
            << QByteArray(
                   "    sel:\n        Provider_Name: 'Service Control Manager'\n        EventID: 7045\n    condition: sel\n")
            << QByteArray(
                   "{\"EventID\": 7045, \"Channel\": \"System\", \"SourceName\": \"Service Control Manager\"}")
            << true;
        QTest::newRow("nested regression shape")
            << QByteArray("    category: pipe_created\n")
            << QByteArray("    sel:\n        PipeName: '\\REDSUN'\n    condition: sel\n")
            << QByteArray(
                   "{\"Event\": {\"System\": {\"Provider\": {\"#attributes\": {\"Name\": \"Microsoft-Windows-Sysmon\"}}, "
                   "\"EventID\": 17, \"Channel\": \"Microsoft-Windows-Sysmon/Operational\", \"Computer\": \"x\"}, "
                   "\"EventData\": {\"PipeName\": \"\\\\REDSUN\", \"ProcessId\": 15596}}}")
            << true;
    }

    void logsources()
    {
        QFETCH(QByteArray, logsource);
        QFETCH(QByteArray, detection);
        QFETCH(QByteArray, event);
        QFETCH(bool, match);
        QString skipped;
        const int n = matches(rule(detection, logsource), event.toStdString(), &skipped);
        QVERIFY2(n >= 0, qPrintable(skipped));
        QCOMPARE(n, match ? 1 : 0);
    }

    void skipped_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("reason");
        const QByteArray ok = "    sel:\n        Image: x\n";
        QTest::newRow("aggregation")
            << rule(ok + "    condition: sel | count() > 5\n") << QStringLiteral("aggregation");
        QTest::newRow("timeframe")
            << rule(ok + "    timeframe: 5m\n    condition: sel\n") << QStringLiteral("timeframe");
        QTest::newRow("correlation")
            << QByteArray("title: c\ncorrelation:\n    type: event_count\n    rules: [a]\n")
            << QStringLiteral("correlation rule");
        QTest::newRow("unknown modifier")
            << rule("    sel:\n        Image|sounds_like: x\n    condition: sel\n")
            << QStringLiteral("unknown modifier 'sounds_like'");
        QTest::newRow("expand")
            << rule("    sel:\n        Image|expand: '%admins%'\n    condition: sel\n")
            << QStringLiteral("expand");
        QTest::newRow("linux product")
            << QByteArray(
                   "title: l\nlogsource:\n    product: linux\n    category: process_creation\ndetection:\n") +
                   ok + "    condition: sel\n"
            << QStringLiteral("unsupported logsource product 'linux'");
        QTest::newRow("unknown category")
            << rule(ok + "    condition: sel\n", "    category: quantum_event\n")
            << QStringLiteral("unsupported logsource category 'quantum_event'");
        QTest::newRow("unknown service")
            << rule(ok + "    condition: sel\n", "    service: nosuch\n")
            << QStringLiteral("unsupported logsource service 'nosuch'");
        QTest::newRow("condition names nothing") << rule(ok + "    condition: sel and other\n")
                                                 << QStringLiteral("no detection item 'other'");
        QTest::newRow("of names nothing") << rule(ok + "    condition: 1 of nothing_*\n")
                                          << QStringLiteral("names no detection item");
        QTest::newRow("2 of") << rule(ok + "    condition: 2 of sel*\n")
                              << QStringLiteral("'2 of'");
        QTest::newRow("unbalanced bracket")
            << rule(ok + "    condition: (sel\n") << QStringLiteral("missing ')'");
        QTest::newRow("lookahead regex")
            << rule("    sel:\n        Image|re: 'a(?=b)'\n    condition: sel\n")
            << QStringLiteral("regex the linear-time engine cannot run");
        QTest::newRow("bad cidr")
            << rule("    sel:\n        DestinationIp|cidr: '10.0.0.0/99'\n    condition: sel\n")
            << QStringLiteral("bad CIDR");
        QTest::newRow("base64 wildcard")
            << rule("    sel:\n        CommandLine|base64: 'a*b'\n    condition: sel\n")
            << QStringLiteral("wildcard in a value under 'base64'");
        QTest::newRow("re with contains")
            << rule("    sel:\n        Image|re|contains: 'x'\n    condition: sel\n")
            << QStringLiteral("do not combine");
        QTest::newRow("bad yaml") << QByteArray("title: [unclosed\n") << QStringLiteral("YAML");
        QTest::newRow("no detection")
            << QByteArray(
                   "title: t\nlogsource:\n    product: windows\n    category: process_creation\n")
            << QStringLiteral("no detection");
        QTest::newRow("no condition") << rule(ok) << QStringLiteral("no condition");
        QTest::newRow("not a map") << QByteArray("- a\n- b\n") << QStringLiteral("no YAML map");
        QTest::newRow("nested value")
            << rule("    sel:\n        Image:\n            deeper: x\n    condition: sel\n")
            << QStringLiteral("not a scalar");
        QByteArray deep = rule(ok + "    condition: " + QByteArray(200, '(') + "sel" +
                               QByteArray(200, ')') + "\n");
        QTest::newRow("condition nested too deep") << deep << QStringLiteral("nested too deep");
        QTest::newRow("not chain too deep")
            << rule(ok + "    condition: " + QByteArray("not ").repeated(500) + "sel\n")
            << QStringLiteral("nested too deep");
    }

    void skipped()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, reason);
        RuleSet set;
        set.addText(yaml, QStringLiteral("bad.yml"));
        set.compile();
        QCOMPARE(set.rules().size(), size_t(0));
        QCOMPARE(set.skipped().size(), size_t(1));
        QCOMPARE(set.skipped().front().path, QStringLiteral("bad.yml"));
        QVERIFY2(set.skipped().front().reason.contains(reason),
                 qPrintable(set.skipped().front().reason));
    }

    // Hostile values and rules finish (RE2 matches in linear time, globs without backtracking);
    // the test has no clock: a hang is the failure, caught by the test timeout.
    void hostile_data()
    {
        QTest::addColumn<QByteArray>("detection");
        QTest::addColumn<int>("valueSize");
        QTest::addColumn<bool>("match");
        QTest::newRow("catastrophic regex")
            << QByteArray("    sel:\n        CommandLine|re: '(a+)+$'\n    condition: sel\n")
            << (1 << 20) << false;
        QTest::newRow("nested quantifiers")
            << QByteArray(
                   "    sel:\n        CommandLine|re: '(a|aa)*(a|aa)*c'\n    condition: sel\n")
            << (1 << 20) << false;
        QTest::newRow("many stars")
            << QByteArray(
                   "    sel:\n        CommandLine: '*a*a*a*a*a*a*a*a*a*a*a*a*c'\n    condition: sel\n")
            << (8 << 20) << false;
        QTest::newRow("question marks")
            << QByteArray("    sel:\n        CommandLine: '*a?a?a?a?a?c*'\n    condition: sel\n")
            << (4 << 20) << false;
        QTest::newRow("contains in 16 MiB")
            << QByteArray("    sel:\n        CommandLine|contains: 'ab'\n    condition: sel\n")
            << (16 << 20) << true;
    }

    void hostile()
    {
        QFETCH(QByteArray, detection);
        QFETCH(int, valueSize);
        QFETCH(bool, match);
        // 'a' repeated, then 'b' (no 'c'): the worst input for backtracking matchers.
        std::string value(size_t(valueSize), 'a');
        value.back() = 'b';
        RuleSet set;
        set.addText(rule(detection), QStringLiteral("hostile.yml"));
        set.compile();
        QVERIFY(set.skipped().empty());
        SigmaMatcher m(set);
        std::vector<SigmaMatch> out;
        QCOMPARE(m.match(sysmonEvent({{"CommandLine", value}}), {}, out), match ? 1 : 0);
    }

    void badEvents_data()
    {
        QTest::addColumn<QByteArray>("event");
        QTest::addColumn<int>("result");
        QTest::newRow("not json") << QByteArray("{nope") << -1;
        QTest::newRow("array") << QByteArray("[1,2]") << -1;
        QTest::newRow("empty") << QByteArray("") << -1;
        QTest::newRow("no channel")
            << QByteArray("{\"EventID\": 1, \"Image\": \"C:\\\\x\\\\cmd.exe\"}") << 0;
        QTest::newRow("nested values elsewhere")
            << QByteArray(
                   "{\"EventID\": 1, \"Channel\": \"Microsoft-Windows-Sysmon/Operational\", \"Image\": \"C:\\\\x\\\\cmd.exe\", \"Extra\": {\"a\": [1, 2]}}")
            << 1;
        QTest::newRow("event id as text")
            << QByteArray(
                   "{\"EventID\": \"1\", \"Channel\": \"Microsoft-Windows-Sysmon/Operational\", \"Image\": \"C:\\\\x\\\\cmd.exe\"}")
            << 1;
    }

    void badEvents()
    {
        QFETCH(QByteArray, event);
        QFETCH(int, result);
        RuleSet set;
        set.addText(rule("    sel:\n        Image|endswith: '\\cmd.exe'\n    condition: sel\n"),
                    QStringLiteral("r.yml"));
        set.compile();
        SigmaMatcher m(set);
        std::vector<SigmaMatch> out;
        QCOMPARE(m.match(event.toStdString(), {}, out), result);
    }

    // The literal a regex cannot match without: only what every match holds, lower-cased.
    void regexLiterals_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<bool>("icase");
        QTest::addColumn<QString>("literal");
        auto row = [](const char *name, const char *p, bool i, const char *lit) {
            QTest::newRow(name) << QString::fromUtf8(p) << i << QString::fromUtf8(lit);
        };
        row("plain", "Invoke-Expression", false, "invoke-expression");
        row("escaped dot", "\\.exe$", false, ".exe");
        row("star drops its atom", "ab*cd", false, "cd");
        row("question drops its atom", "abc?", false, "ab");
        row("plus keeps its atom", "abc+d", false, "abc");
        row("repeat drops its atom", "abc{0,2}de", false, "ab");
        row("top-level alternation", "foo|bar", false, "");
        row("group skipped", "(foo|bar)bazz", false, "bazz");
        row("class with paren", "[)(]abc", false, "abc");
        row("escape classes", "\\d+\\s*xyz\\w", false, "xyz");
        row("hex escape", "\\x41BCD", false, "bcd");
        row("unicode class", "\\p{L}abc", false, "abc");
        row("quoted", "\\Qa.b\\Exyz", false, "xyz");
        row("non-ascii ends a run", "caf\xc3\xa9s", false, "caf");
        row("ignoring case: k and s end runs", "powershell", true, "power");
        row("ignoring case via flag group", "(?i)mimikatz", true, "mimi");
        row("only classes", "[a-z]+\\d", false, "");
    }

    void regexLiterals()
    {
        QFETCH(QString, pattern);
        QFETCH(bool, icase);
        QFETCH(QString, literal);
        QCOMPARE(QString::fromStdString(detail::requiredRegexLiteral(pattern.toStdString(), icase)),
                 literal);
    }

    // A rule whose selections must all hold waits for a literal of each: an event holding only
    // one of them is not evaluated at all.
    // Lower-casing eight bytes at a time: every byte value, at every position of the word and
    // in the byte-by-byte tail, as the plain A-Z rule gives it.
    void asciiLowerEveryByte()
    {
        std::mt19937 rng(4242);
        std::string in;
        for (int c = 0; c < 256; ++c)
            in += char(c);
        for (int k = 0; k < 2000; ++k)
            in += char(rng() % 256);
        for (size_t from = 0; from < 9; ++from)
            for (const size_t n :
                 {size_t(0), size_t(1), size_t(7), size_t(8), size_t(9), size_t(15), size_t(16),
                  size_t(17), size_t(31), size_t(33), in.size() - from}) {
                std::string expected = in.substr(from, n);
                for (char &c : expected)
                    if (c >= 'A' && c <= 'Z')
                        c = char(c + 32);
                std::string out(n, '?');
                detail::asciiLower(in.data() + from, n, out.data());
                QCOMPARE(out, expected);
                std::string inPlace = in.substr(from, n);
                detail::asciiLower(inPlace.data(), n, inPlace.data());
                QCOMPARE(inPlace, expected);
            }
    }

    // A long list of plain literals answered by one automaton pass (LiteralList) gives the
    // first test the per-test loop finds, on seeded random lists and values built from their
    // own pieces (so that hits at the start, at the end and overlapping ones are common).
    void literalListAsTheLoop()
    {
        using detail::GlobSegment;
        using detail::ValueTest;
        std::mt19937 rng(20261206);
        const std::string alphabet = "ab\\ -.";
        auto word = [&](size_t n) {
            std::string w;
            for (size_t i = 0; i < n; ++i)
                w += alphabet[rng() % alphabet.size()];
            return w;
        };
        int listed = 0, hits = 0;
        for (int round = 0; round < 300; ++round) {
            std::vector<std::vector<ValueTest>> groups(8 + rng() % 30);
            std::vector<std::string> pieces;
            for (auto &group : groups)
                for (unsigned v = 0; v < 1 + rng() % 3; ++v) {
                    const std::string lit = word(1 + rng() % 5);
                    pieces.push_back(lit);
                    ValueTest t;
                    switch (rng() % 4) {
                    case 0: t.segments = {GlobSegment{lit, {}}}; break;
                    case 1: t.segments = {GlobSegment{lit, {}}, GlobSegment{}}; break;
                    case 2: t.segments = {GlobSegment{}, GlobSegment{lit, {}}}; break;
                    default:
                        t.segments = {GlobSegment{}, GlobSegment{lit, {}}, GlobSegment{}};
                        break;
                    }
                    group.push_back(std::move(t));
                }
            const auto list = detail::LiteralList::make(groups);
            QVERIFY(list);
            ++listed;
            for (int v = 0; v < 20; ++v) {
                std::string value;
                const size_t parts = rng() % 6;
                for (size_t k = 0; k < parts; ++k)
                    value += rng() % 2 ? pieces[rng() % pieces.size()] : word(1 + rng() % 3);
                std::pair<int, int> expected{-1, -1};
                for (size_t g = 0; g < groups.size() && expected.first < 0; ++g)
                    for (size_t k = 0; k < groups[g].size(); ++k)
                        if (groups[g][k].matchText(value, value)) {
                            expected = {int(g), int(k)};
                            break;
                        }
                QCOMPARE(list->firstMatch(value), expected);
                hits += expected.first >= 0 ? 1 : 0;
            }
        }
        QVERIFY(listed == 300 && hits > 1000);
        // Not a list: a '?' wildcard, a cased test, a glob with a literal on both sides, too few tests.
        std::vector<std::vector<ValueTest>> plain(8);
        for (auto &g : plain)
            g.push_back(ValueTest{});
        for (auto &g : plain)
            g.back().segments = {GlobSegment{"x", {}}};
        QVERIFY(detail::LiteralList::make(plain));
        auto withQ = plain;
        withQ[3].back().segments = {GlobSegment{"xy", "01"}};
        QVERIFY(!detail::LiteralList::make(withQ));
        auto cased = plain;
        cased[0].back().cased = true;
        QVERIFY(!detail::LiteralList::make(cased));
        auto between = plain;
        between[7].back().segments = {GlobSegment{"a", {}}, GlobSegment{"b", {}}};
        QVERIFY(!detail::LiteralList::make(between));
        QVERIFY(!detail::LiteralList::make({plain.begin(), plain.begin() + 7}));
    }

    void everyRequiredGroup()
    {
        RuleSet set;
        set.addText(
            rule(
                "    sel_img:\n        Image|endswith: '\\rundll32.exe'\n"
                "    sel_cli:\n        CommandLine|contains: 'comsvcs'\n    condition: sel_img and sel_cli\n"),
            QStringLiteral("r.yml"));
        set.compile();
        SigmaMatcher fast(set), full(set);
        full.setPrefilter(false);
        std::vector<SigmaMatch> out;
        const std::string onlyImage =
            sysmonEvent({{"Image", "C:\\Windows\\System32\\rundll32.exe"}});
        QCOMPARE(fast.match(onlyImage, {}, out), 0);
        QCOMPARE(full.match(onlyImage, {}, out), 0);
        QCOMPARE(fast.evaluations(), qint64(0));
        const std::string onlyCli = sysmonEvent({{"CommandLine", "x comsvcs.dll MiniDump"}});
        QCOMPARE(fast.match(onlyCli, {}, out), 0);
        QCOMPARE(fast.evaluations(), qint64(0));
        const std::string both = sysmonEvent({{"Image", "C:\\Windows\\System32\\rundll32.exe"},
                                              {"CommandLine", "rundll32 comsvcs.dll MiniDump"}});
        QCOMPARE(fast.match(both, {}, out), 1);
        QCOMPARE(fast.evaluations(), qint64(1));
        // Either selection of an "or" wakes the rule.
        RuleSet either;
        either.addText(
            rule(
                "    a:\n        Image|endswith: '\\rundll32.exe'\n    b:\n        CommandLine|contains: 'comsvcs'\n"
                "    condition: a or b\n"),
            QStringLiteral("r.yml"));
        either.compile();
        SigmaMatcher any(either);
        QCOMPARE(any.match(onlyImage, {}, out), 1);
        QCOMPARE(any.match(onlyCli, {}, out), 1);
    }

    void explanationAndCredit()
    {
        RuleSet set;
        set.addText(
            rule(
                "    sel:\n        Image|endswith: '\\cmd.exe'\n        CommandLine|contains|all:\n            - cmd\n            - whoami\n"
                "    filter:\n        User: SYSTEM\n    condition: sel and not filter\n"),
            QStringLiteral("r.yml"));
        set.compile();
        SigmaMatcher m(set);
        std::vector<SigmaMatch> out;
        QCOMPARE(m.match(sysmonEvent({}), {QStringLiteral("ws1"), 1000, 7}, out), 1);
        const SigmaMatch &hit = out.front();
        QCOMPARE(hit.title, QStringLiteral("test rule"));
        QCOMPARE(hit.level, QStringLiteral("high"));
        QCOMPARE(hit.eventId, qint64(7));
        QCOMPARE(hit.eventCode, 1);
        QCOMPARE(hit.target, QStringLiteral("sysmon process_creation"));
        QCOMPARE(hit.credit, QStringLiteral("rule by Test Author, SigmaHQ, DRL 1.1"));
        // The negated filter explains nothing; the selection's two fields do.
        QCOMPARE(hit.fields.size(), size_t(2));
        QCOMPARE(hit.fields[0].field, QStringLiteral("Image"));
        QCOMPARE(hit.fields[0].test, QStringLiteral("endswith '\\cmd.exe'"));
        QCOMPARE(hit.fields[0].value, QStringLiteral("C:\\Windows\\System32\\cmd.exe"));
        QCOMPARE(hit.fields[1].test, QStringLiteral("contains|all 'cmd' (all 2 values)"));
    }
};

QTEST_GUILESS_MAIN(TestSigmaEngine)
#include "tst_sigmaengine.moc"
