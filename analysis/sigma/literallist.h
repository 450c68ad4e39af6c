#pragma once

#include "ahocorasick.h"
#include "valuetest.h"

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace causa::sigma::detail {

// A field condition's long list of plain literal tests (contains, startswith, endswith or
// equals one of dozens of values, as PowerShell parameter rules write them) answered by one
// automaton pass over the value instead of one search per value: 108 searches over a 5 KB
// command line took a millisecond. The automaton is built on first use (most lists are never
// evaluated), once, whichever thread gets there first; copies of the condition share it.
class LiteralList final
{
public:
    // nullptr unless every test is a plain lower-case literal and there are enough of them.
    static std::shared_ptr<const LiteralList>
    make(const std::vector<std::vector<ValueTest>> &groups);

    // Whether one pass beats a search per test on a value this long: only on long values (an
    // automaton of a list evaluated now and then is out of the caches, and a short value is
    // searched fast enough test by test).
    bool worthIt(size_t valueSize) const { return valueSize >= kMinValue; }
    // The first test (group order, then variant order) the lower-cased value satisfies, as
    // (group, index in the group), like the per-test loop finds it; (-1, -1) when none does.
    std::pair<int, int> firstMatch(std::string_view lower) const;

private:
    static constexpr size_t kMinTests = 8;
    static constexpr size_t kMinValue = 4096;
    static constexpr size_t kWindow = 8; // bytes of each literal in the automaton

    struct Use
    {
        int ordinal; // of the test in evaluation order
        Literal::Where where;
    };
    void build() const;

    std::vector<Literal> m_literals;          // by ordinal
    std::vector<std::pair<int, int>> m_tests; // by ordinal: (group, index)
    mutable std::once_flag m_built;
    mutable AhoCorasick m_ac;
    mutable std::vector<std::vector<Use>> m_uses; // by pattern
};

} // namespace causa::sigma::detail
