// Benchmark: cold start to a usable window (SPEC §12: <= 1 s). Runs the real `causa` binary on a
// store holding the sample case (and, second, a store of 20,000 cases) with CAUSA_STARTUP_PROBE=1:
// the app prints how long after main() its window showed the painted first page of the case
// queue, then quits. Also prints the process's wall and CPU time from the outside (the CPU
// includes loading Qt's libraries and plugins; the first run of each store warms the page cache).
#include "import/importdispatcher.h"
#include "store/casestore.h"
#include "testutils.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <sys/resource.h>

#include <cstdio>

using namespace causa;

namespace {

double childCpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_CHILDREN, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

void runApp(const QString &label, const QString &storePath, const QString &home, int runs)
{
    const QString app = QStringLiteral(CAUSA_BINARY_DIR "/app/causa");
    for (int i = 1; i <= runs; ++i) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("CAUSA_STARTUP_PROBE"), QStringLiteral("1"));
        env.insert(QStringLiteral("HOME"), home); // no recent stores or settings of the user
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
        p.setProcessEnvironment(env);
        const double cpuBefore = childCpuSeconds();
        QElapsedTimer t;
        t.start();
        p.start(app, {QStringLiteral("--db"), storePath});
        if (!p.waitForFinished(60000)) {
            std::printf("%s run %d: did not finish (%s)\n", qPrintable(label), i,
                        qPrintable(p.errorString()));
            p.kill();
            p.waitForFinished();
            return;
        }
        const qint64 wall = t.elapsed();
        const double cpu = childCpuSeconds() - cpuBefore;
        const QByteArray out = p.readAllStandardOutput().trimmed();
        std::printf("%s run %d: %s | process wall %lld ms, CPU %.0f ms, exit %d\n",
                    qPrintable(label), i, out.isEmpty() ? "no probe output" : out.constData(),
                    static_cast<long long>(wall), cpu * 1000, p.exitCode());
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication qapp(argc, argv);
    QTemporaryDir dir;
    const QString samples = test::sourceDir() + QStringLiteral("/resources/samples/");

    StoreLocation sample;
    sample.path = dir.filePath(QStringLiteral("sample.sqlite"));
    {
        auto store = CaseStore::open(sample);
        if (!store) {
            std::fprintf(stderr, "%s\n", qPrintable(store.error().toString()));
            return 1;
        }
        for (const char *f :
             {"fin-ws-042-incident.json", "fin-ws-042-events.jsonl", "fin-ws-042-iocs.csv"})
            if (auto r = ImportDispatcher(*store.value()).importFile(samples + QLatin1String(f));
                !r) {
                std::fprintf(stderr, "%s\n", qPrintable(r.error().toString()));
                return 1;
            }
    }
    runApp(QStringLiteral("sample case"), sample.path, dir.filePath(QStringLiteral("home")), 4);

    StoreLocation big;
    big.path = dir.filePath(QStringLiteral("big.sqlite"));
    {
        auto store = CaseStore::open(big);
        if (!store)
            return 1;
        auto filled = store.value()->transaction([&](QSqlDatabase &db) -> Result<void> {
            QSqlQuery q(db);
            if (!q.exec(QStringLiteral(
                    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000) "
                    "INSERT INTO cases (source, source_ref, title, severity, status, hosts, users, alert_count, "
                    "created_at, updated_at) SELECT 'bench', x, 'Remote PsExec-like LOLBIN command execution case ' || x, "
                    "1 + (x % 5), 'new', 'WS-' || (x % 5000), 'CORP\\user' || (x % 700), 1, "
                    "1790000000000 + x * 1000, 1790000000000 + x * 1000 FROM c")))
                return makeError(QStringLiteral("sql"), q.lastError().text());
            return {};
        });
        if (!filled) {
            std::fprintf(stderr, "%s\n", qPrintable(filled.error().toString()));
            return 1;
        }
    }
    runApp(QStringLiteral("20,000 cases"), big.path, dir.filePath(QStringLiteral("home")), 3);
    return 0;
}
