// Several writers append to ONE case's audit chain at the same time (issue 9): threads with their
// own connections adding notes, and causa-cli processes approving different actions of the case
// released together. None may fail on UNIQUE(case_id, seq); the chain stays gap-free and valid.
#include "store/actionstore.h"
#include "store/auditlog.h"
#include "store/notestore.h"
#include "teamtestutil.h"
#include "testasserts.h"

#include <QTemporaryDir>
#include <QThread>

#include <barrier>
#include <thread>

using namespace causa;

class TestAuditContention : public QObject
{
    Q_OBJECT

    QTemporaryDir m_exports;

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("CAUSA_EXPORT_KEY", "contention-test-export-key-0123456789");
        qputenv("CAUSA_EXPORT_DIR", m_exports.path().toUtf8());
        qputenv("CAUSA_CONNECTOR", "export");
    }

    void threadsAppendToOneCase()
    {
        test::TempStore ts;
        const qint64 caseId = test::importSampleWithCli(ts);
        QVERIFY(caseId > 0);
        constexpr int kWriters = 4;
        constexpr int kNotes = 30;
        std::vector<std::shared_ptr<CaseStore>> stores;
        for (int w = 0; w < kWriters; ++w) {
            auto s = CaseStore::open(ts.store().location());
            QVERIFY(s.ok());
            stores.push_back(s.value());
        }
        std::barrier sync(kWriters);
        std::vector<QStringList> failures(kWriters);
        std::vector<std::thread> threads;
        for (int w = 0; w < kWriters; ++w) {
            threads.emplace_back([&, w] {
                for (int i = 0; i < kNotes; ++i) {
                    sync.arrive_and_wait(); // every round, all writers append at the same moment
                    auto n = notestore::add(*stores[size_t(w)], caseId,
                                            QStringLiteral("analyst%1").arg(w),
                                            QStringLiteral("note %1 of writer %2").arg(i).arg(w));
                    if (!n)
                        failures[size_t(w)] << n.error().toString();
                }
            });
        }
        for (auto &t : threads)
            t.join();
        for (int w = 0; w < kWriters; ++w)
            QVERIFY2(failures[size_t(w)].isEmpty(),
                     qPrintable(failures[size_t(w)].join(QLatin1Char('\n'))));
        QCOMPARE(test::countAuditKind(ts.store(), caseId, QStringLiteral("note.add")),
                 kWriters * kNotes);
        auto v = audit::verify(ts.store().connection().value(), caseId);
        QVERIFY2(v->intact, qPrintable(v->problem));
        QVERIFY(v->entries >= kWriters * kNotes);
    }

    void processesApproveDifferentActionsOfOneCase()
    {
        test::TempStore ts;
        const qint64 caseId = test::importSampleWithCli(ts);
        QVERIFY(caseId > 0);
        constexpr int kProcesses = 4;
        constexpr int kRounds = 4;
        const std::vector<qint64> ids = test::proposeActions(
            ts.store(), caseId, kProcesses * kRounds, QStringLiteral("contention"));
        QCOMPARE(int(ids.size()), kProcesses * kRounds);
        int queued = 0;
        for (int round = 0; round < kRounds; ++round) {
            // Every process appends to this case's chain; hold the case row (PostgreSQL) or the
            // write lock (SQLite) until all of them wait for it, then release them together.
            test::WriteGate gate(ts.store().location(), QStringLiteral("cases"), caseId);
            QVERIFY(gate.holding());
            std::vector<std::unique_ptr<QProcess>> procs;
            for (int p = 0; p < kProcesses; ++p)
                procs.push_back(test::startCli(
                    ts.cliArgs() + QStringList{QStringLiteral("approve"),
                                               QString::number(ids[size_t(round * kProcesses + p)]),
                                               QStringLiteral("--by"),
                                               QStringLiteral("analyst%1").arg(p)},
                    // One export folder per process: the export connector's per-case signed plan
                    // file is not safe for concurrent writers (a known limit, reported).
                    {QStringLiteral("CAUSA_EXPORT_DIR=%1/p%2").arg(m_exports.path()).arg(p)}));
            if (ts.isPostgres()) {
                for (int waited = 0; gate.waiters(ts.store()) < kProcesses && waited < 3000;
                     ++waited)
                    QThread::msleep(20);
                queued = std::max(queued, gate.waiters(ts.store()));
            } else {
                QThread::msleep(1500);
            }
            gate.release();
            for (int p = 0; p < kProcesses; ++p) {
                const test::CliResult r = test::finishCli(*procs[size_t(p)]);
                QVERIFY2(r.exitCode == 0,
                         QByteArray("exit " + QByteArray::number(r.exitCode) + ": " + r.err + r.out)
                             .constData());
            }
        }
        qInfo("up to %d causa-cli processes were queued on the case's chain at once", queued);
        if (ts.isPostgres())
            QVERIFY2(queued >= 2,
                     "the processes never waited for each other: no contention was exercised");
        for (qint64 id : ids)
            QCOMPARE(actionstore::action(ts.store(), id)->state, ActionState::Succeeded);
        QCOMPARE(test::countAuditKind(ts.store(), caseId, QStringLiteral("action.approved")),
                 kProcesses * kRounds);
        const auto audit = test::runCli(
            ts.cliArgs() + QStringList{QStringLiteral("verify-audit"), QString::number(caseId)});
        QVERIFY2(audit.exitCode == 0, audit.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestAuditContention)
#include "tst_auditcontention.moc"
