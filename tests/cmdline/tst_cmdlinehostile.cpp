// Hostile input: every case must finish without a crash, with bounded layers and output.
// (Timings are measured by tests/bench/bench_cmdline, never asserted here.)
#include "cmdline/commandlineanalyzer.h"
#include "cmdlinetestdata.h"

#include <QRandomGenerator>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace causa;

namespace {

using test::utf16Base64;

// QString::repeated, kept as a name so the hostile inputs read like their descriptions.
QString repeat(const QString &unit, qsizetype times)
{
    return unit.repeated(times);
}

} // namespace

class TestCmdlineHostile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void hostile_data();
    void hostile();
    void tooLongIsAnError();
    void randomMutations();
};

void TestCmdlineHostile::hostile_data()
{
    QTest::addColumn<QString>("line");

    QString b64;
    b64.reserve(5 * 1024 * 1024);
    const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    auto *rng = QRandomGenerator::global();
    for (int i = 0; i < 5 * 1024 * 1024; ++i)
        b64 += QLatin1Char(alphabet[rng->bounded(64)]);
    QTest::newRow("5 MB base64-looking token") << QStringLiteral("powershell -enc ") + b64;
    QTest::newRow("5 MB base64 token in a literal")
        << QStringLiteral("[Convert]::FromBase64String('") + b64 + QStringLiteral("')");
    QTest::newRow("200000-element char array") << QStringLiteral("-join [char[]](") +
                                                      repeat(QStringLiteral("65,"), 200000) +
                                                      QStringLiteral("66)");
    QTest::newRow("200000 char casts concatenated")
        << repeat(QStringLiteral("[char]65+"), 200000) + QStringLiteral("[char]66");
    QTest::newRow("200000-element char pipe") << QStringLiteral("((") +
                                                     repeat(QStringLiteral("72,"), 200000) +
                                                     QStringLiteral("73)|%{[char]$_}) -join ''");
    QString nested = QStringLiteral("Write-Output innermost");
    while (nested.size() < 2 * 1024 * 1024)
        nested = QStringLiteral("powershell -enc ") + utf16Base64(nested);
    QTest::newRow("-enc nested to 2 MB") << nested;
    QTest::newRow("100000 carets") << QStringLiteral("c") + repeat(QStringLiteral("^"), 100000) +
                                          QStringLiteral("md /c whoami");
    QTest::newRow("100000 escaped letters") << repeat(QStringLiteral("^a"), 100000);
    QString invalid = QStringLiteral("powershell -c \"");
    for (int i = 0; i < 100000; ++i)
        invalid += QChar(char16_t(i % 2 ? 0xD800 : 0xDFFF));
    invalid += QStringLiteral("\" iwr http://0x7f000001/");
    QTest::newRow("invalid UTF-16") << invalid;
    QTest::newRow("lone surrogates in -enc payload")
        << QStringLiteral("powershell -enc ") +
               QString::fromLatin1(QByteArray("\x00\xD8\x41\x00\x42\x00", 6).toBase64());
    QString nul = QStringLiteral("cmd /c whoami");
    nul += QChar(0);
    nul += QStringLiteral("& powershell -enc ") +
           utf16Base64(QStringLiteral("IEX ('a'+'b')") + QChar(0) + QStringLiteral("x"));
    QTest::newRow("NUL bytes") << nul;
    QTest::newRow("markup") << QStringLiteral(
        "cmd /c echo <script>alert('x')</script><b>bold</b>&lt;img src=x onerror=alert(1)&gt; \"</textarea>");
    QTest::newRow("1M open parentheses") << repeat(QStringLiteral("("), 1000000);
    QTest::newRow("1M double quotes") << repeat(QStringLiteral("\""), 1000000);
    QTest::newRow("unterminated quotes and concat") << repeat(QStringLiteral("'a'+\"b"), 200000);
    QTest::newRow("200000 format placeholders") << QStringLiteral("(\"") +
                                                       repeat(QStringLiteral("{0}"), 200000) +
                                                       QStringLiteral("\" -f 'ab')");
    QTest::newRow("200000 set variables")
        << QStringLiteral("cmd /c \"") + repeat(QStringLiteral("set a=b&&call %a%%a%&&"), 50000) +
               QStringLiteral("\"");
    QTest::newRow("100000 percent env substrings")
        << repeat(QStringLiteral("%COMSPEC:~-7,1%"), 100000);
    QTest::newRow("10 MB line of A") << repeat(QStringLiteral("A"), 10 * 1024 * 1024);
    QTest::newRow("100000 urls") << repeat(QStringLiteral("http://0x7f000001/ "), 100000);
    QTest::newRow("100000 backticks") << repeat(QStringLiteral("I`E`X "), 100000);
    QTest::newRow("empty") << QString();
}

void TestCmdlineHostile::hostile()
{
    QFETCH(QString, line);
    static const CommandLineAnalyzer analyzer;
    const AnalysisResult r = analyzer.analyze(line);
    QVERIFY(r.error.isEmpty());
    const Decoder::Limits limits;
    QVERIFY(r.layers.size() <= limits.maxLayers);
    qsizetype total = 0;
    for (const DecodeLayer &l : r.layers) {
        QVERIFY(l.text.size() <= limits.maxLayerChars);
        QVERIFY(l.start >= 0 && l.end >= l.start);
        total += l.text.size();
    }
    QVERIFY(total <= limits.maxTotalChars + limits.maxLayerChars);
    QVERIFY(r.indicators.size() <= 500 * (r.layers.size() + 1));
    for (const Finding &f : r.findings)
        QVERIFY(f.match.size() <= 201);
    const std::string json =
        toJson(r).dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
    // Output grows with the input (each layer is shown once), never beyond that.
    QVERIFY(qsizetype(json.size()) <= 6 * (line.size() + total) + 1024 * 1024);
    QVERIFY(r.score >= 0 && r.score <= 100);
}

void TestCmdlineHostile::tooLongIsAnError()
{
    const CommandLineAnalyzer analyzer;
    const QString huge(CommandLineAnalyzer::kMaxInputChars + 1, QLatin1Char('x'));
    const AnalysisResult r = analyzer.analyze(huge);
    QVERIFY(r.error.contains(QLatin1String("too long")));
    QVERIFY(r.commandLine.size() <= 4096);
    QVERIFY(toJson(r).contains("error"));
}

void TestCmdlineHostile::randomMutations()
{
    // Splices of obfuscation fragments: a cheap stand-in for the libFuzzer target that runs in CI.
    static const char *pieces[] = {"powershell",
                                   " -enc ",
                                   "VwByAGkAdABlAA==",
                                   "^",
                                   "`",
                                   "'a'+'b'",
                                   "[char]65",
                                   "[char[]](65,66",
                                   "%COMSPEC:~-7,3%",
                                   "set x=",
                                   "%x%",
                                   "\"{0}\" -f",
                                   "-replace ",
                                   "http://0x",
                                   "\\\\",
                                   "[.]",
                                   "hxxp://",
                                   "%41%42%43",
                                   "\\x41\\x42\\x43",
                                   "'",
                                   "\"",
                                   "(",
                                   ")",
                                   " ",
                                   "&&",
                                   "!x!",
                                   "[-1..-9]",
                                   "FromBase64String('",
                                   "H4sI"};
    const CommandLineAnalyzer analyzer;
    QRandomGenerator rng(42);
    for (int i = 0; i < 3000; ++i) {
        QString line;
        const int n = int(rng.bounded(1, 40));
        for (int k = 0; k < n; ++k)
            line += QString::fromUtf8(pieces[rng.bounded(int(sizeof pieces / sizeof *pieces))]);
        const AnalysisResult r = analyzer.analyze(line);
        QVERIFY(r.error.isEmpty());
        QVERIFY(!toJson(r).dump(-1, ' ', false, nlohmann::json::error_handler_t::strict).empty());
    }
}

QTEST_GUILESS_MAIN(TestCmdlineHostile)
#include "tst_cmdlinehostile.moc"
