// The fast field scanner for event lines against the DOM parser it stands in for: on every line
// of every shared event file and on hostile lines, a line the scanner accepts must read exactly
// as nlohmann reads it (same fields, same mapped event and processes), and a line nlohmann
// refuses must never be accepted.
#include "events/eventparser.h"
#include "events/flatevent.h"
#include "testutils.h"

#include <QDirIterator>
#include <QFile>
#include <QTest>

#include <random>

#include <nlohmann/json.hpp>

using namespace causa;
using namespace causa::events;

namespace {

QString describe(const ProcessRecord &p)
{
    return QStringList{p.key,
                       p.parentKey,
                       p.endpointKey,
                       p.imageName,
                       p.imagePath,
                       p.commandLine,
                       QString::number(p.pid),
                       QString::number(p.parentPid),
                       p.user,
                       QString::number(p.startedAt),
                       p.md5,
                       p.sha1,
                       p.sha256,
                       p.source}
        .join(QLatin1Char('|'));
}

QString describe(const ParsedEvent &pe)
{
    const EventRecord &e = pe.event;
    QString s = QStringList{e.key,      e.endpointKey,
                            e.hostName, e.processKey,
                            e.kind,     QString::number(e.eventCode),
                            e.channel,  QString::number(e.timestamp),
                            e.summary}
                    .join(QLatin1Char('|'));
    if (pe.hasProcess)
        s += QStringLiteral("\nprocess ") + describe(pe.process);
    if (pe.hasParent)
        s += QStringLiteral("\nparent ") + describe(pe.parent);
    return s;
}

// Fast: the scanner read it, same as the DOM; Slow: left to the DOM; Refused: both refused;
// Mismatch: the readers disagree (always a bug).
enum class Outcome
{
    Fast,
    Slow,
    Refused,
    Mismatch
};

// Runs both readers on a line; fails the test on any difference. Returns the path taken.
Outcome compareReaders(const QByteArray &line, FlatEvent::Nested nested = FlatEvent::Nested::Refuse)
{
    nlohmann::json obj;
    bool domOk = true;
    try {
        obj = nlohmann::json::parse(line.constData(), line.constData() + line.size());
    } catch (const nlohmann::json::exception &) {
        domOk = false;
    }
    FlatEvent scanned;
    const bool fast = scanned.scan(line.constData(), line.size(), nested);
    if (!domOk) {
        if (fast)
            qWarning("scanner accepted a line nlohmann refuses: %s", line.left(200).constData());
        return fast ? Outcome::Mismatch : Outcome::Refused;
    }
    if (!fast)
        return Outcome::Slow;
    FlatEvent loaded;
    if (!loaded.load(obj)) {
        qWarning("scanner accepted a non-object: %s", line.left(200).constData());
        return Outcome::Mismatch;
    }
    std::vector<std::string> keys;
    for (auto it = obj.begin(); it != obj.end(); ++it)
        keys.push_back(it.key());
    keys.push_back("NoSuchField");
    for (const std::string &k : keys) {
        if (scanned.text(k) != loaded.text(k) || scanned.view(k) != loaded.view(k) ||
            scanned.pidValue(k) != loaded.pidValue(k) || scanned.has(k) != loaded.has(k)) {
            qWarning("field %s differs: '%s' vs '%s'", k.c_str(), qPrintable(scanned.text(k)),
                     qPrintable(loaded.text(k)));
            return Outcome::Mismatch;
        }
    }
    EventParser a, b;
    ParsedEvent pa, pb;
    QString problemA, problemB;
    const bool okA = a.parse(scanned, line, pa, &problemA);
    const bool okB = b.parse(loaded, line, pb, &problemB);
    if (okA != okB || problemA != problemB || (okA && describe(pa) != describe(pb))) {
        qWarning("mapping differs:\n%s\n%s", qPrintable(describe(pa)), qPrintable(describe(pb)));
        return Outcome::Mismatch;
    }
    return Outcome::Fast;
}

} // namespace

class TestFlatEvent : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everySharedLine()
    {
        CAUSA_REQUIRE_SHARED_DATA(QStringLiteral("events"));
        QDirIterator it(test::sharedDataDir() + QStringLiteral("/events"),
                        {QStringLiteral("*.jsonl"), QStringLiteral("*.json")}, QDir::Files,
                        QDirIterator::Subdirectories);
        qint64 fast = 0, slow = 0, fastAsText = 0;
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            qint64 lineNo = 0;
            while (!f.atEnd()) {
                ++lineNo;
                QByteArray line = f.readLine();
                while (line.endsWith('\n') || line.endsWith('\r'))
                    line.chop(1);
                if (line.trimmed().isEmpty())
                    continue;
                const Outcome o = compareReaders(line);
                QVERIFY2(o == Outcome::Fast || o == Outcome::Slow,
                         qPrintable(QStringLiteral("%1:%2").arg(f.fileName()).arg(lineNo)));
                ++(o == Outcome::Fast ? fast : slow);
                const Outcome t = compareReaders(line, FlatEvent::Nested::AsText);
                QVERIFY2(t == Outcome::Fast || t == Outcome::Slow,
                         qPrintable(QStringLiteral("%1:%2").arg(f.fileName()).arg(lineNo)));
                fastAsText += t == Outcome::Fast ? 1 : 0;
            }
        }
        qInfo(
            "%lld lines read by the scanner (%lld with nested values as text), %lld by the DOM parser",
            fast, fastAsText, slow);
        QVERIFY(fast > 0 && fastAsText >= fast);
    }

    // Seeded mutations of the shared lines (cut, spliced JSON fragments, random bytes, NULs): the
    // scanner may leave any of them to the DOM parser but must never read one differently.
    // Under the asan preset this also runs the scanner under ASan/UBSan.
    void mutatedSharedLines()
    {
        CAUSA_REQUIRE_SHARED_DATA(QStringLiteral("events"));
        std::vector<QByteArray> seeds;
        QDirIterator it(test::sharedDataDir() + QStringLiteral("/events"),
                        {QStringLiteral("*.jsonl")}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            while (!f.atEnd()) {
                QByteArray line = f.readLine();
                while (line.endsWith('\n') || line.endsWith('\r'))
                    line.chop(1);
                if (!line.isEmpty())
                    seeds.push_back(line);
            }
        }
        QVERIFY(!seeds.empty());
        const QList<QByteArray> fragments = {"\\",
                                             "\"",
                                             "\\u",
                                             "\\ud83d",
                                             "\\ude00",
                                             "\\u00e9",
                                             "{",
                                             "}",
                                             "[",
                                             "]",
                                             ",",
                                             ":",
                                             "-0",
                                             "1.5",
                                             "1e3",
                                             "007",
                                             "null",
                                             "true",
                                             "\xff",
                                             "\xc3\xa9",
                                             "\xed\xa0\x80",
                                             "\xf0\x9f\x98\x80",
                                             QByteArray(1, '\0'),
                                             "\t",
                                             "12345678901234567890",
                                             "1234567890123456789",
                                             "18446744073709551616",
                                             "-9223372036854775809",
                                             "\"x\":1,"};
        std::mt19937_64 rng(20261128);
        qint64 fast = 0, slow = 0, refused = 0;
        for (int i = 0; i < 30000; ++i) {
            QByteArray line = seeds[rng() % seeds.size()];
            const int mutations = 1 + int(rng() % 4);
            for (int m = 0; m < mutations; ++m) {
                const qsizetype pos = line.isEmpty() ? 0 : qsizetype(rng() % quint64(line.size()));
                switch (rng() % 4) {
                case 0: line.remove(pos, qsizetype(1 + rng() % 3)); break;
                case 1:
                    line.insert(pos, fragments.at(qsizetype(rng() % quint64(fragments.size()))));
                    break;
                case 2:
                    if (!line.isEmpty())
                        line[pos] = char(rng() % 256);
                    break;
                default: line.truncate(pos); break;
                }
            }
            const Outcome o = compareReaders(line);
            QVERIFY2(o != Outcome::Mismatch, line.toHex().constData());
            QVERIFY2(compareReaders(line, FlatEvent::Nested::AsText) != Outcome::Mismatch,
                     line.toHex().constData());
            ++(o == Outcome::Fast ? fast : o == Outcome::Slow ? slow : refused);
        }
        qInfo("mutated lines: %lld read by the scanner, %lld left to the DOM, %lld refused by both",
              fast, slow, refused);
        QVERIFY(fast > 0 && refused > 0);
    }

    void hostile_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<int>("expected"); // Outcome

        const QByteArray head =
            "{\"EventID\": 1, \"Channel\": \"Microsoft-Windows-Sysmon/Operational\", "
            "\"Hostname\": \"H1\", \"UtcTime\": \"2024-01-01 10:00:00.000\", ";
        auto join = [](std::initializer_list<QByteArray> parts) {
            QByteArray r;
            for (const QByteArray &p : parts)
                r.append(p);
            return r;
        };
        auto withNul = [&](const char *a, const char *b) {
            return join({a, QByteArray(1, '\0'), b});
        };
        auto row = [&](const char *name, const QByteArray &line, Outcome o) {
            QTest::newRow(name) << line << int(o);
        };
        row("plain", head + "\"ProcessGuid\": \"{a}\", \"ProcessId\": 5}", Outcome::Fast);
        row("truncated in a key", head + "\"Proce", Outcome::Refused);
        row("truncated in a value", head + "\"Image\": \"C:\\\\x", Outcome::Refused);
        row("truncated after a colon", head + "\"Image\":", Outcome::Refused);
        row("truncated after a comma", head + "\"Image\": \"a\",", Outcome::Refused);
        row("NUL inside a string", head + withNul("\"Image\": \"a", "b\"}"), Outcome::Refused);
        row("NUL between fields", head + withNul("\"Image\": \"ab\"", "}"), Outcome::Refused);
        row("escapes",
            head +
                "\"CommandLine\": \"a \\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\\t end\", \"ProcessGuid\": \"{g}\"}",
            Outcome::Fast);
        row("escaped key", head + "\"Comm\\u0061ndLine\": \"x\"}", Outcome::Fast);
        row("bad escape", head + "\"CommandLine\": \"a \\q\"}", Outcome::Refused);
        row("unicode escapes",
            head + "\"Image\": \"C:\\\\j\\u00fcrgen\\\\\\u6587.exe\", \"ProcessGuid\": \"{u}\"}",
            Outcome::Fast);
        row("escaped NUL", head + "\"Image\": \"a\\u0000b\", \"ProcessGuid\": \"{u}\"}",
            Outcome::Fast);
        row("surrogate pair", head + "\"Image\": \"\\ud83d\\ude00.exe\", \"ProcessGuid\": \"{u}\"}",
            Outcome::Fast);
        row("lone high surrogate", head + "\"Image\": \"\\ud83d.exe\"}", Outcome::Refused);
        row("lone low surrogate", head + "\"Image\": \"\\ude00.exe\"}", Outcome::Refused);
        row("high surrogate then BMP escape", head + "\"Image\": \"\\ud83d\\u0041\"}",
            Outcome::Refused);
        row("short unicode escape", head + "\"Image\": \"\\u12\"}", Outcome::Refused);
        row("raw UTF-8",
            head +
                "\"Image\": \"C:\\\\\xd0\xbf\xd1\x80\xd0\xbe\xd0\xb3 \xf0\x9f\x98\x80.exe\", \"ProcessGuid\": \"{u}\"}",
            Outcome::Fast);
        row("invalid UTF-8 byte", head + "\"Image\": \"a\xff\"}", Outcome::Refused);
        row("overlong UTF-8", head + "\"Image\": \"a\xc0\xaf\"}", Outcome::Refused);
        row("UTF-8 surrogate", head + "\"Image\": \"a\xed\xa0\x80\"}", Outcome::Refused);
        row("truncated UTF-8", head + "\"Image\": \"a\xe6\x96\"}", Outcome::Refused);
        row("raw tab in a string", head + "\"Image\": \"a\tb\"}", Outcome::Refused);
        row("duplicated keys",
            head +
                "\"ProcessGuid\": \"{first}\", \"Image\": \"x.exe\", \"ProcessGuid\": \"{last}\"}",
            Outcome::Fast);
        row("duplicate set to null", head + "\"ProcessGuid\": \"{first}\", \"ProcessGuid\": null}",
            Outcome::Fast);
        row("nested object", head + "\"ProcessGuid\": {\"a\": 1}}", Outcome::Slow);
        row("nested array", head + "\"Hashes\": [\"MD5=1\"]}", Outcome::Slow);
        row("number where a string is expected",
            head + "\"ProcessGuid\": 123, \"Image\": 42, \"ProcessId\": \"0x10\"}", Outcome::Fast);
        row("string EventID",
            "{\"EventID\": \"13\", \"Channel\": \"Microsoft-Windows-Sysmon/Operational\", \"Hostname\": \"H\"}",
            Outcome::Fast);
        row("negative pid", head + "\"ProcessId\": -7}", Outcome::Fast);
        row("negative zero", head + "\"ProcessId\": -0}", Outcome::Slow);
        row("leading zero", head + "\"ProcessId\": 007}", Outcome::Refused);
        row("float", head + "\"ProcessId\": 1.5}", Outcome::Slow);
        row("exponent", head + "\"ProcessId\": 1e3}", Outcome::Slow);
        row("18 digits", head + "\"ProcessId\": 123456789012345678}", Outcome::Fast);
        row("19 digits", head + "\"ProcessId\": 1234567890123456789}", Outcome::Fast);
        row("int64 max + 1", head + "\"ProcessId\": 9223372036854775808}", Outcome::Fast);
        row("uint64 max", head + "\"ProcessId\": 18446744073709551615}", Outcome::Fast);
        row("uint64 max + 1", head + "\"ProcessId\": 18446744073709551616}", Outcome::Slow);
        row("21 digits", head + "\"ProcessId\": 123456789012345678901}", Outcome::Slow);
        row("int64 min", head + "\"Keywords\": -9223372036854775808}", Outcome::Fast);
        row("int64 min - 1", head + "\"Keywords\": -9223372036854775809}", Outcome::Slow);
        row("negative 19 digits", head + "\"Keywords\": -9214364837600034816}", Outcome::Fast);
        row("booleans and null", head + "\"Initiated\": true, \"IsIpv6\": false, \"Image\": null}",
            Outcome::Fast);
        row("bare word", head + "\"Image\": nope}", Outcome::Refused);
        row("trailing garbage", head + "\"Image\": \"a\"} x", Outcome::Refused);
        row("trailing spaces", head + "\"Image\": \"a\"}  \r", Outcome::Fast);
        row("two objects", head + "\"Image\": \"a\"}{}", Outcome::Refused);
        row("missing comma", head + "\"Image\": \"a\" \"User\": \"b\"}", Outcome::Refused);
        row("trailing comma", head + "\"Image\": \"a\",}", Outcome::Refused);
        row("single quotes", head + "'Image': 'a'}", Outcome::Refused);
        row("empty object", "{}", Outcome::Fast);
        row("array", "[1, 2]", Outcome::Slow);
        row("string", "\"x\"", Outcome::Slow);
        row("10 MB value",
            join({head, "\"CommandLine\": \"", QByteArray(10 * 1024 * 1024, 'A'), "\"}"}),
            Outcome::Fast);
        row("10 MB value with escapes",
            join({head, "\"CommandLine\": \"", QByteArray(5 * 1024 * 1024, 'A'), "\\u00e9\\\\",
                  QByteArray(5 * 1024 * 1024, 'B'), "\"}"}),
            Outcome::Fast);
        row("10 MB truncated",
            join({head, "\"CommandLine\": \"", QByteArray(10 * 1024 * 1024, 'A')}),
            Outcome::Refused);
    }

    void hostile()
    {
        QFETCH(QByteArray, line);
        QFETCH(int, expected);
        QCOMPARE(int(compareReaders(line)), expected);
        // Reading nested values as text changes nothing for the other lines.
        const Outcome asText = compareReaders(line, FlatEvent::Nested::AsText);
        QVERIFY(asText != Outcome::Mismatch);
        if (expected != int(Outcome::Slow))
            QCOMPARE(int(asText), expected);
    }

    // Nested values read as text (the Sigma matcher's mode): the same text as the DOM's dump.
    void nestedAsText_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<int>("expected"); // Outcome with Nested::AsText

        const QByteArray head = "{\"EventID\": 4624, \"Channel\": \"Security\", ";
        auto row = [&](const char *name, const QByteArray &line, Outcome o) {
            QTest::newRow(name) << line << int(o);
        };
        row("tags list",
            head + "\"tags\": [\"mordor\", \"lateral\"], \"Keywords\": -9214364837600034816}",
            Outcome::Fast);
        row("spaced and escaped",
            head + "\"tags\": [ \"a\\\"]b\" , \"\\u00e9\", {\"k\" : [1, 2.50, null, true]} ]}",
            Outcome::Fast);
        row("object", head + "\"Data\": {\"b\": 1, \"a\": \"}\"}, \"Image\": \"x\"}",
            Outcome::Fast);
        row("empty array and object", head + "\"A\": [], \"B\": {}}", Outcome::Fast);
        row("deep", head + "\"A\": [[[[[[[[[[1]]]]]]]]]]}", Outcome::Fast);
        row("unclosed", head + "\"A\": [1, [2]}", Outcome::Refused);
        row("mismatched brackets", head + "\"A\": [1, 2}}", Outcome::Refused);
        row("bad inside", head + "\"A\": [nope]}", Outcome::Refused);
        row("escape at the end", head + "\"A\": [\"\\", Outcome::Refused);
        row("trailing garbage", head + "\"A\": [1]} x", Outcome::Refused);
        row("float in a list", head + "\"A\": [1.50, -0, 2E3]}", Outcome::Fast);
        row("float out of range", head + "\"A\": [1e400]}", Outcome::Refused);
    }

    void nestedAsText()
    {
        QFETCH(QByteArray, line);
        QFETCH(int, expected);
        QCOMPARE(int(compareReaders(line, FlatEvent::Nested::AsText)), expected);
        QCOMPARE(int(compareReaders(line)),
                 expected == int(Outcome::Fast) ? int(Outcome::Slow) : expected);
    }

    // Values the scanner decodes itself, checked against literal expectations (not only
    // against nlohmann), and the last of repeated keys wins.
    void decodedValues()
    {
        const QByteArray line =
            "{\"A\": \"x\\u00e9\\ud83d\\ude00\\\"\\\\\", \"B\": 12, \"B\": \"0x1f\", "
            "\"C\": true, \"D\": null, \"E\": -3}";
        FlatEvent f;
        QVERIFY(f.scan(line.constData(), line.size()));
        QCOMPARE(f.text("A"), QString::fromUtf8("x\xc3\xa9\xf0\x9f\x98\x80\"\\"));
        QCOMPARE(f.pidValue("B"), qint64(31));
        QCOMPARE(f.text("C"), QStringLiteral("true"));
        QCOMPARE(f.pidValue("C"), qint64(-1));
        QVERIFY(!f.has("D"));
        QCOMPARE(f.text("E"), QStringLiteral("-3"));
        QCOMPARE(f.pidValue("E"), qint64(-3));
        QVERIFY(f.view("E").empty());
        const QByteArray big =
            "{\"K\": -9214364837600034816, \"U\": 18446744073709551615, \"T\": [\"a\", 1]}";
        QVERIFY(!f.scan(big.constData(), big.size()));
        QVERIFY(f.scan(big.constData(), big.size(), FlatEvent::Nested::AsText));
        QCOMPARE(f.text("K"), QStringLiteral("-9214364837600034816"));
        QCOMPARE(f.pidValue("K"), qint64(-9214364837600034816LL));
        QCOMPARE(f.text("U"), QStringLiteral("18446744073709551615"));
        QCOMPARE(f.text("T"), QStringLiteral("[\"a\",1]"));
    }

    // Strings are read sixteen and eight bytes a step until a byte that needs care: every kind
    // of such byte at every position of strings of every length up to 70 (both step widths and
    // the byte tail) reads as nlohmann reads it, and a raw control byte is refused anywhere.
    void stopByteAtEveryPosition()
    {
        const std::pair<std::string, std::string> kinds[] = {
            {"\\\"", "\""},           {"\\\\", "\\"},   {"\\u0001", "\x01"}, {"\\n", "\n"},
            {"\xc3\xa9", "\xc3\xa9"}, {"\x7f", "\x7f"}, {"\x01", ""}};
        FlatEvent f;
        int checked = 0;
        for (int n = 0; n <= 70; ++n)
            for (int at = 0; at <= n; ++at)
                for (const auto &[written, meant] : kinds) {
                    std::string plain;
                    for (int i = 0; i < n; ++i)
                        plain += char('A' + i % 26);
                    const std::string value =
                        plain.substr(0, size_t(at)) + written + plain.substr(size_t(at));
                    const std::string line = "{\"K\": \"" + value + "\", \"Z\": 1}";
                    const auto j = nlohmann::json::parse(line, nullptr, false);
                    const bool ok = f.scan(line.data(), qsizetype(line.size()));
                    QCOMPARE(ok, !j.is_discarded());
                    if (!ok)
                        continue;
                    const std::string expected =
                        plain.substr(0, size_t(at)) + meant + plain.substr(size_t(at));
                    QCOMPARE(j["K"].get<std::string>(), expected);
                    QCOMPARE(std::string(f.textBytes("K")), expected);
                    QCOMPARE(f.pidValue("Z"), qint64(1));
                    ++checked;
                }
        QCOMPARE(checked, 6 * (71 * 72 / 2));
    }
};

QTEST_GUILESS_MAIN(TestFlatEvent)
#include "tst_flatevent.moc"
