// kill -9 during imports (issue 18): causa-cli imports a large XDR reply and a large event log
// into an SQLite store and is killed (SIGKILL) at random moments, at least 20 times. After
// every kill the store opens, PRAGMA integrity_check says ok, each import is all or nothing
// (its rows are all there or none are), and every audit chain verifies. The seed is printed so
// a failing round can be replayed (CAUSA_KILL_SEED).
#include "store/auditlog.h"
#include "testutils.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTemporaryDir>

using namespace causa;

namespace {

constexpr int kAlerts = 4000;
constexpr int kEvents = 40000;
constexpr int kKills = 20;      // kills wanted
constexpr int kMaxRounds = 120; // rounds allowed to get them

QByteArray xdrReply()
{
    QByteArray out =
        R"({"reply": {"total_count": )" + QByteArray::number(kAlerts) + R"(, "alerts": [)";
    for (int i = 0; i < kAlerts; ++i) {
        if (i)
            out += ',';
        const QByteArray n = QByteArray::number(i);
        out +=
            R"({"alert_id": ")" + QByteArray::number(900000 + i) +
            R"(", "name": "Remote PsExec-like LOLBIN", )"
            R"("severity": "high", "host_name": "KILL-WS-)" +
            QByteArray::number(i % 50) + R"(", "endpoint_id": "ep)" + QByteArray::number(i % 50) +
            R"(", "detection_timestamp": )" + QByteArray::number(1767600000000LL + i * 1000LL) +
            R"(, "action_process_image_name": "cmd.exe", "action_process_image_command_line": "cmd.exe /c echo )" +
            n + R"(", "action_process_os_pid": )" + QByteArray::number(1000 + i) +
            R"(, "causality_actor_process_image_name": "services.exe", "action_remote_ip": "10.1.2.3"})";
    }
    return out + "]}}";
}

QByteArray eventLines()
{
    QByteArray out;
    out.reserve(kEvents * 420);
    for (int i = 0; i < kEvents; ++i) {
        const QByteArray n = QByteArray::number(i);
        out +=
            R"({"EventID": 1, "Channel": "Microsoft-Windows-Sysmon/Operational", "Hostname": "KILL-EV-)" +
            QByteArray::number(i % 20) + R"(", "UtcTime": "2026-01-05 10:)" +
            QByteArray::number(10 + i / 3600 % 50) + ':' + QByteArray::number(10 + i / 60 % 50) +
            '.' + QByteArray::number(100 + i % 900) + R"(", "ProcessGuid": "{aaaa-)" + n +
            R"(}", "ParentProcessGuid": "{aaaa-p)" + QByteArray::number(i / 10) +
            R"(}", "ProcessId": )" + QByteArray::number(2000 + i) +
            R"(, "Image": "C:\\Windows\\System32\\cmd.exe", )"
            R"("CommandLine": "cmd.exe /c echo )" +
            n +
            R"(", "ParentImage": "C:\\Windows\\System32\\services.exe", )"
            R"("User": "CORP\\svc"})" +
            '\n';
    }
    return out;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

struct Counts
{
    qint64 alerts = 0;
    qint64 events = 0;
};

// Opens the store afresh (as the next analyst would) and checks it; the counts it holds.
Counts checkStore(const QString &dbPath, int round)
{
    StoreLocation loc;
    loc.path = dbPath;
    auto store = CaseStore::open(loc);
    if (!store)
        qFatal("round %d: the store does not open after kill -9: %s", round,
               qPrintable(store.error().toString()));
    auto db = store.value()->connection().value();
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA integrity_check")) || !q.next() ||
        q.value(0).toString() != QLatin1String("ok"))
        qFatal("round %d: integrity_check: %s", round, qPrintable(q.value(0).toString()));
    QSqlQuery cases(db);
    cases.exec(QStringLiteral("SELECT DISTINCT case_id FROM audit_log"));
    while (cases.next()) {
        auto v = audit::verify(db, cases.value(0).toLongLong());
        if (!v || !v->intact)
            qFatal("round %d: audit chain of case %lld broken: %s", round,
                   cases.value(0).toLongLong(), v ? qPrintable(v->problem) : "unreadable");
    }
    const StoreStats s = store.value()->stats().value();
    return {s.alerts, s.events};
}

} // namespace

class TestKillImport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void killedImportsAreAllOrNothing()
    {
        QTemporaryDir dir;
        const QString xdr = dir.filePath(QStringLiteral("alerts.json"));
        const QString events = dir.filePath(QStringLiteral("events.jsonl"));
        QVERIFY(writeFile(xdr, xdrReply()));
        QVERIFY(writeFile(events, eventLines()));

        // One full import of each into a scratch store: how many rows "all" is, and how long an
        // import runs (to spread the kill moments over it; nothing is asserted on time).
        const QString full = dir.filePath(QStringLiteral("full.sqlite"));
        QElapsedTimer t;
        t.start();
        QCOMPARE(
            test::runCli({QStringLiteral("--db"), full, QStringLiteral("import"), xdr}).exitCode,
            0);
        const qint64 xdrMs = t.restart();
        QCOMPARE(
            test::runCli({QStringLiteral("--db"), full, QStringLiteral("import"), events}).exitCode,
            0);
        const qint64 eventsMs = t.elapsed();
        const Counts all = checkStore(full, 0);
        QCOMPARE(all.alerts, qint64(kAlerts));
        QVERIFY(all.events >= kEvents);

        const quint32 seed = qEnvironmentVariableIsSet("CAUSA_KILL_SEED")
                                 ? quint32(qEnvironmentVariableIntValue("CAUSA_KILL_SEED"))
                                 : QRandomGenerator::global()->generate();
        qInfo("seed %u; full imports: xdr %lld ms, events %lld ms", seed, xdrMs, eventsMs);
        QRandomGenerator random(seed);
        const QString store = dir.filePath(QStringLiteral("killed.sqlite"));
        int killed = 0, finished = 0, round = 0;
        // Rounds go on until 20 imports were killed mid-flight (an import that finishes before its
        // moment still has its store checked); a store that holds a file is started over, so
        // every import is a whole one, never an idempotent no-op that ends before any kill.
        while (killed < kKills && round < kMaxRounds) {
            ++round;
            const bool isXdr = round % 2;
            const qint64 span = std::max<qint64>(50, isXdr ? xdrMs : eventsMs);
            const int at = int(random.bounded(quint32(span * 9 / 10)));
            QProcess p;
            p.setProgram(test::cliPath());
            p.setArguments(
                {QStringLiteral("--db"), store, QStringLiteral("import"), isXdr ? xdr : events});
            p.start();
            QVERIFY(p.waitForStarted());
            if (!p.waitForFinished(at)) {
                p.kill(); // SIGKILL
                QVERIFY(p.waitForFinished(10000));
                ++killed;
            } else {
                ++finished;
            }
            const Counts c = checkStore(store, round);
            QVERIFY2(c.alerts == 0 || c.alerts == kAlerts,
                     qPrintable(QStringLiteral("round %1 (seed %2): %3 alerts, half an import")
                                    .arg(round)
                                    .arg(seed)
                                    .arg(c.alerts)));
            QVERIFY2(c.events == 0 || c.events == all.events,
                     qPrintable(QStringLiteral("round %1 (seed %2): %3 events, half an import")
                                    .arg(round)
                                    .arg(seed)
                                    .arg(c.events)));
            if (c.alerts == kAlerts || c.events == all.events) {
                QFile::remove(store);
                QFile::remove(store + QStringLiteral("-wal"));
                QFile::remove(store + QStringLiteral("-shm"));
            }
        }
        qInfo("%d rounds: %d imports killed, %d finished before their kill moment", round, killed,
              finished);
        QVERIFY2(killed >= kKills,
                 "fewer than 20 imports were killed in 120 rounds; the kill moments are too late");
    }
};

QTEST_GUILESS_MAIN(TestKillImport)
#include "tst_killimport.moc"
