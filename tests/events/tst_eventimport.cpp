// Event importer: every shared event file (all header variants, .evtx), hostile lines,
// idempotency, cancel, and the Windows traps (hex PIDs, %% codes, mixed-case channels).
#include "eventimportlines.h"
#include "events/eventfields.h"
#include "events/eventimporter.h"
#include "eventtestutil.h"
#include "import/ziparchive.h"
#include "store/eventqueries.h"

#include <QDateTime>
#include <QDirIterator>
#include <QFileInfo>
#include <QSqlQuery>

#include <atomic>

using namespace causa;

namespace {

// Forces the importer's choice of threads (CAUSA_IMPORT_THREADS) for one test row.
struct ThreadChoice
{
    explicit ThreadChoice(const QByteArray &threads) { qputenv("CAUSA_IMPORT_THREADS", threads); }
    ~ThreadChoice() { qunsetenv("CAUSA_IMPORT_THREADS"); }
    ThreadChoice(const ThreadChoice &) = delete;
    ThreadChoice &operator=(const ThreadChoice &) = delete;
};

} // namespace

class TestEventImport : public QObject
{
    Q_OBJECT

private:
    static StoreStats stats(CaseStore &s)
    {
        auto r = s.stats();
        if (!r)
            qFatal("stats: %s", qPrintable(r.error().toString()));
        return r.value();
    }
    static qint64 nonEmptyLines(const QString &path)
    {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return -1;
        qint64 n = 0;
        while (!f.atEnd())
            if (!f.readLine().trimmed().isEmpty())
                ++n;
        return n;
    }

private Q_SLOTS:
    void everySharedFile_data()
    {
        QTest::addColumn<QString>("path");
        const QString root = test::sharedDataDir() + QStringLiteral("/events");
        if (test::sharedDataDir().isEmpty() || !QFileInfo::exists(root)) {
            QTest::newRow("absent") << QString();
            return;
        }
        QStringList files;
        QDirIterator it(root,
                        {QStringLiteral("*.jsonl"), QStringLiteral("*.json"),
                         QStringLiteral("*.evtx"), QStringLiteral("*.zip")},
                        QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            files << it.next();
        files.sort();
        for (const QString &f : files)
            QTest::newRow(qPrintable(QFileInfo(f).fileName())) << f;
    }
    void everySharedFile()
    {
        QFETCH(QString, path);
        CAUSA_REQUIRE_SHARED_DATA(QStringLiteral("events"));
        if (path.endsWith(QLatin1String(".evtx")) && !EventImporter::haveEvtxSupport())
            QSKIP("built without libevtx");
        test::TempStore ts;
        const auto run = test::importWithWarnings(ts.store(), path);
        QVERIFY2(run.counts.ok(), run.counts.ok() ? "" : qPrintable(run.counts.error().toString()));
        const ImportCounts &c = run.counts.value();
        QStringList warnings = run.warnings;
        if (QFileInfo(path).fileName().startsWith(QLatin1String("cmd_psexec_lsa_secrets_dump"))) {
            // OTRF's newer schema: TimeCreated is WORKSTATION5's local time (UTC-4); only its
            // 241 Sysmon events carry UtcTime too. The other 45 are moved, and the analyst told.
            QCOMPARE(warnings.size(), 1);
            const QString note = warnings.takeFirst();
            QVERIFY2(note.contains(QLatin1String(": WORKSTATION5: ")) &&
                         note.contains(QLatin1String("UTC-04:00")) &&
                         note.contains(QLatin1String("from 241 events")) &&
                         note.contains(QLatin1String("45 events shifted by +4 h 00 min")),
                     qPrintable(note));
        }
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(QLatin1Char('\n'))));
        QCOMPARE(c.rejected, qint64(0));
        QVERIFY(c.events > 0);
        if (path.endsWith(QLatin1String(".zip"))) {
            // A zipped export: every record of every member became an event.
            auto zip = ZipArchive::open(path);
            QVERIFY(zip.ok());
            QTemporaryDir dir;
            qint64 lines = 0;
            for (const ZipArchive::Member &m : zip->members()) {
                QVERIFY(zip->extract(m, dir.filePath(QStringLiteral("m")), nullptr).ok());
                lines += nonEmptyLines(dir.filePath(QStringLiteral("m")));
            }
            QCOMPARE(c.events + c.skipped, lines);
        } else if (!path.endsWith(QLatin1String(".evtx"))) {
            // Every record became an event (the subsets may repeat no line).
            QCOMPARE(c.events + c.skipped, nonEmptyLines(path));
        } else {
            // The .evtx read through libevtx gives the same events and processes as the
            // project's python-evtx conversion of the same file.
            QString jsonl = path;
            jsonl.replace(QLatin1String(".evtx"), QLatin1String(".jsonl"));
            test::TempStore other;
            const auto conv = test::importWithWarnings(other.store(), jsonl);
            QVERIFY(conv.counts.ok());
            QCOMPARE(c.events, conv.counts->events);
            QCOMPARE(c.processes, conv.counts->processes);
        }
        qInfo("%s: %lld events, %lld processes, %lld duplicates, %lld rejected",
              qPrintable(QFileInfo(path).fileName()), c.events, c.processes, c.skipped, c.rejected);
    }

    void hostileLines()
    {
        QTemporaryDir dir;
        const QByteArray good1 = test::lines::line0();
        const QByteArray good2 = test::lines::line1();
        QByteArray nul = good2;
        nul.replace("tcp", QByteArray("t\0cp", 4));
        QByteArray huge = test::lines::line2();
        huge += QByteArray(10 * 1024 * 1024, 'A') + "\"}";
        const QList<QByteArray> lines = {
            good1,                                         // 1
            test::lines::line3(),                          // 2 truncated
            nul,                                           // 3 NUL byte inside a string
            huge,                                          // 4 10 MB line
            "[1, 2, 3]",                                   // 5 not an object
            "\"just a string\"",                           // 6
            "42",                                          // 7
            test::lines::line4(),                          // 8 no EventID
            QByteArray(5000, '[') + QByteArray(5000, ']'), // 9 nesting bomb
            "",                                            // 10 blank: ignored
            "<Event><System/></Event>",                    // 11 markup
            good2,                                         // 12
        };
        const QString path = test::writeLines(dir, QStringLiteral("hostile.jsonl"), lines);
        test::TempStore ts;
        const auto run = test::importWithWarnings(ts.store(), path);
        QVERIFY2(run.counts.ok(), run.counts.ok() ? "" : qPrintable(run.counts.error().toString()));
        QCOMPARE(run.counts->events, qint64(2));
        QCOMPARE(run.counts->rejected, qint64(9));
        const QList<int> badLines = {2, 3, 4, 5, 6, 7, 8, 9, 11};
        QCOMPARE(run.warnings.size(), badLines.size());
        for (int i = 0; i < badLines.size(); ++i)
            QVERIFY2(run.warnings.at(i).startsWith(
                         QStringLiteral("hostile.jsonl:%1: ").arg(badLines.at(i))),
                     qPrintable(run.warnings.at(i)));
        QVERIFY(run.warnings.at(2).contains(QLatin1String("MiB")));
        QVERIFY(run.warnings.at(6).contains(QLatin1String("EventID")));
        QCOMPARE(stats(ts.store()).events, qint64(2));
    }

    void idempotentAndCancel_data() { linesAcrossBatches_data(); }

    void idempotentAndCancel()
    {
        QFETCH(QByteArray, threads);
        const ThreadChoice choice(threads);
        const QString sample =
            test::sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-events.jsonl");
        test::TempStore ts;
        ImportDispatcher importer(ts.store());
        auto first = importer.importFile(sample);
        QVERIFY(first.ok());
        QCOMPARE(first->events, nonEmptyLines(sample));
        QVERIFY(first->processes >= 5);
        const StoreStats before = stats(ts.store());
        auto second = importer.importFile(sample);
        QVERIFY(second.ok());
        QCOMPARE(second->events, qint64(0));
        QCOMPARE(second->processes, qint64(0));
        QCOMPARE(second->skipped, first->events);
        const StoreStats after = stats(ts.store());
        QCOMPARE(after.events, before.events);
        QCOMPARE(after.processes, before.processes);

        // Cancel part-way: nothing of that file is kept.
        QTemporaryDir dir;
        QList<QByteArray> lines;
        for (int i = 0; i < 20000; ++i)
            lines << QString::fromUtf8(test::lines::line5()).arg(i).toUtf8();
        const QString path = test::writeLines(dir, QStringLiteral("big.jsonl"), lines);
        std::atomic_bool cancel{false};
        ImportOptions options;
        options.cancel = &cancel;
        qint64 lastDone = 0;
        options.progress = [&](qint64 done, qint64) {
            lastDone = done;
            cancel = true;
        };
        auto cancelled = importer.importFile(path, options);
        QVERIFY(!cancelled.ok());
        QCOMPARE(cancelled.error().code, QStringLiteral("cancelled"));
        QVERIFY(lastDone > 0);
        QCOMPARE(stats(ts.store()).events, before.events);
    }

    // Lines are read and parsed in batches of lines and bytes, on a second thread when the
    // process may use two CPUs, else on the writing one: bad lines on either side of a batch's
    // end, and 1.5 MB lines that end a batch by size, keep their line numbers, their data and
    // their order; re-importing adds nothing. Both ways are forced here, whatever this
    // machine has.
    void linesAcrossBatches_data()
    {
        QTest::addColumn<QByteArray>("threads");
        QTest::newRow("one thread") << QByteArray("1");
        QTest::newRow("reading thread") << QByteArray("2");
    }

    void linesAcrossBatches()
    {
        QFETCH(QByteArray, threads);
        const ThreadChoice choice(threads);
        QTemporaryDir dir;
        QList<QByteArray> lines;
        QList<int> bad, huge{1500, 3100};
        for (int i = 1; i <= 5000; ++i) {
            if (i % 97 == 0 || i == 256 || i == 257 || i == 513) {
                lines << QByteArray("{\"EventID\": 11, \"Channel\": \"Micro");
                bad << i;
            } else if (huge.contains(i)) {
                lines << QString::fromUtf8(test::lines::line5())
                             .arg(QString(1500 * 1024, QLatin1Char(i == 1500 ? 'x' : 'y')))
                             .toUtf8();
            } else {
                lines << QString::fromUtf8(test::lines::line5()).arg(i).toUtf8();
            }
        }
        const QString path = test::writeLines(dir, QStringLiteral("batches.jsonl"), lines);
        test::TempStore ts;
        const auto run = test::importWithWarnings(ts.store(), path);
        QVERIFY2(run.counts.ok(), run.counts.ok() ? "" : qPrintable(run.counts.error().toString()));
        QCOMPARE(run.counts->rejected, qint64(bad.size()));
        QCOMPARE(run.counts->events, qint64(5000 - bad.size()));
        QCOMPARE(run.warnings.size(), bad.size());
        for (int k = 0; k < bad.size(); ++k)
            QVERIFY2(run.warnings.at(k).startsWith(
                         QStringLiteral("batches.jsonl:%1: invalid JSON").arg(bad.at(k))),
                     qPrintable(run.warnings.at(k)));
        auto db = ts.store().connection();
        QVERIFY(db.ok());
        QSqlQuery q(db.value());
        QVERIFY(q.exec(
            QStringLiteral("SELECT source_line, length(data), data FROM events ORDER BY id")));
        int n = 0;
        int previous = 0;
        while (q.next()) {
            const int line = q.value(0).toInt();
            QVERIFY(line > previous); // stored in file order
            QVERIFY(!bad.contains(line));
            const QByteArray expected = lines.at(line - 1);
            QCOMPARE(q.value(1).toLongLong(), qint64(expected.size()));
            if (huge.contains(line) || line % 1000 == 1)
                QCOMPARE(q.value(2).toString().toUtf8(), expected);
            previous = line;
            ++n;
        }
        QCOMPARE(n, 5000 - bad.size());
        auto again = ImportDispatcher(ts.store()).importFile(path);
        QVERIFY(again.ok());
        QCOMPARE(again->events, qint64(0));
        QCOMPARE(again->skipped, qint64(5000 - bad.size()));
    }

    // Exports that write TimeCreated/EventTime in the host's local time without a zone (OTRF's
    // newer schema): the host's UTC offset is learned from events carrying both clocks, even
    // when they come later in the file, and applied to its zone-less local times only. The
    // fixture's hosts: WS-LOCAL (UTC-4, Security before Sysmon), WS-NXLOG (UTC+1, learned
    // from '@timestamp'), WS-NOUTC (no UTC evidence), WS-MIXED (evidence disagrees).
    void localTimeOffsets_data() { linesAcrossBatches_data(); }

    void localTimeOffsets()
    {
        QFETCH(QByteArray, threads);
        const ThreadChoice choice(threads);
        const QString path =
            test::fixturesDir() + QStringLiteral("/events/local-time-offsets.jsonl");
        test::TempStore ts;
        const auto run = test::importWithWarnings(ts.store(), path);
        QVERIFY2(run.counts.ok(), run.counts.ok() ? "" : qPrintable(run.counts.error().toString()));
        QCOMPARE(run.counts->events, qint64(16));
        const auto utc = [](int h, int m, int s, int ms = 0) {
            return QDateTime(QDate(2024, 3, 5), QTime(h, m, s, ms), Qt::UTC).toMSecsSinceEpoch();
        };
        const QList<qint64> expected = {
            utc(14, 0, 0),      // 1 WS-LOCAL Security, local, before any Sysmon line: +4 h
            utc(14, 0, 1, 500), // 2 WS-LOCAL Security, local: +4 h
            utc(10, 0, 0),      // 3 WS-NOUTC: no evidence, left as written
            utc(10, 0, 0),      // 4 WS-MIXED: evidence disagrees, left as written
            utc(14, 0, 2),      // 5 WS-LOCAL Sysmon: UtcTime
            utc(14, 0, 3),      // 6 WS-LOCAL Sysmon: UtcTime
            utc(10, 0, 4),      // 7 WS-LOCAL, explicit 'Z': never shifted
            utc(14, 0, 5),      // 8 WS-LOCAL, explicit -04:00: its own zone, not the learned one
            utc(14, 0, 1),      utc(14, 0, 2), utc(15, 0, 3), utc(15, 0, 4), // 9-12 WS-MIXED Sysmon
            utc(10, 0, 9),      // 13 WS-MIXED Security: left as written
            utc(14, 0, 10),     // 14 WS-LOCAL, NXLog EventTime: +4 h
            utc(9, 0, 11, 500), // 15 WS-NXLOG: '@timestamp'
            utc(9, 0, 20),      // 16 WS-NXLOG System, EventTime only: -1 h
        };
        auto db = ts.store().connection();
        QVERIFY(db.ok());
        QSqlQuery q(db.value());
        QVERIFY(q.exec(QStringLiteral("SELECT source_line, ts FROM events ORDER BY source_line")));
        QList<qint64> got;
        while (q.next())
            got << q.value(1).toLongLong();
        for (int i = 0; i < qMin(got.size(), expected.size()); ++i)
            QVERIFY2(got.at(i) == expected.at(i),
                     qPrintable(QStringLiteral("line %1: %2, expected %3")
                                    .arg(i + 1)
                                    .arg(QDateTime::fromMSecsSinceEpoch(got.at(i), Qt::UTC)
                                             .toString(Qt::ISODateWithMs),
                                         QDateTime::fromMSecsSinceEpoch(expected.at(i), Qt::UTC)
                                             .toString(Qt::ISODateWithMs))));
        QCOMPARE(got.size(), expected.size());
        // The analyst is told which hosts were shifted and by how much, and which were not
        // because their evidence disagreed; a host without evidence is not worth a warning.
        const QString all = run.warnings.join(QLatin1Char('\n'));
        QCOMPARE(run.warnings.size(), 3);
        const auto warningOf = [&](const QString &host) {
            for (const QString &w : run.warnings)
                if (w.startsWith(QStringLiteral("local-time-offsets.jsonl: ") + host +
                                 QLatin1Char(':')))
                    return w;
            return QString();
        };
        QVERIFY2(warningOf(QStringLiteral("WS-LOCAL")).contains(QLatin1String("UTC-04:00")),
                 qPrintable(all));
        QVERIFY2(warningOf(QStringLiteral("WS-LOCAL"))
                     .contains(QLatin1String("3 events shifted by +4 h 00 min")),
                 qPrintable(all));
        QVERIFY2(warningOf(QStringLiteral("WS-NXLOG")).contains(QLatin1String("UTC+01:00")),
                 qPrintable(all));
        QVERIFY2(warningOf(QStringLiteral("WS-NXLOG"))
                     .contains(QLatin1String("1 event shifted by -1 h 00 min")),
                 qPrintable(all));
        QVERIFY2(warningOf(QStringLiteral("WS-MIXED")).contains(QLatin1String("disagree")),
                 qPrintable(all));
        QVERIFY2(warningOf(QStringLiteral("WS-MIXED"))
                     .contains(QLatin1String("2 events left as written")),
                 qPrintable(all));
        QVERIFY2(!all.contains(QLatin1String("WS-NOUTC")), qPrintable(all));
        // The explicit-zone reader the importer uses.
        QCOMPARE(events::parseTimeMs("2024-03-05T10:00:05.000-04:00"), utc(14, 0, 5));
        QCOMPARE(events::parseTimeMs("2024-03-05T10:00:05+0530"), utc(4, 30, 5));
        QCOMPARE(events::parseTimeMs("2024-03-05 10:00:05Z"), utc(10, 0, 5));
    }

    // A host first seen past the importer's look-ahead: its offset is learned while parsing,
    // so its local times after the first line carrying both clocks are shifted, the ones
    // before are left as written, and the warning counts both.
    void localTimeLearnedWhileParsing_data() { linesAcrossBatches_data(); }

    void localTimeLearnedWhileParsing()
    {
        QFETCH(QByteArray, threads);
        const ThreadChoice choice(threads);
        QTemporaryDir dir;
        QList<QByteArray> lines;
        for (qint64 i = 0; i < EventImporter::kPrescanLines; ++i)
            lines
                << QByteArray(
                       R"({"EventID": 3, "Channel": "Microsoft-Windows-Sysmon/Operational", "Hostname": "FILLER", "UtcTime": "2024-03-05 12:00:00.000", "ProcessId": )") +
                       QByteArray::number(i) + '}';
        const QByteArray security =
            R"({"EventID": 4624, "Channel": "Security", "Hostname": "WS-LATE", "LogonType": "3", "TimeCreated": )";
        lines << security + R"("2024-03-05 10:00:00.000"})";
        lines
            << R"({"EventID": 3, "Channel": "Microsoft-Windows-Sysmon/Operational", "Hostname": "WS-LATE", "UtcTime": "2024-03-05 14:00:01.000", "TimeCreated": "2024-03-05 10:00:01.004", "ProcessId": 9})";
        lines << security + R"("2024-03-05 10:00:02.000"})";
        const QString path = test::writeLines(dir, QStringLiteral("late.jsonl"), lines);
        test::TempStore ts;
        const auto run = test::importWithWarnings(ts.store(), path);
        QVERIFY2(run.counts.ok(), run.counts.ok() ? "" : qPrintable(run.counts.error().toString()));
        auto db = ts.store().connection();
        QVERIFY(db.ok());
        QSqlQuery q(db.value());
        QVERIFY(q.exec(
            QStringLiteral("SELECT ts FROM events WHERE source_line > %1 ORDER BY source_line")
                .arg(EventImporter::kPrescanLines)));
        QList<qint64> got;
        while (q.next())
            got << q.value(0).toLongLong();
        const auto utc = [](int h, int m, int s) {
            return QDateTime(QDate(2024, 3, 5), QTime(h, m, s), Qt::UTC).toMSecsSinceEpoch();
        };
        QCOMPARE(got, (QList<qint64>{utc(10, 0, 0), utc(14, 0, 1), utc(14, 0, 2)}));
        QCOMPARE(run.warnings.size(), 1);
        QVERIFY2(run.warnings.at(0).startsWith(QLatin1String("late.jsonl: WS-LATE: ")),
                 qPrintable(run.warnings.at(0)));
        QVERIFY2(run.warnings.at(0).contains(QLatin1String("1 event shifted by +4 h 00 min")),
                 qPrintable(run.warnings.at(0)));
        QVERIFY2(run.warnings.at(0).contains(
                     QLatin1String("1 event before the first such event left as written")),
                 qPrintable(run.warnings.at(0)));
    }

    void windowsTraps()
    {
        QTemporaryDir dir;
        const QString path = test::writeLines(dir, QStringLiteral("traps.jsonl"),
                                              {
                                                  test::lines::line6(),
                                                  test::lines::line7(),
                                                  test::lines::line8(),
                                              });
        test::TempStore ts;
        auto r = ImportDispatcher(ts.store()).importFile(path);
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().toString()));
        QCOMPARE(r->events, qint64(3));
        auto ep = eventq::endpointIdForHost(ts.store(), QStringLiteral("ws1"));
        QVERIFY(ep.ok() && ep.value() > 0); // "WS1.corp.example" and "WS1" are one endpoint
        auto input = eventq::loadForestInput(ts.store(), {ep.value()});
        QVERIFY(input.ok());
        const ProcessRecord *svc = nullptr;
        for (const ProcessRecord &p : input->processes)
            if (p.source == QLatin1String("security"))
                svc = &p;
        QVERIFY(svc);
        QCOMPARE(svc->pid, qint64(0xc24));
        QCOMPARE(svc->parentPid, qint64(0x238));
        QCOMPARE(svc->commandLine, QStringLiteral("cmd /c echo %COMSPEC%"));
        QCOMPARE(svc->startedAt, events::parseTimeMs("2021-04-21 09:40:32.366"));
        bool sawRegistry = false;
        for (const ForestEvent &e : input->events)
            if (e.kind == QLatin1String("registry")) {
                sawRegistry = true;
                QVERIFY2(e.summary.endsWith(QLatin1String("= %COMSPEC% /b /c start")),
                         qPrintable(e.summary));
            }
        QVERIFY(sawRegistry);
        QCOMPARE(events::decodeMessageCodes(QStringLiteral("%%1538 %%4417 %%9999")),
                 QStringLiteral("READ_CONTROL WriteData %%9999"));
        QCOMPARE(events::parseTimeMs("2020-09-20T16:16:39.625Z"), qint64(1600618599625));
        QCOMPARE(events::parseTimeMs("not a time"), qint64(0));
    }

    // The record's bytes go to the store as they were read (no UTF-16 round trip): multi-byte
    // UTF-8, escapes and a 4-byte emoji come back byte for byte, on SQLite and PostgreSQL.
    void dataKeptByteForByte()
    {
        QTemporaryDir dir;
        const QList<QByteArray> lines = {
            QByteArray(
                "{\"EventID\": 11, \"Channel\": \"Microsoft-Windows-Sysmon/Operational\", \"Hostname\": \"UTF-HOST\", \"UtcTime\": \"2024-01-01 10:00:00.000\", \"ProcessGuid\": \"{u-1}\", \"ProcessId\": 7, \"TargetFilename\": \"C:\\\\Users\\\\j\\u00fcrgen\\\\\xe6\x96\x87\xe6\xa1\xa3\\\\\xf0\x9f\x98\x80 \\u00e9t\xc3\xa9.txt\"}"),
            QByteArray(
                "{\"EventID\": 1, \"Channel\": \"Microsoft-Windows-Sysmon/Operational\", \"Hostname\": \"UTF-HOST\", \"UtcTime\": \"2024-01-01 10:00:01.000\", \"ProcessGuid\": \"{u-2}\", \"ProcessId\": 8, \"Image\": \"C:\\\\Tools\\\\\xd0\xbf\xd1\x80\xd0\xbe\xd0\xb3.exe\", \"CommandLine\": \"\xd0\xbf\xd1\x80\xd0\xbe\xd0\xb3.exe --n\xc3\xa4me \\\"x\\\"\"}"),
        };
        const QString path = test::writeLines(dir, QStringLiteral("utf8.jsonl"), lines);
        test::TempStore ts;
        auto counts = ImportDispatcher(ts.store()).importFile(path);
        QVERIFY2(counts.ok(), counts.ok() ? "" : qPrintable(counts.error().toString()));
        QCOMPARE(counts->events, qint64(2));
        auto db = ts.store().connection();
        QVERIFY(db.ok());
        QSqlQuery q(db.value());
        QVERIFY(q.exec(QStringLiteral("SELECT data, summary FROM events ORDER BY source_line")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString().toUtf8(), lines.at(0));
        QCOMPARE(
            q.value(1).toString(),
            QString::fromUtf8(
                "C:\\Users\\j\u00fcrgen\\\xe6\x96\x87\xe6\xa1\xa3\\\xf0\x9f\x98\x80 \u00e9t\u00e9.txt"));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString().toUtf8(), lines.at(1));
        QVERIFY(q.value(1).toString().startsWith(
            QString::fromUtf8("\xd0\xbf\xd1\x80\xd0\xbe\xd0\xb3.exe: ")));
        QVERIFY(!q.next());
        // Same file again: nothing new.
        auto again = ImportDispatcher(ts.store()).importFile(path);
        QVERIFY(again.ok());
        QCOMPARE(again->events, qint64(0));
        QCOMPARE(again->skipped, qint64(2));
    }

    void detectsFormat()
    {
        QVERIFY(EventImporter::looksLike(test::lines::line9()));
        QVERIFY(EventImporter::looksLike(QByteArray("ElfFile\0\0\0", 10)));
        QVERIFY(!EventImporter::looksLike(test::lines::line10()));
        QCOMPARE(ImportDispatcher::detectFormat(QStringLiteral("x.jsonl"), test::lines::line11()),
                 QStringLiteral("events"));
    }
};

QTEST_GUILESS_MAIN(TestEventImport)
#include "tst_eventimport.moc"
