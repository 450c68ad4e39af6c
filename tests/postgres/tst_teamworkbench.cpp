// The workbench on a team store (issue 9): it opens the store (PostgreSQL in
// tst_teamworkbench_pg), shows the queue with its Owner column, "Assign to me" assigns through
// WorkbenchService, and a stale assignment (another analyst changed the case meanwhile) is
// refused with a clear message instead of overwriting their change. Screenshots go to
// CAUSA_SCREENSHOT_DIR when set.
#include "casequeuemodel.h"
#include "guitestutils.h"
#include "import/importdispatcher.h"
#include "mainwindow.h"
#include "messagebar.h"
#include "panels/caseoverviewpanel.h"
#include "panels/casequeuepanel.h"
#include "services/workbenchservice.h"
#include "store/caseassignment.h"
#include "testutils.h"

#include <QAction>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>

using namespace causa;

class TestTeamWorkbench : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("causa-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_teamworkbench"));
        QSettings().setValue(QStringLiteral("analyst/name"), QStringLiteral("tester"));
    }
    void cleanupTestCase() { QSettings().remove(QStringLiteral("analyst/name")); }

    void assignFromTheQueue()
    {
        test::TempStore ts;
        const QString samples = test::sourceDir() + QStringLiteral("/resources/samples/");
        for (const char *f :
             {"fin-ws-042-incident.json", "fin-ws-042-events.jsonl", "fin-ws-042-iocs.csv"})
            QVERIFY(ImportDispatcher(ts.store()).importFile(samples + QLatin1String(f)).ok());
        const qint64 caseId =
            ts.store().findCase(QStringLiteral("xdr"), QStringLiteral("4242")).value();
        WorkbenchService service(ts.shared());
        MainWindow w(&service);
        w.resize(1400, 860);
        w.show();
        // The window title names the store (never a password).
        QVERIFY(w.windowTitle().contains(ts.isPostgres() ? QStringLiteral("postgresql://")
                                                         : QStringLiteral("cases.sqlite")));
        CaseQueuePanel *queue = w.queuePanel();
        QTRY_COMPARE(queue->model()->rowCount(), 1);
        QTRY_COMPARE(w.currentCaseId(), caseId);
        const QModelIndex owner = queue->model()->index(0, CaseQueueModel::OwnerColumn);
        QCOMPARE(owner.data().toString(), QStringLiteral("—"));
        QVERIFY(!queue->view()->isColumnHidden(CaseQueueModel::OwnerColumn));
        QVERIFY(queue->assignToMeAction()->isEnabled());
        QVERIFY(!queue->unassignAction()->isEnabled());

        QSignalSpy assigned(&service, &WorkbenchService::caseAssigned);
        queue->assignToMeAction()->trigger();
        QVERIFY(assigned.wait(30000));
        QTRY_COMPARE(queue->model()->index(0, CaseQueueModel::OwnerColumn).data().toString(),
                     QStringLiteral("tester"));
        QCOMPARE(ts.store().caseSummary(caseId)->assignee, QStringLiteral("tester"));
        // The overview shows the owner too.
        auto overviewShows = [&](const QString &text) {
            for (QLabel *l : w.overviewPanel()->findChildren<QLabel *>())
                if (l->text() == text)
                    return true;
            return false;
        };
        QTRY_VERIFY(overviewShows(QStringLiteral("tester")));
        QTRY_VERIFY(queue->unassignAction()->isEnabled());
        test::saveScreenshot(&w, ts.isPostgres() ? QStringLiteral("teamworkbench-pg")
                                                 : QStringLiteral("teamworkbench-sqlite"));

        // Another analyst takes the case from their own workbench; ours still shows "tester".
        auto other =
            caseassignment::assign(ts.store(), {caseId, QStringLiteral("mallory"),
                                                QStringLiteral("mallory"), std::nullopt, true});
        QVERIFY(other.ok());
        QSignalSpy failed(&service, &WorkbenchService::assignmentFailed);
        queue->unassignAction()->trigger();
        QVERIFY(failed.wait(30000));
        QCOMPARE(failed.first().at(1).toString(), QStringLiteral("conflict"));
        QTRY_VERIFY(w.messageBar()->isVisible());
        QVERIFY2(w.messageBar()->text().contains(QStringLiteral("mallory")),
                 qPrintable(w.messageBar()->text()));
        QCOMPARE(ts.store().caseSummary(caseId)->assignee, QStringLiteral("mallory"));
        // The queue reloads and now shows the real owner.
        QTRY_COMPARE(queue->model()->index(0, CaseQueueModel::OwnerColumn).data().toString(),
                     QStringLiteral("mallory"));
        test::saveScreenshot(&w, ts.isPostgres() ? QStringLiteral("teamworkbench-conflict-pg")
                                                 : QStringLiteral("teamworkbench-conflict-sqlite"));
    }
};

QTEST_MAIN(TestTeamWorkbench)
#include "tst_teamworkbench.moc"
