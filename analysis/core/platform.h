#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

// What Causa asks of the platform beyond standard C++, in one place: cache prefetch hints,
// 16-byte vector steps over text, memory for transparent huge pages, and the C library
// allocator's process-wide settings. Each has a plain fallback, so code that uses them stays
// portable.
namespace causa::platform {

// The 16 bytes at p as a bit mask: bit i is set when p[i] is a or b, below 0x20, or 0x80 and
// above (for JSON strings: the bytes that cannot be copied as they are).
inline unsigned stopBytes16(const char *p, char a, char b)
{
#if defined(__SSE2__)
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
    const __m128i eq =
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(a)), _mm_cmpeq_epi8(v, _mm_set1_epi8(b)));
    // A signed comparison: bytes of 0x80 and above are negative, so "< 0x20" takes them too.
    const __m128i low = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
    return unsigned(_mm_movemask_epi8(_mm_or_si128(eq, low)));
#else
    unsigned mask = 0;
    for (int i = 0; i < 16; ++i) {
        const auto c = static_cast<unsigned char>(p[i]);
        if (p[i] == a || p[i] == b || c < 0x20 || c >= 0x80)
            mask |= 1u << i;
    }
    return mask;
#endif
}

// The 16 bytes at p as a bit mask: bit i is set when p[i] is one of chars.
template<typename... Chars>
inline unsigned equalBytes16(const char *p, Chars... chars)
{
#if defined(__SSE2__)
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
    __m128i eq = _mm_setzero_si128();
    ((eq = _mm_or_si128(eq, _mm_cmpeq_epi8(v, _mm_set1_epi8(chars)))), ...);
    return unsigned(_mm_movemask_epi8(eq));
#else
    unsigned mask = 0;
    for (int i = 0; i < 16; ++i)
        if (((p[i] == chars) || ...))
            mask |= 1u << i;
    return mask;
#endif
}

// Writes the 16 bytes at in to out with ASCII capitals lowered; other bytes unchanged.
inline void asciiLower16(const char *in, char *out)
{
#if defined(__SSE2__)
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(in));
    // Signed: bytes of 0x80 and above are negative, never above 'A' - 1.
    const __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)),
                                        _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
    _mm_storeu_si128(reinterpret_cast<__m128i *>(out),
                     _mm_or_si128(v, _mm_and_si128(upper, _mm_set1_epi8(0x20))));
#else
    for (int i = 0; i < 16; ++i)
        out[i] = (in[i] >= 'A' && in[i] <= 'Z') ? char(in[i] + 32) : in[i];
#endif
}

// The 8 UTF-16 code units at p as a bit mask: bit i is set when p[i] is a or b.
inline unsigned equalUnits8(const char16_t *p, char16_t a, char16_t b)
{
#if defined(__SSE2__)
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
    const __m128i eq = _mm_or_si128(_mm_cmpeq_epi16(v, _mm_set1_epi16(short(a))),
                                    _mm_cmpeq_epi16(v, _mm_set1_epi16(short(b))));
    // Each 0xFFFF lane packs to one 0xFF byte: one mask bit per code unit.
    return unsigned(_mm_movemask_epi8(_mm_packs_epi16(eq, _mm_setzero_si128())));
#else
    unsigned mask = 0;
    for (int i = 0; i < 8; ++i)
        if (p[i] == a || p[i] == b)
            mask |= 1u << i;
    return mask;
#endif
}

// Writes the low bytes of the 8 UTF-16 code units at in to out (8 bytes) and returns a bit mask
// of the units that are not plain JSON text: a or b, below 0x20, or 0x80 and above. The bytes
// written for those units are meaningless; the caller writes them its own way.
inline unsigned narrowAscii8(const char16_t *in, char *out, char16_t a, char16_t b)
{
#if defined(__SSE2__)
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(in));
    // Signed 16-bit comparisons: units of 0x8000 and above are negative, so "< 0x20" takes
    // them and "> 0x7F" takes 0x80..0x7FFF.
    const __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi16(v, _mm_set1_epi16(0x20)),
                                                   _mm_cmpgt_epi16(v, _mm_set1_epi16(0x7F))),
                                      _mm_or_si128(_mm_cmpeq_epi16(v, _mm_set1_epi16(short(a))),
                                                   _mm_cmpeq_epi16(v, _mm_set1_epi16(short(b)))));
    _mm_storel_epi64(reinterpret_cast<__m128i *>(out), _mm_packus_epi16(v, v));
    return unsigned(_mm_movemask_epi8(_mm_packs_epi16(stop, _mm_setzero_si128())));
#else
    unsigned mask = 0;
    for (int i = 0; i < 8; ++i) {
        out[i] = char(in[i] & 0x7F);
        if (in[i] == a || in[i] == b || in[i] < 0x20 || in[i] >= 0x80)
            mask |= 1u << i;
    }
    return mask;
#endif
}

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
