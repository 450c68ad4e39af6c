// Approval rules (issue 18): the two-person rule compares normalised names, keeps the run's
// starter out of the approvers, is not bypassed by AutoRemediation, and each answer records the
// identity the store vouches for. Runs on SQLite and, as _pg, on PostgreSQL.
#include "import/importdispatcher.h"
#include "store/actionstore.h"
#include "store/playbookstore.h"
#include "testasserts.h"
#include "testutils.h"

#include <QSqlQuery>

#include <pwd.h>
#include <unistd.h>

using namespace causa;

namespace {

struct Fixture
{
    qint64 caseId = 0;
    qint64 runId = 0;
};

Fixture makeCase(CaseStore &store, const QString &startedBy)
{
    Fixture f;
    if (!ImportDispatcher(store).importFile(
            test::sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-incident.json")))
        return f;
    f.caseId = store.findCase(QStringLiteral("xdr"), QStringLiteral("4242")).value();
    auto tx = store.transaction([&](QSqlDatabase &db) -> Result<void> {
        PlaybookRunRecord run;
        run.caseId = f.caseId;
        run.playbookId = QStringLiteral("remote-psexec-lolbin");
        run.state = RunState::AwaitingApproval;
        run.startedBy = startedBy;
        auto id = playbookstore::insertRun(db, run);
        if (!id)
            return id.error();
        f.runId = id.value();
        return {};
    });
    if (!tx)
        qWarning("%s", qPrintable(tx.error().toString()));
    return f;
}

// One action of the run, proposed with `required` approvals; auto=true gives the automation's
// approval (AutoRemediation) instead of waiting for analysts.
qint64 propose(CaseStore &store, const Fixture &f, int required, bool automatic, const QString &key)
{
    qint64 id = 0;
    auto tx = store.transaction([&](QSqlDatabase &db) -> Result<void> {
        ActionRecord a;
        a.caseId = f.caseId;
        a.runId = f.runId;
        a.kind = QStringLiteral("block_ip");
        a.target = QStringLiteral("198.51.100.7");
        a.payload = {{"ip", "198.51.100.7"}};
        a.idempotencyKey = key;
        a.requiredApprovals = required;
        auto stored = actionstore::insert(db, a, nullptr);
        if (!stored)
            return stored.error();
        id = stored->id;
        return automatic ? actionstore::recordAutoApproval(db, stored.value(),
                                                           QStringLiteral("auto-remediation"))
                         : actionstore::markAwaiting(db, stored->id);
    });
    if (!tx)
        qWarning("%s", qPrintable(tx.error().toString()));
    return id;
}

QString osUser()
{
    const passwd *pw = getpwuid(geteuid());
    return pw ? QString::fromLocal8Bit(pw->pw_name) : QString();
}

} // namespace

class TestApprovalRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void namesAreNormalised_data()
    {
        QTest::addColumn<QString>("first");
        QTest::addColumn<QString>("second");
        QTest::addColumn<bool>("sameAnalyst");
        QTest::newRow("same name") << "carol"
                                   << "carol" << true;
        QTest::newRow("case differs") << "Carol"
                                      << "CAROL" << true;
        QTest::newRow("padded") << "carol"
                                << "  carol\t" << true;
        QTest::newRow("inner whitespace collapsed") << "carol smith"
                                                    << "carol \t smith" << true;
        QTest::newRow("fullwidth letters (NFKC)")
            << "carol" << QStringLiteral("\uFF43\uFF41\uFF52\uFF4F\uFF4C") << true;
        QTest::newRow("ligature (NFKC)") << "fiona" << QStringLiteral("\uFB01ona") << true;
        QTest::newRow("two analysts") << "carol"
                                      << "dave" << false;
    }
    void namesAreNormalised()
    {
        QFETCH(QString, first);
        QFETCH(QString, second);
        QFETCH(bool, sameAnalyst);
        test::TempStore ts;
        const Fixture f = makeCase(ts.store(), QStringLiteral("erin"));
        QVERIFY(f.runId > 0);
        const qint64 id = propose(ts.store(), f, 2, false, QStringLiteral("norm"));
        QVERIFY(actionstore::decide(ts.store(), id, first, true, {}).ok());
        auto r = actionstore::decide(ts.store(), id, second, true, {});
        if (sameAnalyst) {
            QVERIFY(!r.ok());
            QCOMPARE(r.error().code, QStringLiteral("duplicate-approver"));
            QCOMPARE(actionstore::action(ts.store(), id)->state, ActionState::AwaitingApproval);
            QCOMPARE(actionstore::action(ts.store(), id)->approvals.size(), size_t(1));
        } else {
            QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
            QCOMPARE(r->state, ActionState::Approved);
        }
    }

    void runStarterIsNotAnApprover_data()
    {
        QTest::addColumn<int>("required");
        QTest::addColumn<QString>("approver");
        QTest::addColumn<bool>("approve");
        QTest::addColumn<QString>("expectedError");
        QTest::newRow("starter approves, two-person rule") << 2 << "erin" << true << "own-run";
        QTest::newRow("starter in other case and width")
            << 2 << QStringLiteral(" \uFF25RIN ") << true << "own-run";
        QTest::newRow("starter may reject") << 2 << "erin" << false << "";
        QTest::newRow("starter alone, single approval") << 1 << "erin" << true << "";
        QTest::newRow("someone else") << 2 << "carol" << true << "";
    }
    void runStarterIsNotAnApprover()
    {
        QFETCH(int, required);
        QFETCH(QString, approver);
        QFETCH(bool, approve);
        QFETCH(QString, expectedError);
        test::TempStore ts;
        const Fixture f = makeCase(ts.store(), QStringLiteral("Erin"));
        const qint64 id = propose(ts.store(), f, required, false, QStringLiteral("starter"));
        auto r = actionstore::decide(ts.store(), id, approver, approve,
                                     approve ? QString() : QStringLiteral("not this host"));
        if (!expectedError.isEmpty()) {
            QVERIFY(!r.ok());
            QCOMPARE(r.error().code, expectedError);
            QVERIFY(r.error().message.contains(QStringLiteral("started the playbook run")));
            QVERIFY(actionstore::action(ts.store(), id)->approvals.empty());
        } else {
            QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        }
    }

    void autoRemediationGivesOnlyTheFirstApproval()
    {
        test::TempStore ts;
        const Fixture f = makeCase(ts.store(), QStringLiteral("erin"));
        // Without the two-person rule the automation approves on its own (unchanged).
        const qint64 single = propose(ts.store(), f, 1, true, QStringLiteral("auto-1"));
        QCOMPARE(actionstore::action(ts.store(), single)->state, ActionState::Approved);
        // With it, the automation's approval is the first; the action waits for a person.
        const qint64 two = propose(ts.store(), f, 2, true, QStringLiteral("auto-2"));
        auto a = actionstore::action(ts.store(), two);
        QCOMPARE(a->state, ActionState::AwaitingApproval);
        QCOMPARE(a->approvals.size(), size_t(1));
        QCOMPARE(a->approvals.front().approver, QStringLiteral("auto-remediation"));
        QVERIFY(!actionstore::claimForExecution(ts.store(), two, QStringLiteral("auto-remediation"),
                                                QStringLiteral("export"))
                     .value());
        // The run's starter still cannot be the second; another analyst can.
        QCOMPARE(
            actionstore::decide(ts.store(), two, QStringLiteral("erin"), true, {}).error().code,
            QStringLiteral("own-run"));
        auto done = actionstore::decide(ts.store(), two, QStringLiteral("carol"), true, {});
        QVERIFY(done.ok());
        QCOMPARE(done->state, ActionState::Approved);
    }

    void answerRecordsTheVouchedIdentity()
    {
        test::TempStore ts;
        const Fixture f = makeCase(ts.store(), QStringLiteral("erin"));
        const qint64 id = propose(ts.store(), f, 1, false, QStringLiteral("login"));
        auto r = actionstore::decide(ts.store(), id, QStringLiteral("whoever-I-type"), true, {});
        QVERIFY(r.ok());
        QString expected;
        if (ts.isPostgres()) {
            QSqlQuery q(ts.store().connection().value());
            QVERIFY(q.exec(QStringLiteral("SELECT session_user")) && q.next());
            expected = QStringLiteral("db:") + q.value(0).toString();
        } else {
            expected = QStringLiteral("os:") + osUser();
        }
        QCOMPARE(r->approvals.front().approver, QStringLiteral("whoever-I-type"));
        QCOMPARE(r->approvals.front().login, expected);
        QSqlQuery q(ts.store().connection().value());
        QVERIFY(q.exec(QStringLiteral(
                    "SELECT payload FROM audit_log WHERE kind = 'action.approved'")) &&
                q.next());
        QVERIFY2(q.value(0).toString().contains(expected), qPrintable(q.value(0).toString()));
    }
};

QTEST_GUILESS_MAIN(TestApprovalRules)
#include "tst_approvalrules.moc"
