#include "literallist.h"

#include <climits>

namespace causa::sigma::detail {

namespace {

// The literal and its place when the glob is exactly one of "abc", "abc*", "*abc", "*abc*".
bool plainLiteral(const ValueTest &t, Literal &out)
{
    if (t.kind != ValueTest::Kind::Glob || t.cased)
        return false;
    const auto &s = t.segments;
    for (const GlobSegment &g : s)
        if (!g.anyAt.empty())
            return false;
    if (s.size() == 1 && !s[0].text.empty())
        out = {s[0].text, Literal::Where::Whole};
    else if (s.size() == 2 && !s[0].text.empty() && s[1].text.empty())
        out = {s[0].text, Literal::Where::Start};
    else if (s.size() == 2 && s[0].text.empty() && !s[1].text.empty())
        out = {s[1].text, Literal::Where::End};
    else if (s.size() == 3 && s[0].text.empty() && !s[1].text.empty() && s[2].text.empty())
        out = {s[1].text, Literal::Where::Anywhere};
    else
        return false;
    return true;
}

} // namespace

std::shared_ptr<const LiteralList>
LiteralList::make(const std::vector<std::vector<ValueTest>> &groups)
{
    auto list = std::make_shared<LiteralList>();
    for (size_t g = 0; g < groups.size(); ++g)
        for (size_t k = 0; k < groups[g].size(); ++k) {
            Literal lit;
            if (!plainLiteral(groups[g][k], lit))
                return nullptr;
            list->m_literals.push_back(std::move(lit));
            list->m_tests.emplace_back(int(g), int(k));
        }
    if (list->m_literals.size() < kMinTests)
        return nullptr;
    return list;
}

void LiteralList::build() const
{
    for (size_t i = 0; i < m_literals.size(); ++i) {
        const int pattern = m_ac.add(m_literals[i].text);
        if (size_t(pattern) >= m_uses.size())
            m_uses.resize(size_t(pattern) + 1);
        m_uses[size_t(pattern)].push_back({int(i), m_literals[i].where});
    }
    m_ac.build(kWindow);
}

std::pair<int, int> LiteralList::firstMatch(std::string_view lower) const
{
    std::call_once(m_built, [this] { build(); });
    int best = INT_MAX;
    m_ac.scan(lower, [&](int pattern, size_t end) {
        const bool atStart = end == m_ac.patternLength(pattern);
        const bool atEnd = end == lower.size();
        for (const Use &u : m_uses[size_t(pattern)]) {
            const bool placed = u.where == Literal::Where::Anywhere ||
                                (u.where == Literal::Where::Start && atStart) ||
                                (u.where == Literal::Where::End && atEnd) ||
                                (u.where == Literal::Where::Whole && atStart && atEnd);
            if (placed && u.ordinal < best)
                best = u.ordinal;
        }
    });
    return best == INT_MAX ? std::pair{-1, -1} : m_tests[size_t(best)];
}

} // namespace causa::sigma::detail
