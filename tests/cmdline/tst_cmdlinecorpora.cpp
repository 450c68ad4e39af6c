// Real third-party corpora from ../shared/data (skipped when absent). Each test prints its rate
// with qInfo so it can be quoted, and asserts the minimum this implementation reaches.
#include "cmdline/commandlineanalyzer.h"
#include "core/jsonutil.h"
#include "testutils.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace causa;

namespace {

const CommandLineAnalyzer &analyzer()
{
    static const CommandLineAnalyzer a;
    return a;
}

QList<nlohmann::json> readJsonLines(const QString &path)
{
    QList<nlohmann::json> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().trimmed();
        if (line.isEmpty())
            continue;
        auto j =
            nlohmann::json::parse(line.constData(), line.constData() + line.size(), nullptr, false);
        if (!j.is_discarded())
            out.push_back(std::move(j));
    }
    return out;
}

// Unit 42's recorded payloads split non-ASCII UTF-16 units into their two bytes (U+201D "”"
// is recorded as "\x1d "); map ours the same way before comparing.
QString asRecorded(const QString &decoded)
{
    QString out;
    out.reserve(decoded.size());
    for (QChar c : decoded) {
        if (c.unicode() >= 0x100 && (c.unicode() >> 8) < 0x80) {
            out += QChar(char16_t(c.unicode() & 0xFF));
            out += QChar(char16_t(c.unicode() >> 8));
        } else {
            out += c;
        }
    }
    return out;
}

QString data(const QString &rel)
{
    return test::sharedDataDir() + QLatin1Char('/') + rel;
}

bool isObfuscationFinding(const Finding &f)
{
    static const QStringList c = {QStringLiteral("string_obfuscation"),
                                  QStringLiteral("reversed_string"),
                                  QStringLiteral("base64"),
                                  QStringLiteral("double_encoding"),
                                  QStringLiteral("compressed_payload"),
                                  QStringLiteral("mixed_case_powershell"),
                                  QStringLiteral("obfuscated_ip")};
    return c.contains(f.category);
}

QString fill(QString cmd)
{
    // LOLBAS placeholders, filled the way an attacker would: a remote URL, a dropped file in a
    // user-writable folder, a share, a payload command.
    static const std::pair<const char *, const char *> values[] = {
        {"{REMOTEURL}", "http://203.0.113.50/payload"},
        {"{PATH_ABSOLUTE}", "C:\\Users\\Public\\payload"},
        {"{PATH_SMB}", "\\\\203.0.113.50\\share\\payload"},
        {"{PATH}", "C:\\Users\\Public\\payload"},
        {"{CMD}", "calc.exe"},
        {"{PID}", "4242"},
        {"{LSASS_PID}", "624"},
        {"{GUID}", "{00000000-0000-0000-0000-000000000001}"},
        {"{CLSID}", "{00000000-0000-0000-0000-000000000002}"},
    };
    // {REMOTEURL:.sct} -> http://.../payload.sct
    for (const auto &[key, value] : values) {
        const QString k = QString::fromLatin1(key);
        const QString stem = k.left(k.size() - 1);
        qsizetype at;
        while ((at = cmd.indexOf(stem)) >= 0) {
            const qsizetype close = cmd.indexOf(QLatin1Char('}'), at);
            if (close < 0)
                break;
            QString ext;
            const QString inner = cmd.mid(at + stem.size(), close - at - stem.size());
            if (inner.startsWith(QLatin1Char(':')))
                ext = inner.mid(1);
            else if (!inner.isEmpty())
                break; // a different placeholder sharing the prefix
            cmd.replace(at, close - at + 1, QString::fromLatin1(value) + ext);
        }
    }
    return cmd;
}

} // namespace

class TestCmdlineCorpora : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void unit42EncodedCommands();
    void invokeDosfuscation();
    void revokeObfuscationBlocks();
    void lolbasExamples();
    void eventLogCommandLines();
};

void TestCmdlineCorpora::unit42EncodedCommands()
{
    CAUSA_REQUIRE_SHARED_DATA(QStringLiteral("powershell/unit42_psencmds_sample.jsonl"));
    const auto records =
        readJsonLines(data(QStringLiteral("powershell/unit42_psencmds_sample.jsonl")));
    QVERIFY(records.size() > 100);
    int matched = 0;
    int flagged = 0;
    int malicious = 0;
    int xsoarHigh = 0;
    QStringList misses;
    for (const auto &rec : records) {
        const QString line = js::str(rec, "command_line");
        const QString expected = js::str(rec, "b64_decoded");
        const AnalysisResult r = analyzer().analyze(line);
        QVERIFY(r.error.isEmpty());
        bool ok = false;
        for (const DecodeLayer &l : r.layers) {
            if (l.transform.startsWith(QLatin1String("base64")) &&
                (l.text == expected || asRecorded(l.text).trimmed() == expected.trimmed())) {
                ok = true;
                break;
            }
        }
        matched += ok;
        if (!ok && misses.size() < 5)
            misses << QString::number(js::int64(rec, "source_record_index"));
        flagged += r.verdict != QLatin1String("benign");
        malicious += r.verdict == QLatin1String("malicious");
        xsoarHigh += r.xsoarScore > 50;
    }
    const int n = int(records.size());
    qInfo(
        "Unit 42 -EncodedCommand: decoded payload matches %d/%d (%.1f%%); verdict malicious %d/%d "
        "(%.1f%%), not benign %d/%d; XSOAR-parity High or above %d/%d. First misses: %s",
        matched, n, 100.0 * matched / n, malicious, n, 100.0 * malicious / n, flagged, n, xsoarHigh,
        n, qPrintable(misses.join(QLatin1Char(','))));
    QVERIFY(matched * 100 >= n * 95);
    QVERIFY(flagged * 100 >= n * 95);
}

void TestCmdlineCorpora::invokeDosfuscation()
{
    CAUSA_REQUIRE_SHARED_DATA(QStringLiteral("powershell/invoke_dosfuscation_sample.jsonl"));
    const auto records =
        readJsonLines(data(QStringLiteral("powershell/invoke_dosfuscation_sample.jsonl")));
    QVERIFY(records.size() >= 100);
    int obfuscated = 0;
    int notBenign = 0;
    int recovered = 0;
    QMap<QString, QPair<int, int>> perTechnique;
    QStringList misses;
    static const char *commands[] = {"net user", "netstat",  "dir c:\\", "ipconfig",
                                     "whoami",   "tasklist", "echo "};
    for (const auto &rec : records) {
        const QString line = js::str(rec, "command_line");
        const AnalysisResult r = analyzer().analyze(line);
        bool flagged = false;
        for (const Finding &f : r.findings)
            flagged = flagged || isObfuscationFinding(f);
        obfuscated += flagged;
        notBenign += r.verdict != QLatin1String("benign");
        auto &t = perTechnique[js::str(rec, "technique")];
        t.first += flagged;
        ++t.second;
        if (!flagged && misses.size() < 3)
            misses << line.left(120);
        const QString decoded = r.decoded.toLower();
        bool rec_ = false;
        for (const char *c : commands)
            rec_ = rec_ || (decoded.contains(QLatin1String(c)) &&
                            !line.toLower().contains(QLatin1String(c)));
        recovered += rec_;
    }
    const int n = int(records.size());
    QStringList parts;
    for (auto it = perTechnique.begin(); it != perTechnique.end(); ++it)
        parts << QStringLiteral("%1 %2/%3").arg(it.key()).arg(it->first).arg(it->second);
    qInfo(
        "Invoke-DOSfuscation: flagged obfuscated %d/%d (%s); verdict not benign %d/%d; plain command "
        "recovered (net user/netstat/dir/... visible only after decoding) %d/%d",
        obfuscated, n, qPrintable(parts.join(QStringLiteral(", "))), notBenign, n, recovered, n);
    for (const QString &m : misses)
        qInfo("  not flagged: %s", qPrintable(m));
    QCOMPARE(obfuscated, n);
}

void TestCmdlineCorpora::revokeObfuscationBlocks()
{
    CAUSA_REQUIRE_SHARED_DATA(QStringLiteral("powershell/revoke_obfuscation_demo_4104.jsonl"));
    const auto records =
        readJsonLines(data(QStringLiteral("powershell/revoke_obfuscation_demo_4104.jsonl")));
    QVERIFY(records.size() >= 30);
    // Recorded payloads: a "final decoded payload of blocks a/b" record names the blocks it
    // came from; backtick blocks record their cradle with the ticks removed.
    QMap<int, QString> expected;
    for (int i = 0; i < records.size(); ++i) {
        const QString note = js::str(records[i], "curated_note");
        const qsizetype at = note.indexOf(QLatin1String("payload of blocks "));
        if (at >= 0) {
            for (const QString &b : note.mid(at + 18).split(QLatin1Char('/')))
                expected.insert(b.toInt(), js::str(records[i], "ScriptBlockText"));
        }
        if (note.startsWith(QLatin1String("backtick")))
            expected.insert(
                i, js::str(records[i], "ScriptBlockText").remove(QLatin1Char('`')).trimmed());
    }
    // A block that is a strict part of another obfuscated block with the same recorded payload
    // (block 26 is the whitespace decoder of block 25 without its data) cannot decode to that
    // payload: the data is not in it. It is reported apart, and must not "decode" to it.
    auto decoderOnly = [&](int i) {
        const QString text = js::str(records[i], "ScriptBlockText").trimmed();
        for (int j = 0; j < records.size(); ++j) {
            if (j != i && js::str(records[j], "curated_label") == QLatin1String("obfuscated") &&
                expected.value(j) == expected.value(i) &&
                js::str(records[j], "ScriptBlockText").size() > text.size() &&
                js::str(records[j], "ScriptBlockText").contains(text))
                return true;
        }
        return false;
    };
    // "produced when block N runs": the script block PowerShell logged for the next stage.
    QMap<int, QString> nextStage;
    for (int i = 0; i < records.size(); ++i) {
        const QString note = js::str(records[i], "curated_note");
        const qsizetype at = note.indexOf(QLatin1String("produced when block "));
        if (at >= 0)
            nextStage.insert(note.mid(at + 20).section(QLatin1Char(' '), 0, 0).toInt(),
                             js::str(records[i], "ScriptBlockText"));
    }
    int obfuscatedBlocks = 0;
    int flagged = 0;
    int decodedOk = 0;
    int withPayload = 0;
    int stagesOk = 0;
    QStringList notDecoded;
    QStringList unreachable;
    for (int i = 0; i < records.size(); ++i) {
        if (js::str(records[i], "curated_label") != QLatin1String("obfuscated"))
            continue;
        ++obfuscatedBlocks;
        const AnalysisResult r = analyzer().analyze(js::str(records[i], "ScriptBlockText"));
        bool f = false;
        for (const Finding &x : r.findings)
            f = f || isObfuscationFinding(x);
        flagged += f;
        if (nextStage.contains(i)) {
            bool same = false;
            for (const DecodeLayer &l : r.layers)
                same = same || l.text.trimmed() == nextStage.value(i).trimmed();
            stagesOk += same;
            QVERIFY2(same,
                     qPrintable(QStringLiteral("block %1 does not reproduce its logged next stage; "
                                               "layers: %2; expected %3 chars")
                                    .arg(i)
                                    .arg(r.layers.isEmpty()
                                             ? QString()
                                             : r.layers.first().transform + QLatin1Char(' ') +
                                                   QString::number(r.layers.first().text.size()))
                                    .arg(nextStage.value(i).size())));
        }
        if (!expected.contains(i))
            continue;
        const bool got = r.decoded.contains(expected.value(i).trimmed());
        if (decoderOnly(i)) {
            unreachable << QString::number(i);
            QVERIFY2(!got, "a decoder without its data cannot yield the payload");
            continue;
        }
        ++withPayload;
        if (got)
            ++decodedOk;
        else
            notDecoded << QString::number(i);
    }
    qInfo(
        "Revoke-Obfuscation 4104 blocks: %d obfuscated blocks, %d flagged as obfuscated; decoded to the "
        "recorded payload %d/%d (not decoded: blocks %s); %d/%d special-character stages reproduce the "
        "logged next script block; payload unreachable (decoder only, data in another block): blocks %s",
        obfuscatedBlocks, flagged, decodedOk, withPayload,
        qPrintable(notDecoded.join(QLatin1Char(','))), stagesOk, int(nextStage.size()),
        qPrintable(unreachable.join(QLatin1Char(','))));
    // Two backtick cradles, the [CHar] concatenation, special-character-only and whitespace.
    QCOMPARE(decodedOk, withPayload);
    QVERIFY(decodedOk >= 5);
    QCOMPARE(flagged, obfuscatedBlocks);
}

void TestCmdlineCorpora::lolbasExamples()
{
    CAUSA_REQUIRE_SHARED_DATA(QStringLiteral("lolbas/lolbas_commands.json"));
    QFile f(data(QStringLiteral("lolbas/lolbas_commands.json")));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const auto commands = nlohmann::json::parse(f.readAll().toStdString());
    int total = 0;
    int abuse = 0;
    int named = 0;
    int notBenign = 0;
    QMap<QString, QPair<int, int>> perCategory;
    QStringList misses;
    for (const auto &c : commands) {
        const QString cmd = fill(js::str(c, "command"));
        const AnalysisResult r = analyzer().analyze(cmd);
        QVERIFY(r.error.isEmpty());
        ++total;
        const bool hit = r.flags.suspiciousLolbinExecution;
        abuse += hit;
        named += !r.lolbins.isEmpty();
        notBenign += r.verdict != QLatin1String("benign");
        auto &p = perCategory[js::str(c, "category")];
        p.first += hit;
        ++p.second;
        if (!hit && misses.size() < 10)
            misses << cmd.left(140);
    }
    QStringList parts;
    for (auto it = perCategory.begin(); it != perCategory.end(); ++it)
        parts << QStringLiteral("%1 %2/%3").arg(it.key()).arg(it->first).arg(it->second);
    qInfo(
        "LOLBAS examples (placeholders filled): SuspiciousLolbinExecution %d/%d (%.1f%%), binary named "
        "by the catalogue %d/%d, verdict not benign %d/%d. Per category: %s",
        abuse, total, 100.0 * abuse / total, named, total, notBenign, total,
        qPrintable(parts.join(QStringLiteral(", "))));
    for (const QString &m : misses)
        qInfo("  missed: %s", qPrintable(m));
    QVERIFY(abuse * 100 >= total * 75);
    QVERIFY(named * 100 >= total * 90);
}

void TestCmdlineCorpora::eventLogCommandLines()
{
    CAUSA_REQUIRE_SHARED_DATA(QStringLiteral("events"));
    int lines = 0;
    int decoded = 0;
    QMap<QString, int> verdicts;
    const QStringList folders = {QStringLiteral("events/otrf-security-datasets"),
                                 QStringLiteral("events/evtx-to-mitre-attack"),
                                 QStringLiteral("events/evtx-attack-samples")};
    QSet<QString> seen;
    for (const QString &folder : folders) {
        const QDir dir(data(folder));
        for (const QString &file :
             dir.entryList({QStringLiteral("*.jsonl"), QStringLiteral("*.json")}, QDir::Files)) {
            for (const auto &ev : readJsonLines(dir.filePath(file))) {
                for (const char *key : {"CommandLine", "ParentCommandLine", "ImagePath",
                                        "ServiceFileName", "ProcessCommandLine"}) {
                    const QString line = js::str(ev, key);
                    if (line.isEmpty() || seen.contains(line))
                        continue;
                    seen.insert(line);
                    const AnalysisResult r = analyzer().analyze(line);
                    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
                    QVERIFY(!toJson(r).dump().empty());
                    ++lines;
                    decoded += !r.layers.isEmpty();
                    ++verdicts[r.verdict];
                }
            }
        }
    }
    qInfo(
        "Event-log command lines: %d distinct analysed without error; %d had decoded layers; verdicts: "
        "benign %d, suspicious %d, malicious %d",
        lines, decoded, verdicts.value(QStringLiteral("benign")),
        verdicts.value(QStringLiteral("suspicious")), verdicts.value(QStringLiteral("malicious")));
    QVERIFY(lines > 50);
}

QTEST_GUILESS_MAIN(TestCmdlineCorpora)
#include "tst_cmdlinecorpora.moc"
