// Two causa-cli PROCESSES answer the same action at the same moment (SPEC §13, issue 9): one
// approves, one rejects. The test holds a lock both processes need, waits until both are
// queued behind it (observed in pg_stat_activity on PostgreSQL), then lets them go together.
// Exactly one wins, the loser gets a clear error naming the winner, the action's final state is
// the winner's, and verify-audit passes. Runs on SQLite and (tst_cli_approvalrace_pg) PostgreSQL.
#include "store/actionstore.h"
#include "teamtestutil.h"
#include "testasserts.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QThread>

using namespace causa;

class TestCliApprovalRace : public QObject
{
    Q_OBJECT

    QTemporaryDir m_exports;

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("CAUSA_EXPORT_KEY", "race-test-export-key-0123456789");
        qputenv("CAUSA_EXPORT_DIR", m_exports.path().toUtf8());
        qputenv("CAUSA_CONNECTOR", "export");
    }

    void approveAgainstRejectInTwoProcesses()
    {
        test::TempStore ts;
        const qint64 caseId = test::importSampleWithCli(ts);
        QVERIFY(caseId > 0);
        const int rounds = ts.isPostgres() ? 16 : 10;
        const std::vector<qint64> ids =
            test::proposeActions(ts.store(), caseId, rounds, QStringLiteral("cli-race"));
        QCOMPARE(int(ids.size()), rounds);
        const StoreLocation location = ts.store().location();

        int approveWins = 0, rejectWins = 0, lostAtUpdate = 0, lostAtRead = 0, bothQueued = 0;
        for (int i = 0; i < rounds; ++i) {
            const QString id = QString::number(ids[size_t(i)]);
            test::WriteGate gate(location, QStringLiteral("actions"), ids[size_t(i)]);
            QVERIFY(gate.holding());
            const QStringList approve =
                ts.cliArgs() +
                QStringList{QStringLiteral("approve"), id,
                            QStringLiteral("--by"),    QStringLiteral("alice"),
                            QStringLiteral("--note"),  QStringLiteral("host owner agrees")};
            const QStringList reject =
                ts.cliArgs() +
                QStringList{QStringLiteral("reject"), id,
                            QStringLiteral("--by"),   QStringLiteral("bob"),
                            QStringLiteral("--note"), QStringLiteral("production server")};
            // Alternate who starts first so neither side always queues first.
            auto first = test::startCli(i % 2 ? reject : approve);
            auto second = test::startCli(i % 2 ? approve : reject);
            QElapsedTimer waited;
            waited.start();
            if (ts.isPostgres()) {
                // Both processes are blocked on the gate's row lock: they will race for real.
                while (gate.waiters(ts.store()) < 2 && waited.elapsed() < 60000 &&
                       first->state() != QProcess::NotRunning &&
                       second->state() != QProcess::NotRunning)
                    QThread::msleep(20);
                bothQueued += gate.waiters(ts.store()) >= 2 ? 1 : 0;
            } else {
                // SQLite: waiting writers are not observable; give both time to reach BEGIN IMMEDIATE.
                QThread::msleep(1500);
            }
            gate.release();
            const test::CliResult r1 = test::finishCli(*first);
            const test::CliResult r2 = test::finishCli(*second);
            const test::CliResult &ra = i % 2 ? r2 : r1; // approve
            const test::CliResult &rr = i % 2 ? r1 : r2; // reject
            QVERIFY2((ra.exitCode == 0) != (rr.exitCode == 0),
                     qPrintable(QStringLiteral("round %1: approve %2 (%3), reject %4 (%5)")
                                    .arg(i)
                                    .arg(ra.exitCode)
                                    .arg(QString::fromUtf8(ra.err))
                                    .arg(rr.exitCode)
                                    .arg(QString::fromUtf8(rr.err))));
            const bool approved = ra.exitCode == 0;
            const test::CliResult &loser = approved ? rr : ra;
            QCOMPARE(loser.exitCode, 1);
            const QString why = QString::fromUtf8(loser.err);
            const bool atUpdate = why.contains(QLatin1String("the first answer wins"));
            const bool atRead = why.contains(QLatin1String("not awaiting approval"));
            QVERIFY2(atUpdate || atRead, qPrintable(why));
            // The loser is told who won.
            QVERIFY2(why.contains(approved ? QLatin1String("alice (approve)")
                                           : QLatin1String("bob (reject)")),
                     qPrintable(why));
            lostAtUpdate += atUpdate ? 1 : 0;
            lostAtRead += atRead ? 1 : 0;

            auto stored = actionstore::action(ts.store(), ids[size_t(i)]);
            QVERIFY(stored.ok());
            // An approved block_ip is carried out by the export connector straight away.
            QCOMPARE(stored->state, approved ? ActionState::Succeeded : ActionState::Rejected);
            QCOMPARE(stored->approvals.size(), size_t(1));
            QCOMPARE(stored->approvals.front().approver,
                     approved ? QStringLiteral("alice") : QStringLiteral("bob"));
            QCOMPARE(stored->approvals.front().decision,
                     approved ? QStringLiteral("approve") : QStringLiteral("reject"));
            (approved ? approveWins : rejectWins) += 1;
        }
        qInfo(
            "%d rounds: approve won %d, reject won %d; loser stopped at the conditional update %d, at the "
            "state check %d; both processes queued on the lock before release: %d",
            rounds, approveWins, rejectWins, lostAtUpdate, lostAtRead, bothQueued);
        if (ts.isPostgres())
            QVERIFY2(bothQueued > 0,
                     "the processes never met at the gate: the race was not exercised");

        const auto audit = test::runCli(
            ts.cliArgs() + QStringList{QStringLiteral("verify-audit"), QString::number(caseId)});
        QVERIFY2(audit.exitCode == 0, audit.out.constData());
        QVERIFY(audit.out.contains("intact"));
    }
};

QTEST_GUILESS_MAIN(TestCliApprovalRace)
#include "tst_cli_approvalrace.moc"
