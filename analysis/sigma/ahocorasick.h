#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace causa::sigma::detail {

// Multi-literal search: every added pattern found in one pass over a text, as a DFA over byte
// classes (bytes no pattern holds share one class), so a scan is one table read per byte.
// Built with a window, the DFA holds only a short, rarely occurring window of each long pattern
// and an occurrence of the window is verified against the whole pattern: a few times fewer
// states (a table that stays in the caches, where one over whole patterns went to memory on
// most bytes), the same occurrences reported.
class AhoCorasick final
{
public:
    // Returns the pattern's index; adding the same bytes again returns the first index.
    int add(std::string_view pattern);
    // window: at most this many bytes of each pattern in the DFA; 0: whole patterns.
    void build(size_t window = 0);
    int patternCount() const { return int(m_patterns.size()); }
    size_t patternLength(int id) const { return m_patterns[size_t(id)].size(); }
    size_t stateCount() const { return m_states; }
    size_t classCount() const { return m_classes; }

    // Calls onHit(patternIndex, endOffset) once for every occurrence, in no particular order.
    template<typename Fn>
    void scan(std::string_view text, Fn &&onHit) const
    {
        if (m_patterns.size() == 1) {
            // One literal: the library's substring search (memchr on its first byte) beats a
            // table walk over every byte.
            const std::string &p = m_patterns.front();
            for (size_t at = text.find(p); at != std::string_view::npos; at = text.find(p, at + 1))
                onHit(0, at + p.size());
            return;
        }
        if (!m_delta16.empty())
            walk(m_delta16.data(), text, onHit);
        else if (!m_delta32.empty())
            walk(m_delta32.data(), text, onHit);
    }

    // Same patterns in the same order: the automata are interchangeable.
    const std::vector<std::string> &patterns() const { return m_patterns; }

private:
    // A pattern reached through a window: it spans [end - lead, end + tail) around the window's
    // end offset `end`.
    struct Verify
    {
        int32_t pattern;
        uint32_t lead;
        uint32_t tail;
        uint32_t bytes; // the pattern's offset in m_bytes
        bool whole;     // the window is the whole pattern: nothing to compare
    };

    // The table is column-major (entry = delta[column[byte] + state]) so a step is an add and a
    // load, with no multiply on the chain from one byte to the next. The text is cut into four
    // lanes walked in one loop: each step waits on the previous load, and four independent
    // chains overlap those waits. A lane starts depth - 1 bytes before its part (the longest
    // window fits in that lead-in) and reports only windows ending inside its part.
    template<typename Entry, typename Fn>
    void walk(const Entry *delta, std::string_view text, Fn &onHit) const
    {
        constexpr Entry kOut = Entry(Entry(1) << (sizeof(Entry) * 8 - 1));
        const auto *bytes = reinterpret_cast<const unsigned char *>(text.data());
        const size_t n = text.size();
        const size_t part = n / 4;
        auto step = [&](Entry &s, size_t i) {
            const Entry e = delta[m_column[bytes[i]] + s];
            s = Entry(e & Entry(~kOut));
            if (e & kOut) [[unlikely]]
                outputs(s, i + 1, text, onHit);
        };
        auto enter = [&](size_t from, size_t to) {
            Entry s = 0;
            for (size_t i = from; i < to; ++i)
                s = Entry(delta[m_column[bytes[i]] + s] & Entry(~kOut));
            return s;
        };
        if (part < kMinLane || part < m_depth) {
            Entry s = 0;
            for (size_t i = 0; i < n; ++i)
                step(s, i);
            return;
        }
        const size_t lead = m_depth - 1;
        Entry s0 = 0, s1 = enter(part - lead, part), s2 = enter(2 * part - lead, 2 * part),
              s3 = enter(3 * part - lead, 3 * part);
        for (size_t i = 0; i < part; ++i) {
            step(s0, i);
            step(s1, part + i);
            step(s2, 2 * part + i);
            step(s3, 3 * part + i);
        }
        for (size_t i = 4 * part; i < n; ++i)
            step(s3, i);
    }

    template<typename Fn>
    void outputs(size_t state, size_t end, std::string_view text, Fn &onHit) const
    {
        for (int32_t k = m_outStart[state]; k < m_outStart[state + 1]; ++k) {
            const Verify &x = m_out[size_t(k)];
            if (x.whole)
                onHit(x.pattern, end);
            else if (end >= x.lead && end + x.tail <= text.size() &&
                     std::memcmp(text.data() + end - x.lead, m_bytes.data() + x.bytes,
                                 x.lead + x.tail) == 0)
                onHit(x.pattern, end + x.tail);
        }
    }

    struct Node
    {
        std::vector<std::pair<unsigned char, int32_t>> next;
        int32_t window = -1;
    };
    struct Trie;
    void fill(const Trie &trie, const uint8_t (&byteClass)[256],
              const std::vector<std::vector<Verify>> &verify);

    static constexpr size_t kMinLane = 8;
    // Non-ASCII bytes (UTF-8 dashes, homoglyphs and emoji in a few rules) share 16 classes by
    // their low bits: the DFA finds a window up to which non-ASCII bytes it holds and the
    // comparison with the pattern decides. Otherwise each such byte is a column of its own and
    // the table twice as wide; with one class for all, the hundreds of emoji patterns share
    // one window and every run of non-ASCII text is compared with each of them.
    static unsigned char fold(unsigned char c) { return c < 0x80 ? c : uint8_t(0x80 | (c & 0x0F)); }
    std::vector<std::string> m_patterns;
    std::unordered_map<std::string, int> m_ids; // until build()
    uint32_t m_column[256] = {};
    size_t m_classes = 1;
    size_t m_states = 0;
    size_t m_depth = 1;
    std::vector<uint16_t> m_delta16; // below 32768 states: next state, top bit "has output"
    std::vector<uint32_t> m_delta32; // otherwise the same in 32 bits
    // By state: the patterns of the windows ending there (inherited ones included), one list
    // and no index of windows in between: a hit's lookups are cache misses, the fewer the better.
    std::vector<int32_t> m_outStart;
    std::vector<Verify> m_out;
    std::string m_bytes; // every pattern, one after the other: compared without a pointer chase
};

} // namespace causa::sigma::detail
