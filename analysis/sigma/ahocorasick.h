#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace causa::sigma::detail {

// Multi-literal search: every added pattern found in one pass over a text, as a DFA over byte
// classes (bytes no pattern holds share one class), so a scan is one table read per byte.
class AhoCorasick final
{
public:
    // Returns the pattern's index; adding the same bytes again returns the first index.
    int add(std::string_view pattern);
    void build();
    int patternCount() const { return int(m_patterns.size()); }
    size_t patternLength(int id) const { return m_patterns[size_t(id)].size(); }
    size_t stateCount() const { return m_outStart.empty() ? 0 : m_outStart.size() - 1; }

    // Calls onHit(patternIndex, endOffset) for every occurrence.
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
        // One table read per byte. Automata of fewer than 32768 states keep 16-bit entries
        // (the next state, its "has output" flag in the top bit): half the bytes, more of the
        // table in cache. Larger ones keep the next state's row offset with the flag beside it.
        const auto *bytes = reinterpret_cast<const unsigned char *>(text.data());
        if (!m_delta16.empty()) {
            const uint16_t *delta = m_delta16.data();
            uint32_t state = 0;
            for (size_t i = 0; i < text.size(); ++i) {
                const uint32_t e = delta[state * m_classes + m_class[bytes[i]]];
                state = e & 0x7FFFu;
                if (e & 0x8000u) [[unlikely]]
                    outputs(state, i + 1, onHit);
            }
            return;
        }
        const uint32_t *delta = m_delta.data();
        uint32_t row = 0;
        for (size_t i = 0; i < text.size(); ++i) {
            const uint32_t e = delta[row + m_class[bytes[i]]];
            row = e & kRowMask;
            if (e & kHasOutput) [[unlikely]]
                outputs(row / m_classes, i + 1, onHit);
        }
    }

    // Same patterns in the same order: the automata are interchangeable.
    const std::vector<std::string> &patterns() const { return m_patterns; }

private:
    template<typename Fn>
    void outputs(size_t state, size_t end, Fn &onHit) const
    {
        for (int32_t k = m_outStart[state]; k < m_outStart[state + 1]; ++k)
            onHit(m_outList[size_t(k)], end);
    }

    struct Node
    {
        std::vector<std::pair<unsigned char, int32_t>> next;
        std::vector<int32_t> out;
    };

    std::vector<std::string> m_patterns;
    std::vector<Node> m_trie{Node()};
    uint8_t m_class[256] = {};
    uint32_t m_classes = 1;
    static constexpr uint32_t kHasOutput = 0x80000000u;
    static constexpr uint32_t kRowMask = 0x7FFFFFFFu;
    std::vector<uint32_t> m_delta; // [state * classes + class] -> next row | kHasOutput
    std::vector<uint16_t> m_delta16; // or, below 32768 states, -> next state | 0x8000
    std::vector<int32_t> m_outStart;
    std::vector<int32_t> m_outList;
};

} // namespace causa::sigma::detail
