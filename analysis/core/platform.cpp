#include "platform.h"

#include <cstdint>
#include <new>

#ifdef __linux__
#include <sys/mman.h>
#endif
#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace causa::platform {

namespace {
[[maybe_unused]] constexpr size_t kHuge = size_t(2) << 20;
[[maybe_unused]] constexpr size_t kPage = size_t(4) << 10;
[[maybe_unused]] size_t pages(size_t bytes)
{
    return (bytes + kPage - 1) & ~(kPage - 1);
}
} // namespace

void *allocateHuge(size_t bytes)
{
#ifdef __linux__
    // Map 2 MB more than needed, keep the 2 MB-aligned part, give back the rest.
    const size_t length = pages(bytes);
    void *raw =
        mmap(nullptr, length + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED)
        throw std::bad_alloc();
    const uintptr_t begin = reinterpret_cast<uintptr_t>(raw);
    const uintptr_t aligned = (begin + kHuge - 1) & ~uintptr_t(kHuge - 1);
    if (aligned > begin)
        munmap(raw, aligned - begin);
    const uintptr_t end = begin + length + kHuge;
    if (end > aligned + length)
        munmap(reinterpret_cast<void *>(aligned + length), end - (aligned + length));
    if (const size_t whole = length & ~(kHuge - 1))
        madvise(reinterpret_cast<void *>(aligned), whole, MADV_HUGEPAGE);
    return reinterpret_cast<void *>(aligned);
#else
    return ::operator new(bytes);
#endif
}

void freeHuge(void *p, size_t bytes)
{
#ifdef __linux__
    munmap(p, pages(bytes));
#else
    ::operator delete(p);
    (void)bytes;
#endif
}

void tuneAllocator()
{
#ifdef __GLIBC__
    // Qt's PDF engine compresses every page through two fresh 10 MB buffers. With glibc's
    // default thresholds each page then grows the heap, faults its pages in and trims them away
    // again, a churn that dominates the CPU time of a long report. Keeping such buffers on the
    // heap, and up to 64 MB of freed heap mapped, removes it. The forest's big arrays do not depend on it: they are mapped (allocateHuge).
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
#endif
}

void releaseFreeMemory()
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

} // namespace causa::platform
