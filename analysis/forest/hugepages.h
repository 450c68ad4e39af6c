#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace causa::detail {

// The forest build fills arrays of tens of megabytes once; in 4 KB pages the page faults were
// a large share of its time. Asks the kernel for transparent huge pages on the 2 MB-aligned
// interior of a block that is allocated but not yet touched (a hint: ignored where THP is off).
inline void adviseHugePages(void *data, size_t bytes)
{
#ifdef __linux__
    constexpr uintptr_t huge = uintptr_t(2) << 20;
    if (bytes < 2 * huge)
        return;
    const uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + huge - 1) & ~(huge - 1);
    const uintptr_t end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(huge - 1);
    if (end > begin)
        madvise(reinterpret_cast<void *>(begin), size_t(end - begin), MADV_HUGEPAGE);
#else
    (void)data;
    (void)bytes;
#endif
}

// v = n copies of value, in memory advised for huge pages before it is first written.
template<typename T>
void assignHuge(std::vector<T> &v, size_t n, const T &value = T())
{
    if (v.capacity() < n) {
        std::vector<T>().swap(v);
        v.reserve(n);
        adviseHugePages(v.data(), n * sizeof(T));
    }
    v.assign(n, value);
}

template<typename T>
void reserveHuge(std::vector<T> &v, size_t n)
{
    if (v.capacity() < n) {
        v.reserve(n);
        adviseHugePages(v.data(), n * sizeof(T));
    }
}

} // namespace causa::detail
