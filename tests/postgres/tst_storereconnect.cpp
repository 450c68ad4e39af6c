// Connection loss on the PostgreSQL team store (issue 9): a backend killed by an admin
// (pg_terminate_backend) and a server that goes down and comes back. Reads reconnect and retry,
// a write transaction that failed before COMMIT runs again, and a server that stays down gives a
// clear error. The test starts its own throwaway server (tests/postgres/pg-server.sh) so that
// stopping it never disturbs other tests.
#include "core/errorcodes.h"
#include "import/importdispatcher.h"
#include "store/auditlog.h"
#include "store/notestore.h"
#include "store/sqlutil.h"
#include "testutils.h"

#include <QDir>

#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <algorithm>

using namespace causa;

class TestStoreReconnect : public QObject
{
    Q_OBJECT

    QString m_dir;
    QString m_url;

    bool server(const QString &command)
    {
        QProcess p;
        p.start(
            QStringLiteral("bash"),
            {test::sourceDir() + QStringLiteral("/tests/postgres/pg-server.sh"), command, m_dir});
        if (!p.waitForFinished(120000) || p.exitCode() != 0) {
            qWarning("pg-server.sh %s: %s %s", qPrintable(command),
                     p.readAllStandardOutput().constData(), p.readAllStandardError().constData());
            return false;
        }
        return true;
    }

    // Terminates the store connection's backend from a second, administrative connection.
    static bool killBackend(const QString &url, qint64 pid)
    {
        const auto loc = StoreLocation::parse(url).value();
        bool ok = false;
        {
            QSqlDatabase admin = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"),
                                                           QStringLiteral("reconnect-admin"));
            admin.setHostName(loc.host);
            admin.setPort(loc.port);
            admin.setUserName(loc.user);
            admin.setDatabaseName(loc.database);
            if (admin.open()) {
                QSqlQuery q(admin);
                ok = q.exec(QStringLiteral("SELECT pg_terminate_backend(%1)").arg(pid)) &&
                     q.next() && q.value(0).toBool();
            }
        }
        QSqlDatabase::removeDatabase(QStringLiteral("reconnect-admin"));
        return ok;
    }

    static qint64 backendPid(QSqlDatabase db)
    {
        QSqlQuery q(db);
        return q.exec(QStringLiteral("SELECT pg_backend_pid()")) && q.next()
                   ? q.value(0).toLongLong()
                   : -1;
    }

    std::shared_ptr<CaseStore> openStore()
    {
        auto s = CaseStore::open(StoreLocation::parse(m_url).value());
        if (!s)
            qWarning("%s", qPrintable(s.error().toString()));
        return s ? s.value() : nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (QDir(QStringLiteral("/usr/lib/postgresql"))
                .entryList(QDir::Dirs | QDir::NoDotAndDotDot)
                .isEmpty())
            QSKIP("PostgreSQL server binaries are not installed (apt-get install postgresql)");
        // Under the system temp folder: the server runs as the postgres user, which must reach it.
        m_dir = QDir::tempPath() +
                QStringLiteral("/causa-reconnect-%1").arg(QCoreApplication::applicationPid());
        QVERIFY(server(QStringLiteral("start")));
        QFile f(m_dir + QStringLiteral("/url"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_url = QString::fromUtf8(f.readAll()).trimmed();
        auto store = openStore();
        QVERIFY(store);
        auto counts = ImportDispatcher(*store).importFile(
            test::sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-incident.json"));
        QVERIFY2(counts.ok(), counts.ok() ? "" : qPrintable(counts.error().toString()));
    }

    void cleanupTestCase()
    {
        if (!m_dir.isEmpty())
            server(QStringLiteral("stop"));
    }

    void readsSurviveAKilledBackend()
    {
        auto store = openStore();
        QVERIFY(store);
        QCOMPARE(store->cases()->size(), size_t(1));
        const qint64 before = backendPid(store->connection().value());
        QVERIFY(before > 0);
        QVERIFY(killBackend(m_url, before));
        // The next read finds the socket dead, reconnects and runs again.
        auto cases = store->cases();
        QVERIFY2(cases.ok(), cases.ok() ? "" : qPrintable(cases.error().toString()));
        QCOMPARE(cases->size(), size_t(1));
        const qint64 after = backendPid(store->connection().value());
        QVERIFY(after > 0 && after != before);
        // Code that reads through connection() directly: a connection idle for a while is checked
        // before it is handed out.
        QVERIFY(killBackend(m_url, after));
        QTest::qWait(2300);
        auto conn = store->connection();
        QVERIFY(conn.ok());
        auto chain = audit::verify(conn.value(), cases->front().id);
        QVERIFY2(chain.ok(), chain.ok() ? "" : qPrintable(chain.error().toString()));
        QVERIFY(chain->intact);
    }

    void writeFailedBeforeCommitRunsAgain_data()
    {
        QTest::addColumn<bool>("killInsideTransaction");
        QTest::newRow("backend killed while idle, BEGIN fails") << false;
        QTest::newRow("backend killed mid-transaction") << true;
    }
    void writeFailedBeforeCommitRunsAgain()
    {
        QFETCH(bool, killInsideTransaction);
        auto store = openStore();
        QVERIFY(store);
        const qint64 caseId = store->cases()->front().id;
        if (!killInsideTransaction)
            QVERIFY(killBackend(m_url, backendPid(store->connection().value())));
        const QString body =
            QStringLiteral("written through a dropped connection (%1)").arg(killInsideTransaction);
        int attempts = 0;
        auto tx = store->transaction([&](QSqlDatabase &db) -> Result<void> {
            ++attempts;
            QSqlQuery q(db);
            q.prepare(QStringLiteral(
                "INSERT INTO notes (case_id, author, body, created_at, updated_at) VALUES (?, 'tester', ?, 1, 1)"));
            if (auto r = sql::exec(q, {caseId, body}); !r)
                return r;
            if (killInsideTransaction && attempts == 1 && !killBackend(m_url, backendPid(db)))
                return makeError(QStringLiteral("test"),
                                 QStringLiteral("could not kill the backend"));
            auto e = audit::append(db, caseId, QStringLiteral("tester"), QStringLiteral("note.add"),
                                   QStringLiteral("{}"));
            return e ? Result<void>() : Result<void>(e.error());
        });
        QVERIFY2(tx.ok(), tx.ok() ? "" : qPrintable(tx.error().toString()));
        QCOMPARE(attempts, killInsideTransaction ? 2 : 1);
        // Stored exactly once: the first attempt was rolled back with its connection.
        auto notes = notestore::notes(*store, caseId);
        QVERIFY(notes.ok());
        QCOMPARE(std::count_if(notes->begin(), notes->end(),
                               [&](const Note &n) { return n.body == body; }),
                 1);
        QVERIFY(audit::verify(store->connection().value(), caseId)->intact);
    }

    void serverDownThenBack()
    {
        auto store = openStore();
        QVERIFY(store);
        const qint64 caseId = store->cases()->front().id;
        QVERIFY(server(QStringLiteral("halt")));

        // Down for good: a clear error after the reconnect window, not a hang or a crash.
        store->setReconnectWindowMs(800);
        auto down = store->cases();
        QVERIFY(!down.ok());
        QCOMPARE(down.error().code, QString(errc::kStoreConnection));
        QVERIFY2(down.error().message.contains(QLatin1String("unreachable")),
                 qPrintable(down.error().toString()));
        auto write =
            notestore::add(*store, caseId, QStringLiteral("tester"), QStringLiteral("while down"));
        QVERIFY(!write.ok());
        QCOMPARE(write.error().code, QString(errc::kStoreConnection));
        // causa-cli says so and exits with 3 (store failure), naming the store, never the password.
        QProcess cli;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("CAUSA_STORE_RECONNECT_MS"), QStringLiteral("300"));
        cli.setProcessEnvironment(env);
        cli.start(test::cliPath(), {QStringLiteral("--store"), m_url, QStringLiteral("cases")});
        QVERIFY(cli.waitForFinished(60000));
        QCOMPARE(cli.exitCode(), 3);
        const QString err = QString::fromUtf8(cli.readAllStandardError());
        QVERIFY2(err.contains(QLatin1String("cannot open the case store")), qPrintable(err));

        // Back while a read waits: the read succeeds once the server accepts connections again.
        QProcess resume;
        resume.start(QStringLiteral("bash"),
                     {test::sourceDir() + QStringLiteral("/tests/postgres/pg-server.sh"),
                      QStringLiteral("resume"), m_dir});
        store->setReconnectWindowMs(60000);
        auto back = store->cases();
        QVERIFY(resume.waitForFinished(120000));
        QCOMPARE(resume.exitCode(), 0);
        QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.error().toString()));
        QCOMPARE(back->size(), size_t(1));
        auto note = notestore::add(*store, caseId, QStringLiteral("tester"),
                                   QStringLiteral("after the restart"));
        QVERIFY2(note.ok(), note.ok() ? "" : qPrintable(note.error().toString()));
        QVERIFY(audit::verify(store->connection().value(), caseId)->intact);
    }
};

QTEST_GUILESS_MAIN(TestStoreReconnect)
#include "tst_storereconnect.moc"
