// Approvals under concurrency: two analysts (two store handles, two threads, two connections)
// answer the same action at the same moment; exactly one answer wins and the chain stays intact.
#include "playbooktestutil.h"
#include "store/actionstore.h"
#include "store/auditlog.h"
#include "testasserts.h"
#include "testutils.h"

#include <barrier>
#include <latch>
#include <thread>

using namespace causa;

class TestApprovalRace : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstAnswerWins_data()
    {
        QTest::addColumn<bool>("firstApproves");
        QTest::addColumn<bool>("secondApproves");
        QTest::newRow("approve vs reject") << true << false;
        QTest::newRow("approve vs approve") << true << true;
        QTest::newRow("reject vs reject") << false << false;
    }
    void firstAnswerWins()
    {
        QFETCH(bool, firstApproves);
        QFETCH(bool, secondApproves);
        test::TempStore ts;
        const qint64 caseId = test::importSample(ts.store());
        QVERIFY(caseId > 0);
        constexpr int kActions = 25;
        std::vector<qint64> ids;
        auto tx = ts.store().transaction([&](QSqlDatabase &db) -> Result<void> {
            for (int i = 0; i < kActions; ++i) {
                ActionRecord a;
                a.caseId = caseId;
                a.kind = QStringLiteral("block_ip");
                a.target = QStringLiteral("203.0.113.%1").arg(i + 1);
                a.payload = {{"ip", a.target.toStdString()}};
                a.idempotencyKey = QStringLiteral("race-%1").arg(i);
                bool created = false;
                auto stored = actionstore::insert(db, a, &created);
                if (!stored)
                    return stored.error();
                if (auto r = actionstore::markAwaiting(db, stored->id); !r)
                    return r;
                ids.push_back(stored->id);
            }
            return {};
        });
        QVERIFY2(tx.ok(), tx.ok() ? "" : qPrintable(tx.error().toString()));

        // A second store handle on the same file: another analyst's application.
        auto other = CaseStore::open(StoreLocation::parse(ts.cliArgs().value(1)).value());
        QVERIFY(other.ok());

        struct Answer
        {
            bool ok = false;
            QString code;
            std::optional<ActionState> state;
        };
        std::vector<Answer> a1(kActions), a2(kActions);
        // Two long-lived threads (a connection belongs to its thread for its whole life) meet at
        // a barrier before each action, then answer it at the same moment.
        std::barrier sync(2);
        auto analyst = [&](CaseStore &store, const QString &who, bool approve,
                           std::vector<Answer> &out) {
            for (int i = 0; i < kActions; ++i) {
                sync.arrive_and_wait();
                auto r = actionstore::decide(store, ids[size_t(i)], who, approve,
                                             QStringLiteral("reason of %1").arg(who));
                out[size_t(i)].ok = r.ok();
                out[size_t(i)].code = r.ok() ? QString() : r.error().code;
                out[size_t(i)].state = r.ok() ? std::optional<ActionState>(r->state) : std::nullopt;
            }
        };
        std::thread t1(analyst, std::ref(ts.store()), QStringLiteral("alice"), firstApproves,
                       std::ref(a1));
        std::thread t2(analyst, std::ref(*other.value()), QStringLiteral("bob"), secondApproves,
                       std::ref(a2));
        t1.join();
        t2.join();
        for (int i = 0; i < kActions; ++i) {
            const Answer &x = a1[size_t(i)], &y = a2[size_t(i)];
            QVERIFY2(x.ok != y.ok,
                     qPrintable(QStringLiteral("action %1: %2/%3").arg(i).arg(x.ok).arg(y.ok)));
            const Answer &winner = x.ok ? x : y;
            const Answer &loser = x.ok ? y : x;
            QVERIFY2(loser.code == QLatin1String("not-awaiting") ||
                         loser.code == QLatin1String("conflict"),
                     qPrintable(loser.code));
            auto stored = actionstore::action(ts.store(), ids[size_t(i)]);
            QVERIFY(winner.state.has_value());
            QCOMPARE(stored->state, *winner.state);
            QCOMPARE(stored->approvals.size(), size_t(1));
            const bool winnerApproved = (x.ok ? firstApproves : secondApproves);
            QCOMPARE(stored->state, winnerApproved ? ActionState::Approved : ActionState::Rejected);
            QCOMPARE(stored->approvals.front().approver,
                     x.ok ? QStringLiteral("alice") : QStringLiteral("bob"));
        }
        auto v = audit::verify(ts.store().connection().value(), caseId);
        QVERIFY(v->intact);
        // One audit entry per winning answer, none for the losers.
        int decisions = 0;
        const auto all = audit::entries(ts.store().connection().value(), caseId);
        for (const AuditEntry &e : all.value())
            decisions += (e.kind == QLatin1String("action.approved") ||
                          e.kind == QLatin1String("action.rejected"))
                             ? 1
                             : 0;
        QCOMPARE(decisions, kActions);
    }

    void executionIsClaimedOnce()
    {
        test::TempStore ts;
        const qint64 caseId = test::importSample(ts.store());
        qint64 id = 0;
        QVERIFY(ts.store()
                    .transaction([&](QSqlDatabase &db) -> Result<void> {
                        ActionRecord a;
                        a.caseId = caseId;
                        a.kind = QStringLiteral("block_ip");
                        a.target = QStringLiteral("203.0.113.9");
                        a.idempotencyKey = QStringLiteral("claim");
                        auto s = actionstore::insert(db, a, nullptr);
                        if (!s)
                            return s.error();
                        id = s->id;
                        return actionstore::markAwaiting(db, id);
                    })
                    .ok());
        QVERIFY(actionstore::decide(ts.store(), id, QStringLiteral("alice"), true, {}).ok());
        auto other = CaseStore::open(StoreLocation::parse(ts.cliArgs().value(1)).value());
        QVERIFY(other.ok());
        std::latch go(2);
        bool c1 = false, c2 = false;
        std::thread t1([&] {
            go.arrive_and_wait();
            c1 = actionstore::claimForExecution(ts.store(), id, QStringLiteral("a"),
                                                QStringLiteral("x"))
                     .value();
        });
        std::thread t2([&] {
            go.arrive_and_wait();
            c2 = actionstore::claimForExecution(*other.value(), id, QStringLiteral("b"),
                                                QStringLiteral("x"))
                     .value();
        });
        t1.join();
        t2.join();
        QVERIFY(c1 != c2);
        QCOMPARE(actionstore::action(ts.store(), id)->state, ActionState::Executing);
        // The same idempotency key never makes a second action.
        QVERIFY(ts.store()
                    .transaction([&](QSqlDatabase &db) -> Result<void> {
                        ActionRecord again;
                        again.caseId = caseId;
                        again.kind = QStringLiteral("block_ip");
                        again.target = QStringLiteral("203.0.113.9");
                        again.idempotencyKey = QStringLiteral("claim");
                        bool created = true;
                        auto s = actionstore::insert(db, again, &created);
                        if (!s)
                            return s.error();
                        return (!created && s->id == id)
                                   ? Result<void>()
                                   : Result<void>(makeError(QStringLiteral("t"),
                                                            QStringLiteral("duplicated")));
                    })
                    .ok());
    }
};

QTEST_GUILESS_MAIN(TestApprovalRace)
#include "tst_approvalrace.moc"
