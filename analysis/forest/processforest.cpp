#include "processforest.h"

#include "forestbuild.h"

#include <ctime>
#include <sys/resource.h>

namespace causa {

namespace {

// CAUSA_FOREST_PROFILE=1 prints each phase's CPU time (wall time lies on a shared machine),
// with the part spent in the kernel and the page faults: on a virtual machine, first touching
// fresh memory can cost more than the work done in it.
class PhaseProfile
{
public:
    PhaseProfile() : m_on(qEnvironmentVariableIsSet("CAUSA_FOREST_PROFILE"))
    {
        if (m_on)
            m_start = now();
    }
    void mark(const char *what)
    {
        if (!m_on)
            return;
        const Usage u = now();
        qInfo("forest %s: %.0f ms CPU (%.0f ms in the kernel, %ld page faults)", what,
              u.cpuMs - m_start.cpuMs, u.sysMs - m_start.sysMs, u.faults - m_start.faults);
        m_start = u;
    }

private:
    struct Usage
    {
        double cpuMs = 0;
        double sysMs = 0;
        long faults = 0;
    };
    static Usage now()
    {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        rusage ru{};
        getrusage(RUSAGE_THREAD, &ru);
        return Usage{double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6,
                     double(ru.ru_stime.tv_sec) * 1e3 + double(ru.ru_stime.tv_usec) / 1e3,
                     ru.ru_minflt};
    }

    bool m_on;
    Usage m_start;
};

} // namespace

ProcessForest ProcessForest::build(ForestInput input)
{
    PhaseProfile profile;
    ProcessForest f;
    // The records stay in the forest: nodes read their text from them instead of copying it,
    // and nothing is freed record by record during the build.
    f.m_records = std::move(input.processes);
    {
        detail::ForestBuild b(f, input);
        b.readRecords();
        profile.mark("read records");
        b.bucketPids();
        profile.mark("pid buckets");
        b.resolveParents();
        profile.mark("parent records");
        b.mergeSources();
        profile.mark("merge");
        b.groupParents();
        profile.mark("parents");
        b.breakCycles();
        profile.mark("cycles");
        b.makeNodes();
        profile.mark("nodes");
        b.linkChildren();
        profile.mark("children");
        b.attach();
        profile.mark("attach");
        b.badges();
        profile.mark("badges");
    }
    profile.mark("release scratch");
    return f;
}

} // namespace causa
