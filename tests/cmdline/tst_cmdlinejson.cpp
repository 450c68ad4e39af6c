// The direct JSON writer (analysisjson.h) against the DOM it replaces on the --jsonl path: the
// text must be byte for byte toJson(result).dump(-1, ' ', false, replace), for every corpus line
// and for hostile ones (NUL, markup, invalid UTF-8, lone surrogates, a 10 MB line, errors).
#include "cmdline/analysisjson.h"
#include "cmdline/commandlineanalyzer.h"
#include "cmdlinetestdata.h"
#include "testutils.h"

#include <QFile>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace causa;

namespace {

std::string domText(const AnalysisResult &r, qint64 line)
{
    nlohmann::json j = toJson(r);
    if (line >= 0)
        j["line"] = line;
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string directText(const AnalysisResult &r, qint64 line)
{
    std::string s;
    appendAnalysisJson(&s, r, line);
    return s;
}

QStringList corpusLines()
{
    QStringList out;
    for (const char *name : {"benign.jsonl", "malicious.jsonl"}) {
        QFile f(test::fixturesDir() + QStringLiteral("/cmdline/") + QLatin1String(name));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        while (!f.atEnd()) {
            const QByteArray raw = f.readLine().trimmed();
            const auto j = nlohmann::json::parse(raw.constData(), raw.constData() + raw.size(),
                                                 nullptr, false);
            if (j.is_object() && j.contains("line") && j["line"].is_string())
                out << QString::fromStdString(j["line"].get<std::string>());
        }
    }
    return out;
}

} // namespace

class TestCmdlineJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void jsonTextMatchesDocument_data();
    void jsonTextMatchesDocument();
    void corporaMatchDocument();
    void errorsMatchDocument();
    void stopCharacterAtEveryOffset();
};

void TestCmdlineJson::jsonTextMatchesDocument_data()
{
    QTest::addColumn<QString>("line");
    using test::utf16Base64;
    QTest::newRow("empty") << QString();
    QTest::newRow("plain") << QStringLiteral("cmd /c whoami /all");
    QString nul = QStringLiteral("cmd /c whoami");
    nul += QChar(0);
    nul += QStringLiteral("& powershell -enc ") +
           utf16Base64(QStringLiteral("IEX ('a'+'b')") + QChar(0) + QStringLiteral("x"));
    QTest::newRow("NUL bytes") << nul;
    QString controls;
    for (char16_t c = 1; c < 0x20; ++c)
        controls += QChar(c);
    QTest::newRow("every control character")
        << QStringLiteral("echo \"") + controls + QChar(0x7F) + QStringLiteral("\\\"");
    QTest::newRow("markup") << QStringLiteral(
        "cmd /c echo <script>alert('x')</script>&lt;img src=x onerror=alert(1)&gt; \"</textarea>");
    QTest::newRow("invalid UTF-8") << QString::fromUtf8(
        QByteArray("powershell -c \"\xC3\x28 \xFF\xFE \xE2\x82 iwr http://0x7f000001/\""));
    QTest::newRow("non-ASCII text")
        << QStringLiteral(u"powershell –enc ") +
               utf16Base64(QStringLiteral(u"Write-Host 'é€𝄞 ‘quoted’'"));
    QString lone = QStringLiteral("powershell -c \"");
    for (int i = 0; i < 100; ++i)
        lone += QChar(char16_t(i % 2 ? 0xD800 : 0xDFFF));
    QTest::newRow("lone surrogates") << lone + QStringLiteral("\" iwr http://0x7f000001/");
    QTest::newRow("lone surrogates in -enc payload")
        << QStringLiteral("powershell -enc ") +
               QString::fromLatin1(QByteArray("\x00\xD8\x41\x00\x42\x00", 6).toBase64());
    QTest::newRow("10 MB line") << QStringLiteral("A").repeated(10 * 1024 * 1024);
    QTest::newRow("char codes and format") << QStringLiteral(
        "powershell \"IEX ((\\\"{1}{0}\\\" -f 'ng','Stri')+[char]65+[char]66)\" -replace 'x','y'");
}

void TestCmdlineJson::jsonTextMatchesDocument()
{
    QFETCH(QString, line);
    const AnalysisResult r = sharedCommandLineAnalyzer().analyze(line);
    QVERIFY(directText(r, -1) == domText(r, -1));
    QVERIFY(directText(r, 12345) == domText(r, 12345));
}

void TestCmdlineJson::corporaMatchDocument()
{
    const QStringList lines = corpusLines();
    QVERIFY(lines.size() >= 450);
    qint64 n = 0;
    for (const QString &line : lines) {
        const AnalysisResult r = sharedCommandLineAnalyzer().analyze(line);
        const std::string direct = directText(r, ++n);
        const std::string dom = domText(r, n);
        QVERIFY2(direct == dom,
                 qPrintable(line + QStringLiteral("\n") + QString::fromStdString(direct) +
                            QStringLiteral("\n") + QString::fromStdString(dom)));
    }
}

void TestCmdlineJson::errorsMatchDocument()
{
    const CommandLineAnalyzer analyzer;
    const AnalysisResult tooLong =
        analyzer.analyze(QString(CommandLineAnalyzer::kMaxInputChars + 1, QLatin1Char('x')));
    QVERIFY(!tooLong.error.isEmpty());
    QVERIFY(directText(tooLong, 7) == domText(tooLong, 7));
    std::string s;
    appendErrorJson(&s, QString(), QStringLiteral("line 3: not valid JSON"), 3);
    nlohmann::json j = errorJson(QString(), QStringLiteral("line 3: not valid JSON"));
    j["line"] = 3;
    QVERIFY(s == j.dump());
}

// Strings are written eight plain characters a step: a character that needs escaping or more
// than one byte, at every offset of that step and its neighbours, must come out as the DOM
// writes it.
void TestCmdlineJson::stopCharacterAtEveryOffset()
{
    const QList<QString> stops = {
        QStringLiteral("\""),   QStringLiteral("\\"),   QString(QChar(0)),
        QString(QChar(0x1F)),   QString(QChar(0x7F)),   QString(QChar(0x80)),
        QString(QChar(0x7FF)),  QString(QChar(0x800)),  QString(QChar(0x7FFF)),
        QString(QChar(0x8000)), QString(QChar(0xFFFF)), QStringLiteral(u"\U0001D11E"),
        QString(QChar(0xD800)), QStringLiteral("<")};
    int checked = 0;
    for (const QString &stop : stops) {
        for (int before = 0; before <= 18; ++before) {
            for (int after : {0, 1, 7, 8, 9, 17}) {
                AnalysisResult r;
                r.commandLine = QString(before, QLatin1Char('a')) + stop +
                                QString(after, QLatin1Char('b')) + stop;
                r.decoded = r.commandLine;
                QVERIFY2(directText(r, -1) == domText(r, -1),
                         qPrintable(QStringLiteral("stop U+%1 after %2, %3 after it")
                                        .arg(stop[0].unicode(), 4, 16, QLatin1Char('0'))
                                        .arg(before)
                                        .arg(after)));
                ++checked;
            }
        }
    }
    QCOMPARE(checked, 14 * 19 * 6);
}

QTEST_GUILESS_MAIN(TestCmdlineJson)
#include "tst_cmdlinejson.moc"
