// Benchmark: the Timeline page over one host with 1,000,000 events (issue 8/4: stays responsive).
// The store is filled with SQL, then the real panel and service are timed: case → per-bucket
// counts + count + first page → painted page; then a text filter, a kind filter, a zoom and a
// scroll far down the table.
#include "panels/timelinepanel.h"
#include "services/casepagesservice.h"
#include "services/workbenchservice.h"
#include "store/casestore.h"
#include "timelineeventmodel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTableView>
#include <QTemporaryDir>

#include <cstdio>

using namespace causa;

namespace {

// Waits for the panel's next table result; returns ms since `t` started.
double waitEvents(TimelinePanel &panel, QElapsedTimer &t)
{
    QSignalSpy shown(&panel, &TimelinePanel::eventsShown);
    if (!shown.wait(120000))
        return -1;
    panel.grab(); // paint, as the user would see it
    return double(t.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const qint64 events = argc > 1 ? atoll(argv[1]) : 1000000;
    const qint64 t0 = 1760000000000;
    QTemporaryDir dir;
    StoreLocation loc;
    loc.path = dir.path() + QStringLiteral("/timeline.sqlite");
    auto store = CaseStore::open(loc);
    if (!store)
        return 1;
    QElapsedTimer t;
    t.start();
    // One day of events on one host, kinds rotating; one summary in 10,000 holds "needle".
    auto filled = store.value()->transaction([&](QSqlDatabase &db) -> Result<void> {
        QSqlQuery q(db);
        const QStringList sql = {
            QStringLiteral(
                "INSERT INTO cases (source, source_ref, title, severity) VALUES ('bench', '1', 'Timeline bench', 3)"),
            QStringLiteral(
                "INSERT INTO endpoints (endpoint_key, host_name) VALUES ('ws-bench', 'WS-BENCH')"),
            QStringLiteral(
                "INSERT INTO alerts (case_id, endpoint_id, alert_key, name, severity, detected_at, host_name) "
                "VALUES (1, 1, 'bench|1', 'PsExec-like LOLBin', 3, %1, 'WS-BENCH')")
                .arg(t0 + 43200000),
            QStringLiteral(
                "WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x < %1) "
                "INSERT INTO events (event_key, endpoint_id, process_key, kind, event_code, ts, summary) "
                "SELECT x, 1, 'ws-bench|p' || (x % 5000), "
                "CASE x % 8 WHEN 0 THEN 'process_create' WHEN 1 THEN 'network' WHEN 2 THEN 'file' "
                "WHEN 3 THEN 'registry' WHEN 4 THEN 'service_install' WHEN 5 THEN 'pipe' WHEN 6 THEN 'logon' "
                "ELSE 'dns' END, 1, %2 + (x * 86400000 / %1), "
                "CASE WHEN x % 10000 = 7 THEN 'needle found in C:\\Windows\\Temp\\x' || x "
                "ELSE 'C:\\Windows\\System32\\cmd.exe /c whoami event ' || x END FROM c")
                .arg(events - 1)
                .arg(t0),
            QStringLiteral("INSERT INTO processes (process_key, endpoint_id, image_name, pid) "
                           "SELECT DISTINCT process_key, 1, 'cmd.exe', 100 FROM events"),
        };
        for (const QString &s : sql)
            if (!q.exec(s))
                return makeError(QStringLiteral("bench"), q.lastError().text());
        return {};
    });
    if (!filled) {
        std::printf("fill failed: %s\n", qPrintable(filled.error().toString()));
        return 1;
    }
    std::printf("filled %lld events in %.1f s\n", events, double(t.elapsed()) / 1000.0);

    WorkbenchService service(store.value());
    CasePagesService pages(&service);
    TimelinePanel panel(&pages);
    panel.resize(1200, 800);
    panel.show();

    t.restart();
    QSignalSpy overview(&panel, &TimelinePanel::overviewShown);
    panel.setCase(1);
    const double firstPaint = waitEvents(panel, t);
    std::printf(
        "timeline first paint (chart + count + first page): %.0f ms (%lld events, %d buckets of %lld s, %d rows loaded)\n",
        firstPaint, panel.model()->totalCount(), int(panel.overview().buckets.size()),
        panel.overview().bucketMs / 1000, panel.model()->rowCount());
    if (overview.isEmpty())
        std::printf("warning: the chart came after the table\n");

    t.restart();
    panel.setTextFilter(QStringLiteral("needle"));
    const double text = waitEvents(panel, t);
    std::printf("text filter 'needle': %.0f ms (%lld matches)\n", text,
                panel.model()->totalCount());

    t.restart();
    panel.setTextFilter(QString());
    panel.setKindFilter(QStringLiteral("registry"));
    // Two requests were sent; the first is skipped as stale before it runs.
    const double kind = waitEvents(panel, t);
    std::printf("kind filter 'registry': %.0f ms (%lld matches)\n", kind,
                panel.model()->totalCount());
    panel.setKindFilter(QString());
    waitEvents(panel, t);

    t.restart();
    panel.selectRange(t0 + 43200000 - 600000, t0 + 43200000 + 600000);
    const double zoom = waitEvents(panel, t);
    std::printf("zoom to ±10 min (rebucket + count + first page): %.0f ms (%lld events)\n", zoom,
                panel.model()->totalCount());

    panel.reset();
    waitEvents(panel, t);
    t.restart();
    // Scroll down ten pages: each fetchMore is one LIMIT/OFFSET query off the GUI thread.
    for (int i = 0; i < 10; ++i) {
        QSignalSpy more(&pages, &CasePagesService::eventPageLoaded);
        panel.view()->scrollToBottom();
        panel.model()->fetchMore({});
        more.wait(60000);
    }
    std::printf("10 more pages while scrolling: %.0f ms (%d rows loaded)\n",
                double(t.nsecsElapsed()) / 1e6, panel.model()->rowCount());
    return 0;
}
