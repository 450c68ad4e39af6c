#pragma once

#include <cstddef>

// What Causa asks of the platform beyond standard C++, in one place: cache prefetch hints,
// memory for transparent huge pages, and the C library allocator's process-wide settings.
// Each has a plain fallback elsewhere, so code that uses them stays portable.
namespace causa::platform {

// Asks the CPU to start loading the cache line at p: a hint, never a change in results. Batch
// loops call it a few items ahead, so a random access overlaps with work on the current item.
inline void prefetch(const void *p)
{
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(p);
#else
    (void)p;
#endif
}

// Zeroed memory mapped straight from the kernel, 2 MB-aligned, its whole 2 MB chunks advised
// for transparent huge pages (Linux; elsewhere operator new, not zeroed). Give it back with
// freeHuge and the same size.
void *allocateHuge(size_t bytes);
void freeHuge(void *p, size_t bytes);

// The allocator settings of a Causa process: for main() (the applications and benches) only,
// never library code, because they change every allocation in the process.
void tuneAllocator();

// Returns the heap's free memory to the system (benches that measure resident memory).
void releaseFreeMemory();

} // namespace causa::platform
