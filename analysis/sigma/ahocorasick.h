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
        int32_t s = 0;
        const auto *bytes = reinterpret_cast<const unsigned char *>(text.data());
        for (size_t i = 0; i < text.size(); ++i) {
            s = m_delta[size_t(s) * m_classes + m_class[bytes[i]]];
            if (m_outStart[size_t(s)] != m_outStart[size_t(s) + 1])
                for (int32_t k = m_outStart[size_t(s)]; k < m_outStart[size_t(s) + 1]; ++k)
                    onHit(m_outList[size_t(k)], i + 1);
        }
    }

private:
    struct Node
    {
        std::vector<std::pair<unsigned char, int32_t>> next;
        std::vector<int32_t> out;
    };

    std::vector<std::string> m_patterns;
    std::vector<Node> m_trie{Node()};
    uint8_t m_class[256] = {};
    size_t m_classes = 1;
    std::vector<int32_t> m_delta;
    std::vector<int32_t> m_outStart;
    std::vector<int32_t> m_outList;
};

} // namespace causa::sigma::detail
