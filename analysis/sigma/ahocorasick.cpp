#include "ahocorasick.h"

#include <algorithm>
#include <cstdio>
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

// How common a (lower-cased) byte is in command lines, paths and script text: separators and
// frequent letters high, rare letters low. A window's cost is the sum over its bytes, so the
// cheapest window is the one expected to occur least often.
int commonness(unsigned char c)
{
    switch (c) {
    case ' ':
    case '\\': return 9;
    case 'e':
    case '.': return 8;
    case '-':
    case '/':
    case 't':
    case 'a':
    case 'o':
    case 'i':
    case 'n':
    case 's':
    case 'r': return 7;
    case ':':
    case '"':
    case 'c':
    case 'l':
    case 'd':
    case 'm':
    case 'p':
    case 'h':
    case 'x': return 6;
    case 'u':
    case 'w':
    case '=':
    case '0':
    case '1':
    case '2':
    case 'f':
    case 'g':
    case 'b': return 5;
    default: return c >= 0x80 ? 12 : (c >= '0' && c <= '9') || c == 'v' || c == 'y' ? 4 : 3;
    }
}

// How many patterns hold each run of `window` bytes.
using SharedRuns = std::unordered_map<std::string_view, int>;

SharedRuns sharedRuns(const std::vector<std::string> &patterns, size_t window)
{
    SharedRuns counts;
    std::vector<std::string_view> runs;
    for (const std::string &p : patterns) {
        runs.clear();
        for (size_t at = 0; at + window <= p.size(); ++at)
            runs.push_back(std::string_view(p).substr(at, window));
        std::sort(runs.begin(), runs.end());
        runs.erase(std::unique(runs.begin(), runs.end()), runs.end());
        for (const std::string_view r : runs)
            ++counts[r];
    }
    return counts;
}

// Where a pattern's window lies: its first byte and length. The whole pattern when it is no
// longer than `window`; else the run of `window` bytes expected to occur least often: made of
// uncommon bytes, and held by few other patterns (a run many patterns hold is a common word,
// "powershell", and each of its occurrences would be compared with all of them).
std::pair<size_t, size_t> windowOf(std::string_view pattern, size_t window,
                                   const SharedRuns &shared)
{
    if (window == 0 || pattern.size() <= window)
        return {0, pattern.size()};
    size_t best = 0;
    int bestCost = 0;
    for (size_t at = 0; at + window <= pattern.size(); ++at) {
        int cost = 0;
        for (size_t i = at; i < at + window; ++i)
            cost += commonness(static_cast<unsigned char>(pattern[i]));
        const auto it = shared.find(pattern.substr(at, window));
        cost += 4 * std::min(it == shared.end() ? 0 : it->second - 1, 25);
        if (at == 0 || cost < bestCost) {
            best = at;
            bestCost = cost;
        }
    }
    return {best, window};
}

} // namespace

// The trie of windows being built, and the BFS that turns it into the DFA.
struct AhoCorasick::Trie
{
    std::vector<Node> nodes{Node()};

    int32_t insert(std::string_view bytes)
    {
        int32_t s = 0;
        for (const char ch : bytes) {
            const auto c = static_cast<unsigned char>(ch);
            int32_t to = child(nodes[size_t(s)].next, c);
            if (to < 0) {
                to = int32_t(nodes.size());
                nodes[size_t(s)].next.emplace_back(c, to);
                nodes.emplace_back();
            }
            s = to;
        }
        return s;
    }
};

int AhoCorasick::add(std::string_view pattern)
{
    const auto [it, fresh] = m_ids.try_emplace(std::string(pattern), int(m_patterns.size()));
    if (fresh)
        m_patterns.emplace_back(pattern);
    return it->second;
}

void AhoCorasick::build(size_t window)
{
    m_ids.clear();
    const SharedRuns shared = window ? sharedRuns(m_patterns, window) : SharedRuns();
    Trie trie;
    std::vector<std::vector<Verify>> verify; // by window
    m_depth = 1;
    m_bytes.clear();
    for (size_t p = 0; p < m_patterns.size(); ++p) {
        const std::string &text = m_patterns[p];
        const auto [at, len] = windowOf(text, window, shared);
        std::string folded = text.substr(at, len);
        bool exact = true;
        for (char &ch : folded)
            if (static_cast<unsigned char>(ch) >= 0x80) {
                ch = char(fold(static_cast<unsigned char>(ch)));
                exact = false;
            }
        Node *node = &trie.nodes[size_t(trie.insert(folded))];
        if (node->window < 0) {
            node->window = int32_t(verify.size());
            verify.emplace_back();
        }
        const bool whole = exact && at == 0 && len == text.size();
        verify[size_t(node->window)].push_back({int32_t(p), uint32_t(at + len),
                                                uint32_t(text.size() - at - len),
                                                uint32_t(m_bytes.size()), whole});
        m_bytes += text;
        m_depth = std::max(m_depth, len);
    }
    // Byte classes: one per byte some window holds, class 0 for every other byte; each
    // non-ASCII byte in the class of the byte it folds to.
    uint8_t byteClass[256] = {};
    m_classes = 1;
    for (const Node &node : trie.nodes)
        for (const auto &[c, to] : node.next)
            if (byteClass[c] == 0)
                byteClass[c] = uint8_t(m_classes++);
    for (int c = 0x80; c < 256; ++c)
        byteClass[c] = byteClass[fold(static_cast<unsigned char>(c))];
    fill(trie, byteClass, verify);
}

// Completes the trie into a DFA by BFS (missing transitions follow the failure state's), numbers
// the states in BFS order (the shallow states every scan keeps visiting sit together) and lays
// the table out by column.
void AhoCorasick::fill(const Trie &trie, const uint8_t (&byteClass)[256],
                       const std::vector<std::vector<Verify>> &verify)
{
    const size_t n = trie.nodes.size();
    const size_t classes = m_classes;
    std::vector<int32_t> delta(n * classes, 0), fail(n, 0), order;
    std::vector<std::vector<int32_t>> outs(n);
    std::deque<int32_t> queue{0};
    while (!queue.empty()) {
        const int32_t s = queue.front();
        queue.pop_front();
        order.push_back(s);
        const Node &node = trie.nodes[size_t(s)];
        if (node.window >= 0)
            outs[size_t(s)].push_back(node.window);
        if (s != 0) {
            const auto &inherited = outs[size_t(fail[size_t(s)])];
            outs[size_t(s)].insert(outs[size_t(s)].end(), inherited.begin(), inherited.end());
            std::copy_n(&delta[size_t(fail[size_t(s)]) * classes], classes,
                        &delta[size_t(s) * classes]);
        }
        for (const auto &[c, to] : node.next) {
            fail[size_t(to)] = s == 0 ? 0 : delta[size_t(fail[size_t(s)]) * classes + byteClass[c]];
            delta[size_t(s) * classes + byteClass[c]] = to;
            queue.push_back(to);
        }
    }
    std::vector<int32_t> number(n);
    for (size_t k = 0; k < n; ++k)
        number[size_t(order[k])] = int32_t(k);
    m_states = n;
    for (int c = 0; c < 256; ++c)
        m_column[c] = uint32_t(byteClass[c] * n);
    m_outStart.assign(1, 0);
    m_out.clear();
    for (const int32_t s : order) {
        for (const int32_t w : outs[size_t(s)])
            m_out.insert(m_out.end(), verify[size_t(w)].begin(), verify[size_t(w)].end());
        m_outStart.push_back(int32_t(m_out.size()));
    }
    m_delta16.clear();
    m_delta32.clear();
    auto entry = [&](size_t from, size_t c, uint32_t flag) {
        const auto to = size_t(delta[from * classes + c]);
        return uint32_t(number[to]) | (outs[to].empty() ? 0u : flag);
    };
    if (n <= 0x7FFF)
        m_delta16.resize(n * classes);
    else
        m_delta32.resize(n * classes);
    for (size_t s = 0; s < n; ++s)
        for (size_t c = 0; c < classes; ++c) {
            const size_t at = c * n + size_t(number[s]);
            if (!m_delta16.empty())
                m_delta16[at] = uint16_t(entry(s, c, 0x8000u));
            else
                m_delta32[at] = entry(s, c, 0x80000000u);
        }
}

} // namespace causa::sigma::detail
