#include "prefilter.h"

#include <algorithm>
#include <map>

namespace causa::sigma::detail {

namespace {

struct Atom
{
    int fieldId;
    Literal literal;

    bool operator==(const Atom &o) const
    {
        return fieldId == o.fieldId && literal.where == o.literal.where &&
               literal.text == o.literal.text;
    }
};

// How many bytes of each literal the scanners' automata hold (the rest is compared on a hit).
// Each byte more adds states to the table every scan walks; a rarely found four-byte run that
// turns out not to be its literal costs one comparison.
constexpr size_t kWindow = 4;

// Literals one of which must be found for an expression to be true.
using Group = std::vector<Atom>;

// How rarely a group is hit: by its weakest literal (longer is rarer; a position to match at
// counts as two more bytes), then by how few literals it has.
size_t strength(const Group &g)
{
    size_t w = SIZE_MAX;
    for (const Atom &a : g)
        w = std::min(w,
                     a.literal.text.size() + (a.literal.where == Literal::Where::Anywhere ? 0 : 2));
    return w;
}

// Groups that must all be hit for an expression to be true; none when the expression can be
// true without any literal (negations, numbers, absent fields, keywords...).
struct Need
{
    std::vector<Group> groups;
};

// The kMaxGroups rarest distinct groups: each is necessary, so any subset of them still is.
Need keepBest(std::vector<Group> groups)
{
    std::stable_sort(groups.begin(), groups.end(), [](const Group &a, const Group &b) {
        const size_t sa = strength(a), sb = strength(b);
        return sa != sb ? sa > sb : a.size() < b.size();
    });
    Need out;
    for (Group &g : groups) {
        if (out.groups.size() == size_t(kMaxGroups))
            break;
        if (std::find(out.groups.begin(), out.groups.end(), g) == out.groups.end())
            out.groups.push_back(std::move(g));
    }
    return out;
}

Need andOf(std::vector<Need> parts)
{
    std::vector<Group> all;
    for (Need &p : parts)
        for (Group &g : p.groups)
            all.push_back(std::move(g));
    return keepBest(std::move(all));
}

// (a1 and a2) or (b1 and b2) needs (a_i or b_j) for any i, j: the union of one group of each
// part, taken rank by rank (the best of each, then the second best...).
Need orOf(std::vector<Need> parts)
{
    size_t ranks = 0;
    for (const Need &p : parts) {
        if (p.groups.empty())
            return Need();
        ranks = std::max(ranks, p.groups.size());
    }
    std::vector<Group> unions;
    for (size_t r = 0; r < ranks; ++r) {
        Group u;
        for (const Need &p : parts) {
            const Group &g = p.groups[std::min(r, p.groups.size() - 1)];
            for (const Atom &a : g)
                if (std::find(u.begin(), u.end(), a) == u.end())
                    u.push_back(a);
        }
        unions.push_back(std::move(u));
    }
    return unions.empty() ? Need() : keepBest(std::move(unions));
}

Need groupNeed(const std::vector<ValueTest> &group, int fieldId)
{
    Group g;
    for (const ValueTest &t : group) {
        Literal lit;
        if (fieldId < 0 || !necessaryLiteral(t, lit))
            return Need(); // this variant can hold without a literal
        g.push_back({fieldId, std::move(lit)});
    }
    Need n;
    if (!g.empty())
        n.groups.push_back(std::move(g));
    return n;
}

Need fieldNeed(const FieldCondition &fc)
{
    std::vector<Need> parts;
    for (const auto &group : fc.groups)
        parts.push_back(groupNeed(group, fc.fieldId));
    if (parts.empty())
        return Need();
    return fc.all ? andOf(std::move(parts)) : orOf(std::move(parts));
}

Need searchNeed(const Search &s)
{
    std::vector<Need> maps;
    for (const auto &map : s.maps) {
        std::vector<Need> fields;
        for (const FieldCondition &fc : map)
            fields.push_back(fieldNeed(fc));
        maps.push_back(fields.empty() ? Need() : andOf(std::move(fields)));
    }
    if (maps.empty())
        return Need();
    return orOf(std::move(maps));
}

Need nodeNeed(const CondNode &n, const std::vector<Search> &searches)
{
    switch (n.op) {
    case CondNode::Op::Search: return searchNeed(searches[size_t(n.search)]);
    case CondNode::Op::Not: return Need();
    case CondNode::Op::And:
    case CondNode::Op::Or: {
        std::vector<Need> parts;
        for (const CondNode &k : n.kids)
            parts.push_back(nodeNeed(k, searches));
        if (parts.empty())
            return Need();
        return n.op == CondNode::Op::And ? andOf(std::move(parts)) : orOf(std::move(parts));
    }
    }
    return Need();
}

std::string mapped(const LogTarget &target, const std::string &field)
{
    for (const auto &[from, to] : target.fieldMap)
        if (from == field)
            return to;
    return field;
}

int bucketFor(CompiledSet &c, const LogTarget &target)
{
    for (size_t i = 0; i < c.buckets.size(); ++i)
        if (c.buckets[i].channel == target.channel && c.buckets[i].eventIds == target.eventIds)
            return int(i);
    Bucket b;
    b.channel = target.channel;
    b.eventIds = target.eventIds;
    c.buckets.push_back(std::move(b));
    const int index = int(c.buckets.size() - 1);
    auto it = c.channelBuckets.find(target.channel);
    if (it == c.channelBuckets.end()) {
        c.channelLists.emplace_back();
        it = c.channelBuckets.emplace(target.channel, int(c.channelLists.size() - 1)).first;
    }
    c.channelLists[size_t(it->second)].push_back(index);
    return index;
}

} // namespace

void addInstance(CompiledSet &c, int rule, const LogTarget &target)
{
    const RuleDraft &d = c.drafts[size_t(rule)];
    Instance inst;
    inst.rule = rule;
    inst.target = target.name;
    inst.searches = d.searches;
    inst.condition = d.condition;
    for (Search &s : inst.searches)
        for (auto &map : s.maps)
            for (FieldCondition &fc : map) {
                if (fc.field.empty())
                    continue; // keywords: every field
                fc.eventField = mapped(target, fc.field);
                fc.fieldId = c.internField(fc.eventField);
                for (auto &group : fc.groups)
                    for (ValueTest &t : group)
                        if (t.kind == ValueTest::Kind::FieldRef)
                            t.refField = c.internField(mapped(target, t.refName));
            }
    const int id = int(c.instances.size());
    const Need need = nodeNeed(inst.condition, inst.searches);
    inst.required = uint8_t((1u << need.groups.size()) - 1);
    c.instances.push_back(std::move(inst));
    Bucket &b = c.buckets[size_t(bucketFor(c, target))];
    b.instances.push_back(id);
    if (need.groups.empty()) {
        b.always.push_back(id);
        return;
    }
    for (size_t g = 0; g < need.groups.size(); ++g)
        for (const Atom &a : need.groups[g])
            b.pending.push_back({waiter(id, int(g)), a.fieldId, a.literal});
}

void buildScanners(CompiledSet &c)
{
    for (Bucket &b : c.buckets) {
        std::map<int, size_t> byField;
        for (const Bucket::PendingAtom &p : b.pending) {
            auto it = byField.find(p.fieldId);
            if (it == byField.end()) {
                it = byField.emplace(p.fieldId, b.scanners.size()).first;
                b.scanners.emplace_back();
                b.scanners.back().fieldId = p.fieldId;
            }
            FieldScanner &s = b.scanners[it->second];
            const int pattern = s.ac->add(p.literal.text);
            if (size_t(pattern) >= s.uses.size())
                s.uses.resize(size_t(pattern) + 1);
            PatternUse &u = s.uses[size_t(pattern)];
            auto &list = p.literal.where == Literal::Where::Start   ? u.start
                         : p.literal.where == Literal::Where::End   ? u.end
                         : p.literal.where == Literal::Where::Whole ? u.whole
                                                                    : u.anywhere;
            if (list.empty() || list.back() != p.waiter)
                list.push_back(p.waiter);
        }
        b.pending.clear();
        b.pending.shrink_to_fit();
    }
    std::map<std::vector<std::string>, std::shared_ptr<AhoCorasick>> built;
    for (Bucket &b : c.buckets)
        for (FieldScanner &s : b.scanners) {
            const auto [it, fresh] = built.try_emplace(s.ac->patterns(), s.ac);
            if (fresh)
                s.ac->build(kWindow);
            else
                s.ac = it->second;
        }
}

} // namespace causa::sigma::detail
