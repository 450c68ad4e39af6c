// ZIP import: datasets shipped zipped import like the files inside them — one transaction for
// the whole archive, members named in every problem, damaged or hostile archives refused whole.
#include "eventtestutil.h"
#include "import/ziparchive.h"

#include <QTemporaryDir>

#include <zlib.h>

using namespace causa;

namespace {

// A minimal ZIP writer for the tests: stored or raw-deflated members, optional lies in headers.
struct ZipEntry
{
    QByteArray name;
    QByteArray data;
    bool deflate = true;
    quint16 flags = 0;
    qint64 declaredSize = -1; // -1: the true size
    bool badCrc = false;
};

void put16(QByteArray &b, quint16 v)
{
    b.append(char(v & 0xFF)).append(char(v >> 8));
}

void put32(QByteArray &b, quint32 v)
{
    put16(b, quint16(v & 0xFFFF));
    put16(b, quint16(v >> 16));
}

QByteArray rawDeflate(const QByteArray &in)
{
    z_stream z{};
    deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(int(deflateBound(&z, uLong(in.size()))), Qt::Uninitialized);
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.constData()));
    z.avail_in = uInt(in.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = uInt(out.size());
    deflate(&z, Z_FINISH);
    out.resize(int(z.total_out));
    deflateEnd(&z);
    return out;
}

QByteArray makeZip(const QList<ZipEntry> &entries)
{
    QByteArray file;
    QByteArray dir;
    for (const ZipEntry &e : entries) {
        const QByteArray body = e.deflate ? rawDeflate(e.data) : e.data;
        quint32 crc = quint32(
            crc32(0, reinterpret_cast<const Bytef *>(e.data.constData()), uInt(e.data.size())));
        if (e.badCrc)
            crc ^= 0x5A5A5A5A;
        const quint32 size = quint32(e.declaredSize < 0 ? e.data.size() : e.declaredSize);
        const quint32 offset = quint32(file.size());
        put32(file, 0x04034b50);
        put16(file, 20);
        put16(file, e.flags);
        put16(file, e.deflate ? 8 : 0);
        put32(file, 0); // time, date
        put32(file, crc);
        put32(file, quint32(body.size()));
        put32(file, size);
        put16(file, quint16(e.name.size()));
        put16(file, 0);
        file += e.name + body;

        put32(dir, 0x02014b50);
        put16(dir, 20);
        put16(dir, 20);
        put16(dir, e.flags);
        put16(dir, e.deflate ? 8 : 0);
        put32(dir, 0);
        put32(dir, crc);
        put32(dir, quint32(body.size()));
        put32(dir, size);
        put16(dir, quint16(e.name.size()));
        put16(dir, 0);
        put16(dir, 0);
        put16(dir, 0);
        put16(dir, 0);
        put32(dir, 0);
        put32(dir, offset);
        dir += e.name;
    }
    const quint32 dirOffset = quint32(file.size());
    file += dir;
    put32(file, 0x06054b50);
    put16(file, 0);
    put16(file, 0);
    put16(file, quint16(entries.size()));
    put16(file, quint16(entries.size()));
    put32(file, quint32(dir.size()));
    put32(file, dirOffset);
    put16(file, 0);
    return file;
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    QFile f(dir.filePath(name));
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(f.fileName()));
    f.write(bytes);
    return f.fileName();
}

QByteArray sysmonLine(int pid, const QByteArray &image, const QByteArray &commandLine)
{
    return QByteArray(
               R"({"Channel":"Microsoft-Windows-Sysmon/Operational","EventID":1,"Hostname":"WS-9",)"
               R"("TimeCreated":"2024-05-01T10:00:)") +
           QByteArray::number(10 + pid % 40) + R"(.000Z","ProcessGuid":"{aaaa-)" +
           QByteArray::number(pid) + R"(}","ProcessId":)" + QByteArray::number(pid) +
           R"(,"Image":")" + image + R"(","CommandLine":")" + commandLine +
           R"(","ParentProcessGuid":"{aaaa-1}","ParentProcessId":1,)" +
           R"("ParentImage":"C:\\Windows\\System32\\services.exe","User":"NT AUTHORITY\\SYSTEM"})";
}

QByteArray eventLines(int count)
{
    QByteArray out;
    for (int i = 0; i < count; ++i)
        out += sysmonLine(100 + i, R"(C:\\Windows\\System32\\cmd.exe)",
                          "cmd.exe /c whoami " + QByteArray::number(i)) +
               '\n';
    return out;
}

qint64 eventCount(CaseStore &store)
{
    auto s = store.stats();
    return s ? s->events : -1;
}

} // namespace

class TestZipArchive : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void storedAndDeflatedMembersImportLikeTheFile_data()
    {
        QTest::addColumn<bool>("deflate");
        QTest::newRow("stored") << false;
        QTest::newRow("deflated") << true;
    }
    void storedAndDeflatedMembersImportLikeTheFile()
    {
        QFETCH(bool, deflate);
        QTemporaryDir dir;
        const QByteArray lines = eventLines(25);
        const QString plain = writeFile(dir, QStringLiteral("events.jsonl"), lines);
        const QString zip = writeFile(dir, QStringLiteral("events.zip"),
                                      makeZip({{"logs/events.jsonl", lines, deflate}}));
        test::TempStore a, b;
        const auto fromPlain = test::importWithWarnings(a.store(), plain);
        const auto fromZip = test::importWithWarnings(b.store(), zip);
        QVERIFY2(fromZip.counts.ok(),
                 fromZip.counts.ok() ? "" : qPrintable(fromZip.counts.error().toString()));
        QCOMPARE(fromZip.counts->events, qint64(25));
        QCOMPARE(fromZip.counts->events, fromPlain.counts->events);
        QCOMPARE(fromZip.counts->processes, fromPlain.counts->processes);
        QVERIFY(fromZip.warnings.isEmpty());
        // Idempotent like any import.
        const auto again = test::importWithWarnings(b.store(), zip);
        QVERIFY(again.counts.ok());
        QCOMPARE(again.counts->events, qint64(0));
        QCOMPARE(again.counts->skipped, qint64(25));
    }

    void readmeBesideTheDataIsSkippedWithAWarning()
    {
        QTemporaryDir dir;
        const QString zip =
            writeFile(dir, QStringLiteral("set.zip"),
                      makeZip({{"README.txt", "Dataset notes <b>not data</b>\n", true},
                               {"data/", QByteArray(), false},
                               {"data/events.jsonl", eventLines(3), true}}));
        test::TempStore ts;
        const auto run = test::importWithWarnings(ts.store(), zip);
        QVERIFY(run.counts.ok());
        QCOMPARE(run.counts->events, qint64(3));
        QCOMPARE(run.warnings.size(), 1);
        QVERIFY2(run.warnings.first().contains(QStringLiteral("set.zip!README.txt")),
                 qPrintable(run.warnings.first()));
    }

    void badRecordIsReportedInsideTheMember()
    {
        QTemporaryDir dir;
        QByteArray lines = eventLines(2);
        lines += "{\"Channel\": truncated\n";
        lines +=
            sysmonLine(900, R"(C:\\Windows\\System32\\reg.exe)", "reg save HKLM\\\\sam") + '\n';
        const QString zip =
            writeFile(dir, QStringLiteral("bad.zip"), makeZip({{"one.jsonl", lines, true}}));
        test::TempStore ts;
        const auto run = test::importWithWarnings(ts.store(), zip);
        QVERIFY(run.counts.ok());
        QCOMPARE(run.counts->events, qint64(3));
        QCOMPARE(run.counts->rejected, qint64(1));
        QCOMPARE(run.warnings.size(), 1);
        // The problem names the archive member and its line, not the scratch file it was unpacked to.
        QVERIFY2(run.warnings.first().contains(QStringLiteral("bad.zip!one.jsonl:3")),
                 qPrintable(run.warnings.first()));
    }

    void damagedArchivesAreRefusedWhole_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        const QByteArray good =
            makeZip({{"a.jsonl", eventLines(40), true}, {"b.jsonl", eventLines(5), true}});
        QTest::newRow("truncated in the middle")
            << good.left(good.size() / 2) << QStringLiteral("end-of-directory");
        QByteArray cut = good;
        cut.remove(60, 200); // data cut, directory intact but now pointing past its start
        QTest::newRow("data cut out") << cut << QStringLiteral("damaged");
        QTest::newRow("CRC mismatch in the second member")
            << makeZip({{"a.jsonl", eventLines(4), true},
                        {"b.jsonl", eventLines(5), true, 0, -1, true}})
            << QStringLiteral("CRC-32");
        QTest::newRow("encrypted")
            << makeZip({{"a.jsonl", eventLines(4), false, 0x1}}) << QStringLiteral("encrypted");
        QTest::newRow("inflates past its declared size")
            << makeZip({{"a.jsonl", QByteArray(1 << 20, 'A'), true, 0, 1000}})
            << QStringLiteral("more than");
        QTest::newRow("no member in a known format")
            << makeZip({{"notes.txt", "hello\n", true}}) << QStringLiteral("no file in a format");
        QByteArray nested =
            makeZip({{"inner.zip", makeZip({{"a.jsonl", eventLines(2), true}}), false}});
        QTest::newRow("archive inside an archive")
            << nested << QStringLiteral("no file in a format");
        QTest::newRow("garbage after the magic")
            << QByteArray("PK\x03\x04", 4) + QByteArray(100, '\0')
            << QStringLiteral("end-of-directory");
    }
    void damagedArchivesAreRefusedWhole()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString zip = writeFile(dir, QStringLiteral("damaged.zip"), bytes);
        test::TempStore ts;
        const auto run = test::importWithWarnings(ts.store(), zip);
        QVERIFY(!run.counts.ok());
        const QString text = run.counts.error().toString();
        QVERIFY2(text.contains(expected), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("damaged.zip")), qPrintable(text));
        // Nothing half-imported: the first member's events were rolled back with the rest.
        QCOMPARE(eventCount(ts.store()), qint64(0));
    }

    void cancelWhileUnpackingLeavesNothing()
    {
        QTemporaryDir dir;
        const QString zip = writeFile(dir, QStringLiteral("big.zip"),
                                      makeZip({{"a.jsonl", eventLines(2000), true}}));
        test::TempStore ts;
        std::atomic_bool cancel{true};
        ImportOptions options;
        options.cancel = &cancel;
        const auto r = ImportDispatcher(ts.store()).importFile(zip, options);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("cancelled"));
        QCOMPARE(eventCount(ts.store()), qint64(0));
    }

    void realEmpirePsexecArchive()
    {
        CAUSA_REQUIRE_SHARED_DATA(
            QStringLiteral("events/otrf-security-datasets/empire_psexec_dcerpc_tcp_svcctl.zip"));
        const QString zip =
            test::sharedDataDir() +
            QStringLiteral("/events/otrf-security-datasets/empire_psexec_dcerpc_tcp_svcctl.zip");
        test::TempStore ts;
        const auto run = test::importWithWarnings(ts.store(), zip);
        QVERIFY2(run.counts.ok(), run.counts.ok() ? "" : qPrintable(run.counts.error().toString()));
        QVERIFY2(run.warnings.isEmpty(), qPrintable(run.warnings.join(QLatin1Char('\n'))));
        // SOURCES.md: the full host log holds 4,348 events.
        QCOMPARE(run.counts->events, qint64(4348));
        QCOMPARE(run.counts->rejected, qint64(0));
    }
};

QTEST_GUILESS_MAIN(TestZipArchive)
#include "tst_ziparchive.moc"
