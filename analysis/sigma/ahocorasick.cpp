#include "ahocorasick.h"

#include <algorithm>
#include <deque>
#include <unordered_map>

namespace causa::sigma::detail {

namespace {

int32_t child(const std::vector<std::pair<unsigned char, int32_t>> &next, unsigned char c)
{
    for (const auto &[byte, to] : next)
        if (byte == c)
            return to;
    return -1;
}

} // namespace

int AhoCorasick::add(std::string_view pattern)
{
    int32_t s = 0;
    for (const char ch : pattern) {
        const auto c = static_cast<unsigned char>(ch);
        int32_t to = child(m_trie[size_t(s)].next, c);
        if (to < 0) {
            to = int32_t(m_trie.size());
            m_trie[size_t(s)].next.emplace_back(c, to);
            m_trie.emplace_back();
        }
        s = to;
    }
    if (!m_trie[size_t(s)].out.empty())
        return m_trie[size_t(s)].out.front();
    const int id = int(m_patterns.size());
    m_patterns.emplace_back(pattern);
    m_trie[size_t(s)].out.push_back(id);
    return id;
}

void AhoCorasick::build()
{
    // Byte classes: one per byte some pattern holds, class 0 for every other byte.
    std::fill(std::begin(m_class), std::end(m_class), uint8_t(0));
    m_classes = 1;
    for (const std::string &p : m_patterns)
        for (const char ch : p) {
            const auto c = static_cast<unsigned char>(ch);
            if (m_class[c] == 0)
                m_class[c] = uint8_t(m_classes++);
        }
    const size_t n = m_trie.size();
    std::vector<int32_t> delta(n * m_classes, 0);
    std::vector<int32_t> fail(n, 0);
    std::vector<std::vector<int32_t>> outs(n);
    std::deque<int32_t> queue;
    for (const auto &[c, to] : m_trie[0].next) {
        delta[m_class[c]] = to;
        queue.push_back(to);
    }
    outs[0] = m_trie[0].out;
    while (!queue.empty()) {
        const int32_t s = queue.front();
        queue.pop_front();
        outs[size_t(s)] = m_trie[size_t(s)].out;
        const auto &inherited = outs[size_t(fail[size_t(s)])];
        outs[size_t(s)].insert(outs[size_t(s)].end(), inherited.begin(), inherited.end());
        // Missing transitions follow the failure state's, already complete (BFS order).
        for (size_t k = 0; k < m_classes; ++k)
            delta[size_t(s) * m_classes + k] = delta[size_t(fail[size_t(s)]) * m_classes + k];
        for (const auto &[c, to] : m_trie[size_t(s)].next) {
            fail[size_t(to)] = delta[size_t(fail[size_t(s)]) * m_classes + m_class[c]];
            delta[size_t(s) * m_classes + m_class[c]] = to;
            queue.push_back(to);
        }
    }
    m_outStart.assign(n + 1, 0);
    m_outList.clear();
    for (size_t s = 0; s < n; ++s) {
        m_outStart[s] = int32_t(m_outList.size());
        m_outList.insert(m_outList.end(), outs[s].begin(), outs[s].end());
    }
    m_outStart[n] = int32_t(m_outList.size());
    // Flagged where a pattern ends: 16-bit state numbers when they fit, else row offsets.
    m_delta.clear();
    m_delta16.clear();
    if (n <= 0x7FFF) {
        m_delta16.resize(delta.size());
        for (size_t k = 0; k < delta.size(); ++k) {
            const auto to = size_t(delta[k]);
            m_delta16[k] = uint16_t(to | (outs[to].empty() ? 0u : 0x8000u));
        }
    } else {
        m_delta.resize(delta.size());
        for (size_t k = 0; k < delta.size(); ++k) {
            const auto to = size_t(delta[k]);
            m_delta[k] = uint32_t(to * m_classes) | (outs[to].empty() ? 0u : kHasOutput);
        }
    }
    m_trie.clear();
    m_trie.shrink_to_fit();
}

} // namespace causa::sigma::detail
