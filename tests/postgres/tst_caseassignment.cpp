// Case assignment for a team (SPEC §14): assign/unassign in the store and through causa-cli,
// audited, with optimistic locking; two causa-cli processes grabbing the same case at the same
// moment: one gets it, the other a clear conflict naming the new owner. SQLite and PostgreSQL.
#include "store/auditlog.h"
#include "store/caseassignment.h"
#include "teamtestutil.h"
#include "testasserts.h"

#include <QThread>

#include <nlohmann/json.hpp>

using namespace causa;

class TestCaseAssignment : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void assignRules()
    {
        test::TempStore ts;
        const qint64 caseId = test::importSampleWithCli(ts);
        QVERIFY(caseId > 0);
        const int v0 = ts.store().caseSummary(caseId)->rowVersion;

        auto r = caseassignment::assign(
            ts.store(), {caseId, QStringLiteral("alice"), QStringLiteral("lead"), v0, false});
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().toString()));
        QVERIFY(r->changed);
        QCOMPARE(r->summary.assignee, QStringLiteral("alice"));
        QCOMPARE(r->summary.rowVersion, v0 + 1);
        QCOMPARE(r->previous, QString());

        // Same owner again: nothing changes, nothing is audited.
        r = caseassignment::assign(ts.store(), {caseId, QStringLiteral("alice"),
                                                QStringLiteral("alice"), std::nullopt, false});
        QVERIFY(r.ok());
        QVERIFY(!r->changed);

        // Someone else's case is not taken silently.
        r = caseassignment::assign(ts.store(), {caseId, QStringLiteral("bob"),
                                                QStringLiteral("bob"), std::nullopt, false});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("conflict"));
        QVERIFY2(r.error().message.contains(QLatin1String("already assigned to alice")),
                 qPrintable(r.error().message));

        // The version the analyst saw is stale (alice's assignment bumped it): conflict.
        r = caseassignment::assign(
            ts.store(), {caseId, QStringLiteral("bob"), QStringLiteral("bob"), v0, true});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("conflict"));
        QVERIFY2(r.error().message.contains(QLatin1String("since you loaded it")),
                 qPrintable(r.error().message));

        r = caseassignment::assign(
            ts.store(), {caseId, QStringLiteral("bob"), QStringLiteral("lead"), v0 + 1, true});
        QVERIFY(r.ok());
        QCOMPARE(r->previous, QStringLiteral("alice"));
        r = caseassignment::assign(ts.store(),
                                   {caseId, QString(), QStringLiteral("lead"), std::nullopt, true});
        QVERIFY(r.ok());
        QCOMPARE(r->summary.assignee, QString());

        // Hostile names: multi-line or huge are refused, markup is kept as text.
        QCOMPARE(caseassignment::assign(ts.store(), {caseId, QStringLiteral("a\nb"),
                                                     QStringLiteral("lead"), std::nullopt, true})
                     .error()
                     .code,
                 QStringLiteral("usage"));
        QCOMPARE(caseassignment::assign(ts.store(), {caseId, QString(300, QLatin1Char('x')),
                                                     QStringLiteral("lead"), std::nullopt, true})
                     .error()
                     .code,
                 QStringLiteral("usage"));
        QCOMPARE(caseassignment::assign(
                     ts.store(), {caseId, QStringLiteral("x"), QString(), std::nullopt, true})
                     .error()
                     .code,
                 QStringLiteral("usage"));
        QCOMPARE(caseassignment::assign(ts.store(), {99999, QStringLiteral("x"),
                                                     QStringLiteral("lead"), std::nullopt, true})
                     .error()
                     .code,
                 QStringLiteral("no-case"));
        r = caseassignment::assign(ts.store(), {caseId, QStringLiteral("<b>eve</b>"),
                                                QStringLiteral("lead"), std::nullopt, true});
        QVERIFY(r.ok());
        QCOMPARE(ts.store().caseSummary(caseId)->assignee, QStringLiteral("<b>eve</b>"));

        QCOMPARE(test::countAuditKind(ts.store(), caseId, QStringLiteral("case.assigned")), 3);
        QCOMPARE(test::countAuditKind(ts.store(), caseId, QStringLiteral("case.unassigned")), 1);
        QVERIFY(audit::verify(ts.store().connection().value(), caseId)->intact);
    }

    void cli()
    {
        test::TempStore ts;
        const qint64 caseId = test::importSampleWithCli(ts);
        QVERIFY(caseId > 0);
        auto run = [&](const QStringList &args) { return test::runCli(ts.cliArgs() + args); };
        auto r = run({QStringLiteral("assign"), QStringLiteral("xdr:4242"), QStringLiteral("carol"),
                      QStringLiteral("--by"), QStringLiteral("lead")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("assigned to carol (was: -)"));
        r = run({QStringLiteral("cases")});
        QVERIFY(r.out.contains("ASSIGNEE") && r.out.contains("carol"));
        r = run({QStringLiteral("cases"), QStringLiteral("--json")});
        const auto cases = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(QString::fromStdString(cases[0]["assignee"].get<std::string>()),
                 QStringLiteral("carol"));
        const int version = cases[0]["row_version"].get<int>();
        r = run({QStringLiteral("show"), QString::number(caseId)});
        QVERIFY(r.out.contains("assignee: carol"));

        r = run({QStringLiteral("assign"), QString::number(caseId), QStringLiteral("dave")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("already assigned to carol"), r.err.constData());
        r = run({QStringLiteral("assign"), QString::number(caseId), QStringLiteral("dave"),
                 QStringLiteral("--force"), QStringLiteral("--if-version"),
                 QString::number(version - 1)});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("changed by someone else"), r.err.constData());
        r = run({QStringLiteral("assign"), QString::number(caseId), QStringLiteral("dave"),
                 QStringLiteral("--force"), QStringLiteral("--if-version"),
                 QString::number(version), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(QString::fromStdString(j["previous_assignee"].get<std::string>()),
                 QStringLiteral("carol"));
        QCOMPARE(j["row_version"].get<int>(), version + 1);
        r = run({QStringLiteral("unassign"), QString::number(caseId)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(ts.store().caseSummary(caseId)->assignee, QString());

        for (const QStringList &bad :
             {QStringList{QStringLiteral("assign")},
              QStringList{QStringLiteral("assign"), QStringLiteral("1")},
              QStringList{QStringLiteral("assign"), QStringLiteral("1"), QStringLiteral("x"),
                          QStringLiteral("--if-version"), QStringLiteral("abc")},
              QStringList{QStringLiteral("unassign")}})
            QCOMPARE(run(bad).exitCode, 2);
        QCOMPARE(run({QStringLiteral("assign"), QStringLiteral("xdr:nope"), QStringLiteral("x")})
                     .exitCode,
                 1);
        QCOMPARE(run({QStringLiteral("verify-audit"), QString::number(caseId)}).exitCode, 0);
    }

    void twoProcessesAssignAtOnce()
    {
        test::TempStore ts;
        const qint64 caseId = test::importSampleWithCli(ts);
        QVERIFY(caseId > 0);
        const int rounds = 6;
        int aliceWins = 0, bobWins = 0, queued = 0;
        for (int i = 0; i < rounds; ++i) {
            test::WriteGate gate(ts.store().location(), QStringLiteral("cases"), caseId);
            QVERIFY(gate.holding());
            const QString id = QString::number(caseId);
            auto a = test::startCli(
                ts.cliArgs() + QStringList{QStringLiteral("assign"), id, QStringLiteral("alice"),
                                           QStringLiteral("--by"), QStringLiteral("alice")});
            auto b = test::startCli(ts.cliArgs() +
                                    QStringList{QStringLiteral("assign"), id, QStringLiteral("bob"),
                                                QStringLiteral("--by"), QStringLiteral("bob")});
            if (ts.isPostgres()) {
                for (int w = 0; gate.waiters(ts.store()) < 2 && w < 3000; ++w)
                    QThread::msleep(20);
                queued += gate.waiters(ts.store()) >= 2 ? 1 : 0;
            } else {
                QThread::msleep(1500);
            }
            gate.release();
            const test::CliResult ra = test::finishCli(*a), rb = test::finishCli(*b);
            QVERIFY2((ra.exitCode == 0) != (rb.exitCode == 0),
                     QByteArray(ra.err + " / " + rb.err).constData());
            const bool alice = ra.exitCode == 0;
            const test::CliResult &loser = alice ? rb : ra;
            QCOMPARE(loser.exitCode, 1);
            // The loser learns who has the case now.
            QVERIFY2(loser.err.contains(alice ? "assigned to alice" : "assigned to bob"),
                     loser.err.constData());
            QCOMPARE(ts.store().caseSummary(caseId)->assignee,
                     alice ? QStringLiteral("alice") : QStringLiteral("bob"));
            (alice ? aliceWins : bobWins) += 1;
            QCOMPARE(
                test::runCli(ts.cliArgs() + QStringList{QStringLiteral("unassign"), id}).exitCode,
                0);
        }
        qInfo("%d rounds: alice won %d, bob won %d; both queued on the case row before release: %d",
              rounds, aliceWins, bobWins, queued);
        if (ts.isPostgres())
            QVERIFY(queued > 0);
        QCOMPARE(test::countAuditKind(ts.store(), caseId, QStringLiteral("case.assigned")), rounds);
        QCOMPARE(test::runCli(ts.cliArgs() +
                              QStringList{QStringLiteral("verify-audit"), QString::number(caseId)})
                     .exitCode,
                 0);
    }
};

QTEST_GUILESS_MAIN(TestCaseAssignment)
#include "tst_caseassignment.moc"
