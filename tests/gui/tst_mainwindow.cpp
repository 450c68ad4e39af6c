// Main window smoke test (offscreen): sample case loads, queue and overview show it.
#include "guitestutils.h"
#include "import/importdispatcher.h"
#include "mainwindow.h"
#include "messagebar.h"
#include "panels/caseoverviewpanel.h"
#include "panels/casequeuepanel.h"
#include "casequeuemodel.h"
#include "alerttablemodel.h"
#include "services/workbenchservice.h"
#include "testutils.h"

#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>

using namespace causa;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyStoreOffersSample()
    {
        test::TempStore ts;
        WorkbenchService service(ts.shared());
        MainWindow w(&service);
        w.resize(1400, 860);
        w.show();
        QTRY_VERIFY(w.messageBar()->isVisible());
        QVERIFY(w.messageBar()->text().contains(QStringLiteral("sample case")));
        test::saveScreenshot(&w, QStringLiteral("mainwindow-empty"));
    }

    void showsSampleCase()
    {
        test::TempStore ts;
        WorkbenchService service(ts.shared());
        MainWindow w(&service);
        w.resize(1400, 860);
        w.show();
        QSignalSpy done(&service, &WorkbenchService::allImportsFinished);
        w.importFiles({test::sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-incident.json")});
        QVERIFY(done.wait(30000));
        QTRY_COMPARE(w.queuePanel()->model()->rowCount(), 1);
        QTRY_COMPARE(w.overviewPanel()->alertModel()->rowCount(), 2);
        QCOMPARE(w.currentCaseId(), ts.store().findCase(QStringLiteral("xdr"), QStringLiteral("4242")).value());
        w.queuePanel()->filterEdit()->setText(QStringLiteral("nothing-matches"));
        QCOMPARE(w.queuePanel()->view()->model()->rowCount(), 0);
        w.queuePanel()->filterEdit()->setText(QStringLiteral("fin-ws"));
        QCOMPARE(w.queuePanel()->view()->model()->rowCount(), 1);
        test::saveScreenshot(&w, QStringLiteral("mainwindow-sample"));
    }

    void badFileShowsErrorAndKeepsStore()
    {
        test::TempStore ts;
        QVERIFY(ImportDispatcher(ts.store()).importFile(test::sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-incident.json")).ok());
        WorkbenchService service(ts.shared());
        MainWindow w(&service);
        w.show();
        QTemporaryDir dir;
        QFile f(dir.path() + QStringLiteral("/broken.json"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"reply\": {\"alerts\": [ {\"alert_id\": \"1\"");
        f.close();
        QSignalSpy done(&service, &WorkbenchService::allImportsFinished);
        w.importFiles({f.fileName()});
        QVERIFY(done.wait(30000));
        QTRY_VERIFY(w.messageBar()->isVisible());
        QVERIFY(w.messageBar()->text().contains(QStringLiteral("broken.json")));
        QCOMPARE(ts.store().stats()->alerts, qint64(2));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
