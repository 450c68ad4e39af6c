// Main window smoke test (offscreen): sample case loads, queue and overview show it.
#include "guitestutils.h"
#include "import/importdispatcher.h"
#include "mainwindow.h"
#include "messagebar.h"
#include "commandpalette.h"
#include "panels/notespanel.h"
#include "theme.h"
#include "panels/caseoverviewpanel.h"
#include "panels/casequeuepanel.h"
#include "casequeuemodel.h"
#include "alerttablemodel.h"
#include "services/workbenchservice.h"
#include "testutils.h"
#include "store/auditlog.h"

#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTextBrowser>
#include <QAction>
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
        QTRY_COMPARE(w.queuePanel()->view()->model()->rowCount(), 0);
        w.queuePanel()->filterEdit()->setText(QStringLiteral("fin-ws svc_backup"));
        QTRY_COMPARE(w.queuePanel()->view()->model()->rowCount(), 1);
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

    void notesAreLiteralAndAudited()
    {
        test::TempStore ts;
        QVERIFY(ImportDispatcher(ts.store()).importFile(test::sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-incident.json")).ok());
        WorkbenchService service(ts.shared());
        MainWindow w(&service);
        w.resize(1400, 860);
        w.show();
        QTRY_VERIFY(w.currentCaseId() > 0);
        auto *notes = w.findChild<NotesPanel *>();
        QVERIFY(notes);
        w.casePages()->setCurrentWidget(notes);
        QTRY_VERIFY(notes->editor()->isEnabled());
        notes->editor()->setPlainText(QStringLiteral("Contained **WKS-ADMIN-07** source. <img src=x onerror=alert(1)> <b>raw</b>"));
        notes->findChild<QPushButton *>()->click();
        QTRY_VERIFY(notes->history()->toPlainText().contains(QStringLiteral("WKS-ADMIN-07")));
        const QString shown = notes->history()->toPlainText();
        QVERIFY2(shown.contains(QStringLiteral("<b>raw</b>")), qPrintable(shown));
        QVERIFY(shown.contains(QStringLiteral("<img src=x")));
        auto v = audit::verify(ts.store().connection().value(), w.currentCaseId());
        QVERIFY(v.ok() && v->intact && v->entries == 2);
        test::saveScreenshot(&w, QStringLiteral("mainwindow-notes"));
    }

    void paletteRunsCommands()
    {
        QCOMPARE(CommandPalette::matchScore(QStringLiteral("Reload"), QStringLiteral("rel")), 1000);
        QVERIFY(CommandPalette::matchScore(QStringLiteral("Load the sample case"), QStringLiteral("lsc")) > 0);
        QCOMPARE(CommandPalette::matchScore(QStringLiteral("Reload"), QStringLiteral("xyz")), -1);
        test::TempStore ts;
        WorkbenchService service(ts.shared());
        MainWindow w(&service);
        w.show();
        QAction *reload = nullptr;
        for (QAction *a : w.commands())
            if (a->text().remove(QLatin1Char('&')) == QLatin1String("Reload"))
                reload = a;
        QVERIFY(reload);
        QSignalSpy triggered(reload, &QAction::triggered);
        CommandPalette palette(w.commands(), &w);
        palette.show();
        palette.input()->setText(QStringLiteral("reloa"));
        QVERIFY(palette.list()->count() >= 1);
        QTest::keyClick(palette.input(), Qt::Key_Return);
        QCOMPARE(triggered.count(), 1);
    }

    void darkTheme()
    {
        test::TempStore ts;
        QVERIFY(ImportDispatcher(ts.store()).importFile(test::sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-incident.json")).ok());
        QVERIFY(applyTheme(Theme::Dark));
        WorkbenchService service(ts.shared());
        MainWindow w(&service);
        w.resize(1400, 860);
        w.show();
        QTRY_COMPARE(w.overviewPanel()->alertModel()->rowCount(), 2);
        QVERIFY(w.palette().color(QPalette::Window).lightness() < 100);
        test::saveScreenshot(&w, QStringLiteral("mainwindow-dark"));
        applyTheme(Theme::Light);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
