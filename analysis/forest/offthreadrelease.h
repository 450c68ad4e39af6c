#pragma once

#include <QThread>
#include <QThreadPool>

#include <memory>
#include <utility>

namespace causa {

// Deletes a shared value on a thread-pool thread, whichever thread drops the last reference.
// Freeing a forest of a million records takes about half a second (millions of heap blocks);
// its last holder is often the GUI thread (a model or page given the next case's forest), which
// must not stall for that. A named type so a test can find it with std::get_deleter.
template<typename T>
struct ReleaseOffThread
{
    QThreadPool *pool = nullptr; // nullptr: the global pool

    void operator()(const T *value) const
    {
        QThreadPool *p = pool ? pool : QThreadPool::globalInstance();
        if (!p) { // the application is shutting down: nothing left to keep responsive
            delete value;
            return;
        }
        p->start([value] { delete value; });
    }
};

template<typename T>
std::shared_ptr<const T> shareReleasedOffThread(T value, QThreadPool *pool = nullptr)
{
    return std::shared_ptr<const T>(new T(std::move(value)), ReleaseOffThread<T>{pool});
}

} // namespace causa
