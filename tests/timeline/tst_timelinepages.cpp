// Timeline, Evidence and Audit pages driven offscreen through the real main window and service.
#include "auditmodel.h"
#include "casepages.h"
#include "evidencemodel.h"
#include "guitestutils.h"
#include "import/importdispatcher.h"
#include "mainwindow.h"
#include "panels/auditpanel.h"
#include "panels/caseoverviewpanel.h"
#include "panels/casequeuepanel.h"
#include "panels/evidencepanel.h"
#include "panels/processtreepanel.h"
#include "panels/timelinechart.h"
#include "panels/timelinepanel.h"
#include "processtreemodel.h"
#include "services/workbenchservice.h"
#include "store/auditlog.h"
#include "testutils.h"
#include "theme.h"
#include "timelineeventmodel.h"
#include "timelinefixture.h"

#include <QAction>
#include <QApplication>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTabWidget>
#include <QTableView>
#include <QTreeView>
#include <functional>

using namespace causa;
using test::kT0;

namespace {

struct Window
{
    explicit Window(test::TempStore &ts) : service(ts.shared()), window(&service)
    {
        pages = new CasePages(&window, &service);
        window.resize(1400, 860);
        window.show();
    }
    WorkbenchService service;
    MainWindow window;
    CasePages *pages;
};

void shoot(Window &w, QWidget *page, const QString &name)
{
    for (Theme t : {Theme::Light, Theme::Dark}) {
        applyTheme(t);
        w.window.casePages()->setCurrentWidget(page);
        QApplication::processEvents();
        test::saveScreenshot(&w.window, name + (t == Theme::Light ? QStringLiteral("-light")
                                                                  : QStringLiteral("-dark")));
    }
    applyTheme(Theme::Light);
}

} // namespace

class TestTimelinePages : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void timelineChartFiltersAndZoom()
    {
        test::TempStore ts;
        QVERIFY(test::buildTimelineFixture(ts.store()).caseId > 0);
        Window w(ts);
        TimelinePanel *tl = w.pages->timeline();
        w.window.casePages()->setCurrentWidget(tl);
        QTRY_VERIFY(w.window.currentCaseId() > 0);
        QTRY_COMPARE(tl->model()->totalCount(), qint64(10));
        QCOMPARE(tl->overview().hosts, QStringList{QStringLiteral("WS-1")});
        QCOMPARE(tl->overview().total, qint64(10));
        QCOMPARE(tl->overview().alerts.size(), size_t(1));
        // Seven kind groups present (process, network, file, registry, service, pipe, logon, other) + alerts.
        QCOMPARE(tl->chart()->seriesCount(), 9);
        for (int row = 0; row < tl->model()->rowCount(); ++row)
            QCOMPARE(tl->model()->index(row, TimelineEventModel::HostColumn).data().toString(),
                     QStringLiteral("WS-1"));

        QSignalSpy shown(tl, &TimelinePanel::eventsShown);
        tl->setKindFilter(QStringLiteral("network"));
        QTRY_COMPARE(tl->model()->totalCount(), qint64(2));
        tl->setTextFilter(QStringLiteral("dns"));
        QTRY_COMPARE(tl->model()->totalCount(), qint64(1));
        QCOMPARE(tl->model()->index(0, TimelineEventModel::KindColumn).data().toString(),
                 QStringLiteral("dns"));
        tl->setKindFilter(QString());
        tl->setTextFilter(QString());
        QTRY_COMPARE(tl->model()->totalCount(), qint64(10));

        // A rubber band across the chart narrows chart and table to the dragged range.
        QTRY_VERIFY(tl->chart()->xOf(kT0 + 5 * 60000) - tl->chart()->xOf(kT0 - 5 * 60000) > 4);
        const int x0 = tl->chart()->xOf(kT0 - 5 * 60000);
        const int x1 = tl->chart()->xOf(kT0 + 5 * 60000);
        QVERIFY2(x1 - x0 > 4, qPrintable(QStringLiteral("%1..%2").arg(x0).arg(x1)));
        const int y = tl->chart()->viewport()->height() / 2;
        QSignalSpy overview(tl, &TimelinePanel::overviewShown);
        QTest::mousePress(tl->chart()->viewport(), Qt::LeftButton, {}, QPoint(x0, y));
        QTest::mouseMove(tl->chart()->viewport(), QPoint((x0 + x1) / 2, y));
        QTest::mouseRelease(tl->chart()->viewport(), Qt::LeftButton, {}, QPoint(x1, y));
        QVERIFY(overview.wait(10000));
        QVERIFY(tl->scope().from >= kT0 - 6 * 60000 && tl->scope().from <= kT0 - 3 * 60000);
        QVERIFY(tl->scope().to >= kT0 + 61000 && tl->scope().to <= kT0 + 6 * 60000);
        QTRY_COMPARE(tl->model()->totalCount(), qint64(8));
        tl->reset();
        QTRY_COMPARE(tl->model()->totalCount(), qint64(10));
    }

    void pivotFromAlertAndEvidence()
    {
        test::TempStore ts;
        const auto f = test::buildTimelineFixture(ts.store());
        Window w(ts);
        QTRY_COMPARE(w.window.overviewPanel()->alertView()->model()->rowCount(), 1);
        // The Case menu's actions reach the command palette.
        QStringList names;
        for (QAction *a : w.window.commands())
            names << a->text();
        QVERIFY(names.contains(QStringLiteral("Tag selection as evidence…")));
        QVERIFY(names.contains(QStringLiteral("Pivot ±N min around selection")));

        w.window.casePages()->setCurrentWidget(w.window.overviewPanel());
        w.window.overviewPanel()->alertView()->setCurrentIndex(
            w.window.overviewPanel()->alertView()->model()->index(0, 0));
        const PageSelection alert = w.pages->selection();
        QCOMPARE(alert.kind, QStringLiteral("alert"));
        QCOMPARE(alert.ts, kT0);
        TimelinePanel *tl = w.pages->timeline();
        tl->setPivotMinutes(5);
        w.pages->pivotAction()->trigger();
        QCOMPARE(w.window.casePages()->currentWidget(), tl);
        QTRY_COMPARE(tl->overview().request.host, QStringLiteral("WS-1"));
        QCOMPARE(tl->overview().request.from, kT0 - 5 * 60000);
        QTRY_COMPARE(tl->model()->totalCount(), qint64(8));

        // Tag the registry event with a comment: listed on the Evidence page and audited.
        int regRow = -1;
        for (int row = 0; row < tl->model()->rowCount(); ++row)
            if (tl->model()->eventAt(row)->kind == QLatin1String("registry"))
                regRow = row;
        QVERIFY(regRow >= 0);
        tl->view()->setCurrentIndex(tl->model()->index(regRow, 0));
        const PageSelection ev = w.pages->selection();
        QCOMPARE(ev.kind, QStringLiteral("event"));
        QSignalSpy listed(w.pages->evidence(), &EvidencePanel::itemsShown);
        w.pages->tag(ev, QStringLiteral("<b>LSA dump</b>"));
        QTRY_COMPARE(w.pages->evidence()->model()->rowCount(), 1);
        QCOMPARE(
            w.pages->evidence()->model()->index(0, EvidenceModel::CommentColumn).data().toString(),
            QStringLiteral("<b>LSA dump</b>"));
        AuditPanel *audit = w.pages->audit();
        QTRY_VERIFY(audit->model()->rowCount() > 0);
        const int last = audit->model()->rowCount() - 1;
        QCOMPARE(audit->model()->index(last, AuditModel::KindColumn).data().toString(),
                 QStringLiteral("evidence.tagged"));

        // Jump back to the event from the Evidence page: the timeline pivots and selects it.
        tl->reset();
        tl->setPivotMinutes(1);
        w.window.casePages()->setCurrentWidget(w.pages->evidence());
        w.pages->evidence()->view()->setCurrentIndex(w.pages->evidence()->model()->index(0, 0));
        // The pane under the table has the comment as the analyst wrote it, markup as text.
        QVERIFY2(w.pages->evidence()->detailText().endsWith(QLatin1String("\n<b>LSA dump</b>")),
                 qPrintable(w.pages->evidence()->detailText()));
        w.pages->evidence()->jumpToCurrent();
        QTRY_COMPARE(w.window.casePages()->currentWidget(), tl);
        QTRY_VERIFY(tl->currentEvent() && QString::number(tl->currentEvent()->id) == ev.ref);

        // Verify: OK, then a tampered payload shows the first broken entry.
        audit->verify();
        QTRY_VERIFY(audit->verdictText().startsWith(QStringLiteral("OK")));
        {
            QVERIFY(test::dropAuditGuards(ts.store().connection().value()));
            QSqlQuery q(ts.store().connection().value());
            QVERIFY(q.exec(
                QStringLiteral(
                    "UPDATE audit_log SET payload = '{\"forged\":1}' WHERE case_id = %1 AND seq = 1")
                    .arg(f.caseId)));
        }
        audit->verify();
        QTRY_VERIFY2(audit->verdictText().startsWith(QStringLiteral("BROKEN at entry #1")),
                     qPrintable(audit->verdictText()));
        QCOMPARE(audit->view()->currentIndex().row(), audit->model()->rowOfSeq(1));
        QVERIFY(audit->detailText().contains(QStringLiteral("forged")));

        // Untag: gone from the page, the removal audited.
        w.pages->evidence()->view()->setCurrentIndex(w.pages->evidence()->model()->index(0, 0));
        w.pages->evidence()->untagCurrent(false);
        QTRY_COMPARE(w.pages->evidence()->model()->rowCount(), 0);
        QTRY_COMPARE(audit->model()
                         ->index(audit->model()->rowCount() - 1, AuditModel::KindColumn)
                         .data()
                         .toString(),
                     QStringLiteral("evidence.untagged"));
    }

    void sampleCasePagesAndScreenshots()
    {
        test::TempStore ts;
        ImportDispatcher importer(ts.store());
        for (const char *file :
             {"fin-ws-042-incident.json", "fin-ws-042-events.jsonl", "fin-ws-042-iocs.csv"}) {
            auto r = importer.importFile(test::sourceDir() + QStringLiteral("/resources/samples/") +
                                         QLatin1String(file));
            QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().toString()));
        }
        Window w(ts);
        TimelinePanel *tl = w.pages->timeline();
        QTRY_VERIFY(tl->model()->totalCount() > 0);
        QCOMPARE(tl->overview().alerts.size(), size_t(2));
        // Tag the process the alert points at from the Process tree page.
        auto *tree = w.window.findChild<ProcessTreePanel *>();
        QTRY_VERIFY(tree->model()->rowCount() > 0);
        w.window.casePages()->setCurrentWidget(tree);
        QModelIndex found;
        std::function<void(const QModelIndex &)> walk = [&](const QModelIndex &parent) {
            for (int r = 0; r < tree->model()->rowCount(parent); ++r) {
                const QModelIndex i = tree->model()->index(r, 0, parent);
                if (i.data().toString().contains(QStringLiteral("winupdsvc"), Qt::CaseInsensitive))
                    found = i;
                walk(i);
            }
        };
        walk({});
        QVERIFY(found.isValid());
        tree->view()->setCurrentIndex(found);
        const PageSelection proc = w.pages->selection();
        QCOMPARE(proc.kind, QStringLiteral("process"));
        QVERIFY(proc.canPivot());
        w.pages->tag(proc, QStringLiteral("unsigned PsExec-like service"));
        QTRY_COMPARE(w.pages->evidence()->model()->rowCount(), 1);
        w.pages->pivotAction()->trigger();
        QTRY_COMPARE(tl->overview().request.host, proc.host);
        QTRY_VERIFY(tl->model()->totalCount() > 0);
        w.pages->audit()->verify();
        QTRY_VERIFY(w.pages->audit()->verdictText().startsWith(QStringLiteral("OK")));
        shoot(w, tl, QStringLiteral("timeline-sample"));
        shoot(w, w.pages->evidence(), QStringLiteral("evidence-sample"));
        // The tag's time, the last column, shows whole without scrolling.
        QTableView *ev = w.pages->evidence()->view();
        const int last = ev->model()->columnCount() - 1;
        QVERIFY2(ev->columnViewportPosition(last) + ev->columnWidth(last) <=
                     ev->viewport()->width(),
                 "the evidence table's time column is cut off");
        QVERIFY(ev->fontMetrics().horizontalAdvance(ev->model()->index(0, last).data().toString()) <
                ev->columnWidth(last));
        w.pages->audit()->view()->setCurrentIndex(w.pages->audit()->model()->index(0, 0));
        shoot(w, w.pages->audit(), QStringLiteral("audit-sample"));
    }

    void realPsexecRun()
    {
        const QString rel = QStringLiteral(
            "events/otrf-security-datasets/cmd_psexec_lsa_secrets_dump_2020-10-1903305471.json");
        CAUSA_REQUIRE_SHARED_DATA(rel);
        test::TempStore ts;
        auto r =
            ImportDispatcher(ts.store()).importFile(test::sharedDataDir() + QLatin1Char('/') + rel);
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().toString()));
        Window w(ts);
        TimelinePanel *tl = w.pages->timeline();
        w.window.casePages()->setCurrentWidget(tl);
        tl->showHost(QStringLiteral("WORKSTATION5"));
        QTRY_VERIFY(tl->model()->totalCount() > 0);
        QCOMPARE(tl->overview().total, tl->model()->totalCount());
        // The run's service install and pipes are on the host's timeline.
        tl->setTextFilter(QStringLiteral("PSEXESVC"));
        QTRY_VERIFY(tl->model()->totalCount() > 0);
        bool service = false, pipe = false;
        for (int row = 0; row < tl->model()->rowCount(); ++row) {
            const QString kind = tl->model()->eventAt(row)->kind;
            service = service || kind == QLatin1String("service_install");
            pipe = pipe || kind == QLatin1String("pipe");
        }
        QVERIFY(service);
        QVERIFY(pipe);
        tl->setTextFilter(QString());
        QTRY_VERIFY(tl->model()->totalCount() == tl->overview().total);
        shoot(w, tl, QStringLiteral("timeline-psexec"));
    }
};

QTEST_MAIN(TestTimelinePages)
#include "tst_timelinepages.moc"
