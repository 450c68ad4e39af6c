#pragma once

#include "core/platform.h"

#include <cstddef>
#include <memory>
#include <vector>

namespace causa::detail {

// Memory for the forest's big flat arrays (megabytes each), mapped straight from the kernel:
// 2 MB-aligned, its whole 2 MB chunks advised for transparent huge pages (the tail stays in
// small pages, so no more than asked for is ever touched). On a virtual machine a page fault
// can cost more than the work done in the page: one fault per 2 MB instead of per 4 KB. It also
// keeps big blocks out of malloc, whose first large request after many small frees (a loader
// sharing texts) sorts its free lists. Blocks under 1 MB come from the ordinary allocator.
// (The mapping itself is platform::allocateHuge.)
inline constexpr size_t kHugeMinBytes = size_t(1) << 20;

template<typename T>
struct HugeAllocator
{
    using value_type = T;
    HugeAllocator() = default;
    template<typename U>
    HugeAllocator(const HugeAllocator<U> &) noexcept
    {}
    T *allocate(size_t n)
    {
        if (n * sizeof(T) < kHugeMinBytes)
            return std::allocator<T>().allocate(n);
        return static_cast<T *>(platform::allocateHuge(n * sizeof(T)));
    }
    void deallocate(T *p, size_t n) noexcept
    {
        if (n * sizeof(T) < kHugeMinBytes)
            std::allocator<T>().deallocate(p, n);
        else
            platform::freeHuge(p, n * sizeof(T));
    }
    friend bool operator==(const HugeAllocator &, const HugeAllocator &) { return true; }
};

template<typename T>
using HugeVector = std::vector<T, HugeAllocator<T>>;

// v = n copies of value, reusing v's memory when it is big enough (already touched: no faults).
template<typename T>
void assignHuge(HugeVector<T> &v, size_t n, const T &value = T())
{
    if (v.capacity() < n) {
        HugeVector<T>().swap(v);
        v.reserve(n);
    }
    v.assign(n, value);
}

} // namespace causa::detail
