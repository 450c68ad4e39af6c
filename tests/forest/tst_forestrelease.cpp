// A shared forest is freed on a thread-pool thread, whichever thread drops the last reference
// (freeing a million-record forest takes about half a second: not on the GUI thread).
#include "forest/forestbuilder.h"
#include "forest/offthreadrelease.h"
#include "import/importdispatcher.h"
#include "services/workbenchservice.h"
#include "store/casestore.h"
#include "testutils.h"

#include <QSemaphore>
#include <QSignalSpy>
#include <QtTest>

#include <atomic>

using namespace causa;

namespace {

// Records the thread that destroys it (a moved-from probe records nothing).
struct Probe
{
    Probe()
        : destroyedOn(std::make_shared<std::atomic<QThread *>>(nullptr)),
          destroyed(std::make_shared<std::atomic<int>>(0))
    {}
    Probe(Probe &&) = default; // leaves the source empty: only the shared value counts
    Probe(const Probe &) = delete;
    Probe &operator=(const Probe &) = delete;

    std::shared_ptr<std::atomic<QThread *>> destroyedOn;
    std::shared_ptr<std::atomic<int>> destroyed;
    ~Probe()
    {
        if (destroyed) {
            destroyedOn->store(QThread::currentThread());
            ++*destroyed;
        }
    }
};

} // namespace

class TestForestRelease : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lastReferenceIsFreedOnAPoolThread()
    {
        QThreadPool pool;
        Probe probe;
        const auto destroyedOn = probe.destroyedOn;
        const auto destroyed = probe.destroyed;
        std::shared_ptr<const Probe> a = shareReleasedOffThread(std::move(probe), &pool);
        std::shared_ptr<const Probe> b = a;
        a.reset();
        pool.waitForDone();
        QCOMPARE(destroyed->load(), 0); // another holder is left
        b.reset();
        pool.waitForDone();
        QCOMPARE(destroyed->load(), 1);
        QVERIFY(destroyedOn->load() != nullptr);
        QVERIFY(destroyedOn->load() != QThread::currentThread());
    }

    void callerDoesNotWaitForTheRelease()
    {
        // The pool's only thread is busy: dropping the last reference must return at once and
        // leave the value alive until the pool gets to it (never freed inline as a fallback).
        QSemaphore busy, started; // outlive the pool, which waits for its task
        QThreadPool pool;
        pool.setMaxThreadCount(1);
        pool.start([&] {
            started.release();
            busy.acquire();
        });
        started.acquire();
        // Unblocks the pool also when a check fails (a spare permit is harmless).
        const auto unblock = qScopeGuard([&] { busy.release(); });
        Probe probe;
        const auto destroyed = probe.destroyed;
        std::shared_ptr<const Probe> p = shareReleasedOffThread(std::move(probe), &pool);
        p.reset();
        QCOMPARE(destroyed->load(), 0);
        busy.release();
        pool.waitForDone();
        QCOMPARE(destroyed->load(), 1);
    }

    void workbenchForestIsReleasedOffThread()
    {
        // The forest the workbench hands to its pages (the case's process tree) carries the
        // off-thread release: whichever page drops it last does not free it itself.
        test::TempStore ts;
        QVERIFY(ImportDispatcher(ts.store())
                    .importFile(test::sourceDir() +
                                QStringLiteral("/resources/samples/fin-ws-042-incident.json"))
                    .ok());
        auto cases = ts.store().cases();
        QVERIFY(cases.ok() && !cases->empty());
        const qint64 caseId = cases->front().id;
        std::shared_ptr<const ScopedForest> forest;
        {
            WorkbenchService service(ts.shared());
            QSignalSpy loaded(&service, &WorkbenchService::forestLoaded);
            QSignalSpy errors(&service, &WorkbenchService::errorOccurred);
            service.loadForest(caseId);
            QTRY_VERIFY_WITH_TIMEOUT(loaded.count() == 1 || errors.count() > 0, 10000);
            QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).value(0).toString()));
            QCOMPARE(loaded.first().at(0).toLongLong(), caseId);
            forest = loaded.first().at(1).value<std::shared_ptr<const ScopedForest>>();
        }
        QVERIFY(forest);
        QVERIFY(forest->forest.size() > 0);
        QVERIFY(std::get_deleter<ReleaseOffThread<ScopedForest>>(forest) != nullptr);
        forest.reset();
        QThreadPool::globalInstance()->waitForDone();
    }
};

QTEST_GUILESS_MAIN(TestForestRelease)
#include "tst_forestrelease.moc"
