// Benchmark: the case queue over a store of 1,000,000 alerts (SPEC §12: first paint <= 300 ms,
// text filter <= 100 ms). The store is filled with SQL (fast), then the real panel and service
// are timed: reload -> count + first page -> model -> painted view.
#include "casequeuemodel.h"
#include "panels/casequeuepanel.h"
#include "services/workbenchservice.h"
#include "store/casestore.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTableView>
#include <QTemporaryDir>

#include <cstdio>

using namespace causa;

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int alerts = argc > 1 ? atoi(argv[1]) : 1000000;
    const int cases = alerts / 4;
    QTemporaryDir dir;
    StoreLocation loc;
    loc.path = dir.path() + QStringLiteral("/queue.sqlite");
    auto store = CaseStore::open(loc);
    if (!store)
        return 1;
    QElapsedTimer t;
    t.start();
    auto filled = store.value()->transaction([&](QSqlDatabase &db) -> Result<void> {
        QSqlQuery q(db);
        const QString casesSql =
            QStringLiteral(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %1) "
                "INSERT INTO cases (source, source_ref, title, severity, status, hosts, users, alert_count, created_at, updated_at) "
                "SELECT 'bench', x, 'Remote PsExec-like LOLBIN command execution on WS-' || (x % 5000) || ' case ' || x, "
                "1 + (x % 5), CASE x % 3 WHEN 0 THEN 'new' WHEN 1 THEN 'in_progress' ELSE 'closed' END, "
                "'WS-' || (x % 5000), 'CORP\\user' || (x % 700), 4, 1790000000000 + x * 1000, 1790000000000 + x * 1000 FROM c")
                .arg(cases);
        if (!q.exec(casesSql))
            return makeError(QStringLiteral("sql"), q.lastQuery());
        const QString alertsSql =
            QStringLiteral(
                "WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x < %1) "
                "INSERT INTO alerts (case_id, alert_key, source_alert_id, name, severity, detected_at, host_name, user_name) "
                "SELECT 1 + x / 4, 'bench|' || x, x, 'Remote PsExec-like LOLBIN command execution', 1 + (x % 5), "
                "1790000000000 + x * 250, 'WS-' || ((x / 4) % 5000), 'CORP\\user' || ((x / 4) % 700) FROM c")
                .arg(alerts - 1);
        if (!q.exec(alertsSql))
            return makeError(QStringLiteral("sql"), q.lastQuery());
        return {};
    });
    if (!filled) {
        std::fprintf(stderr, "fill failed: %s\n", qPrintable(filled.error().toString()));
        return 1;
    }
    // An import of this many cases merges the queue's search index in its commit (ImportSession);
    // the SQL fill above bypasses the importer, so it does the same step here.
    if (auto r = store.value()->optimizeSearchIndex(); !r) {
        std::fprintf(stderr, "optimize failed: %s\n", qPrintable(r.error().toString()));
        return 1;
    }
    std::printf("store: %d alerts in %d cases, filled in %.1f s\n", alerts, cases,
                t.elapsed() / 1000.0);

    WorkbenchService service(store.value());
    CaseQueuePanel panel(&service);
    panel.resize(900, 700);
    panel.show();
    auto timeReload = [&](const QString &label) {
        QSignalSpy loaded(&panel, &CaseQueuePanel::queueLoaded);
        QElapsedTimer timer;
        timer.start();
        panel.reload();
        loaded.wait(60000);
        panel.view()->viewport()->grab(); // the paint itself
        const double ms = timer.nsecsElapsed() / 1e6;
        std::printf("%-40s %8.1f ms  (%lld matching, %d rows loaded)\n", qPrintable(label), ms,
                    static_cast<long long>(panel.model()->totalCount()), panel.model()->rowCount());
    };
    timeReload(QStringLiteral("first paint (cold)"));
    timeReload(QStringLiteral("first paint (warm)"));
    for (const char *text : {"WS-4242", "user17 closed", "psexec", "nothing-matches-this"}) {
        panel.filterEdit()->blockSignals(true);
        panel.filterEdit()->setText(QString::fromLatin1(text));
        panel.filterEdit()->blockSignals(false);
        const_cast<CaseFilter &>(panel.filter()).text = QString::fromLatin1(text);
        timeReload(QStringLiteral("filter \"%1\"").arg(QLatin1String(text)));
        // The same reload's two store queries on their own, to tell the store from the GUI.
        CaseFilter f = panel.filter();
        f.limit = 200;
        QElapsedTimer q;
        q.start();
        auto n = store.value()->countCases(f);
        const double countMs = q.nsecsElapsed() / 1e6;
        f.knownCount = n ? n.value() : -1;
        q.restart();
        auto rows = store.value()->cases(f);
        std::printf("%-40s %8.1f ms count + %.1f ms first page\n", "  of which store queries",
                    countMs, q.nsecsElapsed() / 1e6);
    }
    const_cast<CaseFilter &>(panel.filter()).text.clear();
    const_cast<CaseFilter &>(panel.filter()).sortKey = QStringLiteral("created_at");
    timeReload(QStringLiteral("sort by created_at"));
    return 0;
}
