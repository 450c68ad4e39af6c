// Settings dialog, saved views, recent stores and the export dialog/service, offscreen with
// real widgets and a real store; screenshots for review when CAUSA_SCREENSHOT_DIR is set.
#include "casequeuemodel.h"
#include "dialogs/exportdialog.h"
#include "dialogs/settingsdialog.h"
#include "guitestutils.h"
#include "import/importdispatcher.h"
#include "mainwindow.h"
#include "messagebar.h"
#include "panels/casequeuepanel.h"
#include "panels/playbookpanel.h"
#include "savedviews.h"
#include "services/reportexportservice.h"
#include "services/workbenchservice.h"
#include "testutils.h"
#include "theme.h"
#include "workbench.h"
#include "workbenchactions.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QtTest>

using namespace causa;

namespace {

const QString kSample = QStringLiteral("/resources/samples/fin-ws-042-incident.json");

QString shotSuffix()
{
    // Screenshots are taken at several QT_SCALE_FACTOR values; keep them apart.
    const QString scale = qEnvironmentVariable("QT_SCALE_FACTOR");
    return scale.isEmpty() ? QString() : QStringLiteral("@") + scale;
}

} // namespace

class TestWorkbenchSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("causa-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_workbenchsettings"));
    }
    void init() { QSettings().clear(); }

    void settingsDialogSavesTeamAndUserSettings()
    {
        test::TempStore ts;
        Workbench wb(ts.shared());
        MainWindow *w = wb.window();
        w->resize(1400, 860);
        w->show();
        WorkbenchActions *actions = w->workbenchActions();
        QSignalSpy changed(actions, &WorkbenchActions::settingsChanged);
        QVERIFY(changed.wait(10000)); // the initial load from the store
        QCOMPARE(actions->settingsAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Comma));
        changed.clear();

        bool seen = false;
        QTimer::singleShot(0, this, [&] {
            auto *d = qobject_cast<SettingsDialog *>(QApplication::activeModalWidget());
            QVERIFY(d);
            seen = true;
            d->resize(d->sizeHint());
            for (int i = 0; i < d->tabs()->count(); ++i) {
                d->tabs()->setCurrentIndex(i);
                test::saveScreenshot(d, QStringLiteral("settings-%1%2").arg(i).arg(shotSuffix()));
            }
            d->tabs()->setCurrentIndex(0);
            d->analystEdit()->clear();
            QTest::keyClicks(d->analystEdit(), QStringLiteral("bob <b>"));
            d->tabs()->setCurrentIndex(1); // Playbook
            // A bad duration blocks OK and says why; fixing it re-enables OK.
            auto *window =
                qobject_cast<QLineEdit *>(d->inputEditor(QStringLiteral("RelatedAlertsWindow")));
            QVERIFY(window);
            window->selectAll();
            QTest::keyClicks(window, QStringLiteral("soon"));
            QVERIFY(!d->okButton()->isEnabled());
            window->selectAll();
            QTest::keyClicks(window, QStringLiteral("90m"));
            QVERIFY(d->okButton()->isEnabled());
            auto *twoPerson =
                qobject_cast<QCheckBox *>(d->inputEditor(QStringLiteral("TwoPersonRule")));
            QVERIFY(twoPerson);
            QTest::mouseClick(twoPerson, Qt::LeftButton, {}, QPoint(4, twoPerson->height() / 2));
            QVERIFY(twoPerson->isChecked());
            d->tabs()->setCurrentIndex(2); // Enrichment
            QTest::mouseClick(d->offlineCheck(), Qt::LeftButton, {},
                              QPoint(4, d->offlineCheck()->height() / 2));
            QVERIFY(d->offlineCheck()->isChecked());
            d->tlpCombo()->setCurrentIndex(d->tlpCombo()->findData(QStringLiteral("GREEN")));
            d->connectorCombo()->setCurrentIndex(
                d->connectorCombo()->findData(QStringLiteral("xdr")));
            QTest::mouseClick(d->okButton(), Qt::LeftButton);
        });
        actions->settingsAction()->trigger();
        QVERIFY(seen);
        QVERIFY(changed.wait(10000)); // saved on the writer thread, then applied
        auto stored = WorkbenchSettings::load(ts.store());
        QVERIFY(stored.ok());
        QCOMPARE(stored->playbookInputs.at(QStringLiteral("RelatedAlertsWindow")),
                 QStringLiteral("90m"));
        QCOMPARE(stored->playbookInputs.at(QStringLiteral("TwoPersonRule")),
                 QStringLiteral("true"));
        // Values left at the playbook's defaults are not pinned in the store.
        QVERIFY(!stored->playbookInputs.count(QStringLiteral("MinimumScoreToBlock")));
        QVERIFY(stored->offline);
        QCOMPARE(stored->reportTlp, QStringLiteral("GREEN"));
        QCOMPARE(stored->connector, QStringLiteral("xdr"));
        // The analyst name is per user (QSettings), not in the shared store.
        QCOMPARE(QSettings().value(QStringLiteral("analyst/name")).toString(),
                 QStringLiteral("bob <b>"));
        QCOMPARE(w->analystName(), QStringLiteral("bob <b>"));
        // The playbook page starts new runs with the new defaults.
        const QStringList inputs = wb.playbook()->inputAssignments();
        QVERIFY2(inputs.contains(QStringLiteral("TwoPersonRule=true")),
                 qPrintable(inputs.join(QLatin1Char(' '))));
        QVERIFY(inputs.contains(QStringLiteral("RelatedAlertsWindow=90m")));

        // A second workbench on the same store (another analyst) sees the team settings.
        Workbench other(ts.shared());
        QSignalSpy otherLoaded(other.window()->workbenchActions(),
                               &WorkbenchActions::settingsChanged);
        QVERIFY(otherLoaded.wait(10000));
        QCOMPARE(other.window()->workbenchActions()->settings(), stored.value());
    }

    void tenantsButtonIsThePlugInPoint()
    {
        SettingsDialog d{WorkbenchSettings()};
        auto buttons = d.findChildren<QPushButton *>();
        QPushButton *tenants = nullptr;
        for (QPushButton *b : buttons)
            if (b->text() == QStringLiteral("XDR tenants…"))
                tenants = b;
        QVERIFY(tenants);
        QVERIFY(!tenants->isEnabled()); // nothing to open yet
        int opened = 0;
        d.setTenantsHandler([&](QWidget *parent) {
            QCOMPARE(parent, &d);
            ++opened;
        });
        QVERIFY(tenants->isEnabled());
        d.show();
        d.tabs()->setCurrentIndex(d.tabs()->count() - 1);
        QTest::mouseClick(tenants, Qt::LeftButton);
        QCOMPARE(opened, 1);
    }

    void savedViewsPersistPerUser()
    {
        test::TempStore ts;
        QVERIFY(ImportDispatcher(ts.store()).importFile(test::sourceDir() + kSample).ok());
        {
            WorkbenchService service(ts.shared());
            CaseQueuePanel panel(&service);
            panel.show();
            panel.reload();
            QTRY_COMPARE(panel.model()->rowCount(), 1);
            QCOMPARE(panel.viewCombo()->count(), 1); // "All cases"
            QTest::keyClicks(panel.filterEdit(), QStringLiteral("no-such-host"));
            QTRY_COMPARE(panel.model()->rowCount(), 0);
            panel.view()->sortByColumn(CaseQueueModel::TitleColumn, Qt::AscendingOrder);
            QTRY_COMPARE(panel.filter().sortKey, QStringLiteral("title"));
            panel.saveCurrentView(QStringLiteral("Nothing"));
            panel.saveCurrentView(QStringLiteral("nothing")); // same name, any case: replaced
            QCOMPARE(panel.viewCombo()->count(), 2);
        }
        // A new panel (next start, here on another store: views are per user) lists the view;
        // picking it applies filter and sort.
        test::TempStore other;
        QVERIFY(ImportDispatcher(other.store()).importFile(test::sourceDir() + kSample).ok());
        WorkbenchService service(other.shared());
        CaseQueuePanel panel(&service);
        panel.show();
        panel.reload();
        QTRY_COMPARE(panel.model()->rowCount(), 1);
        QCOMPARE(panel.viewCombo()->count(), 2);
        QCOMPARE(panel.viewCombo()->itemText(1), QStringLiteral("nothing"));
        panel.viewCombo()->setCurrentIndex(1);
        Q_EMIT panel.viewCombo()->activated(1);
        QTRY_COMPARE(panel.model()->rowCount(), 0);
        QCOMPARE(panel.filterEdit()->text(), QStringLiteral("no-such-host"));
        QCOMPARE(panel.filter().sortKey, QStringLiteral("title"));
        QVERIFY(!panel.filter().descending);
        QCOMPARE(panel.view()->horizontalHeader()->sortIndicatorSection(),
                 int(CaseQueueModel::TitleColumn));
        // "All cases" clears the filter again.
        Q_EMIT panel.viewCombo()->activated(0);
        QTRY_COMPARE(panel.model()->rowCount(), 1);
        savedviews::remove(QStringLiteral("NOTHING"));
        QVERIFY(savedviews::load().empty());
    }

    void recentStoresAndOpenStore()
    {
        test::TempStore a;
        QTemporaryDir dir;
        const QString second = dir.filePath(QStringLiteral("second.sqlite"));
        auto wb = Workbench::open(second);
        QVERIFY2(wb.ok(), wb.ok() ? "" : qPrintable(wb.error().toString()));
        QVERIFY(QFile::exists(second));
        auto first = Workbench::open(a.path());
        QVERIFY(first.ok());
        QCOMPARE(recentstores::load(), QStringList({a.path(), second}));
        QVERIFY(Workbench::open(second).ok()); // reopened: moves to the front, no duplicate
        QCOMPARE(recentstores::load(), QStringList({second, a.path()}));
        for (int i = 0; i < 12; ++i)
            recentstores::add(QStringLiteral("/tmp/store-%1.sqlite").arg(i));
        QCOMPARE(recentstores::load().size(), recentstores::kMax);
        // A bad location never reaches the recent list.
        QVERIFY(!Workbench::open(QStringLiteral("postgresql://")).ok());
        QVERIFY(!recentstores::load().contains(QStringLiteral("postgresql://")));

        // File → Recent stores lists them; picking one asks the app to switch.
        MainWindow *w = first.value()->window();
        QMenu *recent = nullptr;
        for (QMenu *m : w->findChildren<QMenu *>())
            if (m->title().remove(QLatin1Char('&')) == QLatin1String("Recent stores"))
                recent = m;
        QVERIFY(recent);
        Q_EMIT recent->aboutToShow();
        QCOMPARE(recent->actions().size(), recentstores::kMax);
        QSignalSpy requested(first.value().get(), &Workbench::openStoreRequested);
        recent->actions().first()->trigger();
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.first().at(0).toString(), recentstores::load().first());
    }

    void exportDialogChecksTarget()
    {
        QTemporaryDir dir;
        QSettings().setValue(QStringLiteral("export/dir"), dir.path());
        ExportDialog d(7, QStringLiteral("<h1>title</h1>"), ReportFormat::Html, QString(),
                       QStringLiteral("AMBER"), QStringLiteral("GREEN"));
        d.show();
        test::saveScreenshot(&d, QStringLiteral("export-dialog%1").arg(shotSuffix()));
        QCOMPARE(d.pathEdit()->text(),
                 QDir(dir.path()).filePath(QStringLiteral("case-7-report.html")));
        QVERIFY(!d.pageSizeCombo()->isEnabled());           // page size is a PDF matter
        QCOMPARE(d.request().tlp, QStringLiteral("AMBER")); // the case has none: the team default
        QCOMPARE(d.request().pap, QStringLiteral("GREEN"));
        d.formatCombo()->setCurrentIndex(d.formatCombo()->findData(int(ReportFormat::Pdf)));
        QVERIFY(d.pathEdit()->text().endsWith(QStringLiteral("case-7-report.pdf")));
        QVERIFY(d.pageSizeCombo()->isEnabled());
        d.formatCombo()->setCurrentIndex(d.formatCombo()->findData(int(ReportFormat::Stix)));
        QVERIFY(d.pathEdit()->text().endsWith(QStringLiteral("case-7-report.stix.json")));
        d.pathEdit()->setText(dir.filePath(QStringLiteral("missing/folder/x.json")));
        QVERIFY(!d.exportButton()->isEnabled());
        d.pathEdit()->clear();
        QVERIFY(!d.exportButton()->isEnabled());
        d.pathEdit()->setText(dir.filePath(QStringLiteral("ok.json")));
        QVERIFY(d.exportButton()->isEnabled());
        // The case's own marking wins over the team default.
        ExportDialog red(7, QStringLiteral("t"), ReportFormat::Pdf, QStringLiteral("RED"),
                         QStringLiteral("AMBER"), QStringLiteral("AMBER"));
        QCOMPARE(red.request().tlp, QStringLiteral("RED"));
    }

    void exportServiceFormatsMarkingsAndFailures_data()
    {
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("marker");
        QTest::newRow("html") << int(ReportFormat::Html) << QStringLiteral("TLP:GREEN");
        QTest::newRow("json") << int(ReportFormat::Json) << QStringLiteral("\"causa-report\"");
        QTest::newRow("csv") << int(ReportFormat::Csv) << QStringLiteral("type,value,");
        QTest::newRow("stix") << int(ReportFormat::Stix)
                              << QStringLiteral("\"spec_version\": \"2.1\"");
    }
    void exportServiceFormatsMarkingsAndFailures()
    {
        QFETCH(int, format);
        QFETCH(QString, marker);
        test::TempStore ts;
        QVERIFY(ImportDispatcher(ts.store()).importFile(test::sourceDir() + kSample).ok());
        const qint64 caseId = ts.store().cases()->front().id;
        QTemporaryDir dir;
        ReportExportService service(ts.shared());
        QSignalSpy done(&service, &ReportExportService::finished);
        QSignalSpy progress(&service, &ReportExportService::progress);
        ReportExportRequest r;
        r.caseId = caseId;
        r.format = ReportFormat(format);
        r.path = dir.filePath(QStringLiteral("out.") + reportFormatSuffix(r.format));
        r.tlp = QStringLiteral("GREEN");
        const quint64 job = service.exportReport(r);
        QVERIFY(job > 0);
        QCOMPARE(service.exportReport(r), quint64(0)); // one at a time
        QVERIFY(done.wait(30000));
        QCOMPARE(done.first().at(0).toULongLong(), job);
        QVERIFY(progress.count() >= 3);
        QFile f(r.path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(f.readAll());
        QVERIFY2(text.contains(marker), qPrintable(text.left(400)));
        QCOMPARE(done.first().at(1).value<ReportExportResult>().bytes, f.size());
    }

    void exportFailuresWriteNothing()
    {
        test::TempStore ts;
        QVERIFY(ImportDispatcher(ts.store()).importFile(test::sourceDir() + kSample).ok());
        const qint64 caseId = ts.store().cases()->front().id;
        QTemporaryDir dir;
        ReportExportRequest r;
        r.caseId = caseId;
        r.format = ReportFormat::Pdf;
        r.path = dir.filePath(QStringLiteral("x.pdf"));
        // No painter (a core-only build): a clear error, no file.
        auto noPainter = runReportExport(ts.store(), r, {});
        QVERIFY(!noPainter.ok());
        QCOMPARE(noPainter.error().code, QStringLiteral("no-pdf"));
        // A painter that fails half-way leaves neither the file nor its temporary.
        auto failing = runReportExport(
            ts.store(), r, [](const ReportDocument &, const QString &path, bool) -> Result<int> {
                QFile f(path);
                (void)f.open(QIODevice::WriteOnly);
                f.write("%PDF-1.4 half");
                return makeError(QStringLiteral("paint"), QStringLiteral("out of paper"));
            });
        QVERIFY(!failing.ok());
        QVERIFY(!QFile::exists(r.path));
        QVERIFY(!QFile::exists(r.path + QStringLiteral(".part")));
        // Cancelled before writing: nothing written.
        std::atomic_bool cancel{true};
        r.format = ReportFormat::Html;
        r.path = dir.filePath(QStringLiteral("x.html"));
        auto cancelled = runReportExport(ts.store(), r, {}, {}, &cancel);
        QCOMPARE(cancelled.error().code, QStringLiteral("cancelled"));
        QVERIFY(!QFile::exists(r.path));
        // An unknown case and an unwritable target are errors that name what failed.
        r.caseId = 999999;
        QVERIFY(!runReportExport(ts.store(), r, {}).ok());
        r.caseId = caseId;
        r.path = dir.filePath(QStringLiteral("no/such/dir/x.html"));
        auto unwritable = runReportExport(ts.store(), r, {});
        QVERIFY(!unwritable.ok());
        QVERIFY(unwritable.error().toString().contains(QStringLiteral("x.html")));
    }

    void screenshotsLightAndDark()
    {
        if (qEnvironmentVariableIsEmpty("CAUSA_SCREENSHOT_DIR"))
            QSKIP("set CAUSA_SCREENSHOT_DIR to write screenshots");
        test::TempStore ts;
        QVERIFY(ImportDispatcher(ts.store()).importFile(test::sourceDir() + kSample).ok());
        for (Theme theme : {Theme::Light, Theme::Dark}) {
            applyTheme(theme);
            Workbench wb(ts.shared());
            MainWindow *w = wb.window();
            w->resize(1400, 860);
            w->show();
            QTRY_VERIFY(w->currentCaseId() > 0);
            QTRY_VERIFY(w->workbenchActions()->exportAction(ReportFormat::Pdf)->isEnabled());
            QTest::qWait(300);
            const QString name = themeName(theme) + shotSuffix();
            test::saveScreenshot(w, QStringLiteral("main-") + name);
            SettingsDialog d(w->workbenchActions()->settings(), w);
            d.resize(d.sizeHint());
            d.show();
            for (int i = 0; i < d.tabs()->count(); ++i) {
                d.tabs()->setCurrentIndex(i);
                test::saveScreenshot(&d, QStringLiteral("settings-%1-").arg(i) + name);
            }
            ExportDialog e(
                w->currentCaseId(), QStringLiteral("Remote PsExec-like LOLBIN command execution"),
                ReportFormat::Pdf, QString(), QStringLiteral("AMBER"), QStringLiteral("AMBER"), w);
            e.show();
            test::saveScreenshot(&e, QStringLiteral("export-") + name);
            w->messageBar()->showMessage(
                MessageBar::Kind::Info,
                QStringLiteral("Saved /home/analyst/Documents/case-1-report.pdf (15 pages)."),
                QStringLiteral("Open folder"), [] {});
            QTest::qWait(50);
            test::saveScreenshot(w, QStringLiteral("main-saved-") + name);
        }
        applyTheme(Theme::Light);
    }
};

QTEST_MAIN(TestWorkbenchSettings)
#include "tst_workbenchsettings.moc"
