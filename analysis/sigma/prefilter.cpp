#include "prefilter.h"

#include <algorithm>
#include <map>

namespace causa::sigma::detail {

namespace {

struct Atom
{
    int fieldId;
    Literal literal;
};

// A set of literals one of which must be found for an expression to be true; "any" when the
// expression can be true without any (negations, regexes, numbers, absent fields...).
struct Need
{
    bool any = true;
    std::vector<Atom> atoms;

    size_t weakest() const
    {
        size_t w = SIZE_MAX;
        for (const Atom &a : atoms)
            w = std::min(w, a.literal.text.size() + (a.literal.where == Literal::Where::Anywhere ? 0 : 2));
        return w;
    }
    // Better to wait on: longer literals are rarer; fewer of them wake the rule less often.
    bool betterThan(const Need &o) const
    {
        if (any != o.any)
            return !any;
        if (weakest() != o.weakest())
            return weakest() > o.weakest();
        return atoms.size() < o.atoms.size();
    }
};

Need orOf(std::vector<Need> parts)
{
    Need out;
    out.any = false;
    for (Need &p : parts) {
        if (p.any)
            return Need();
        out.atoms.insert(out.atoms.end(), p.atoms.begin(), p.atoms.end());
    }
    if (out.atoms.empty())
        return Need();
    return out;
}

Need andOf(std::vector<Need> parts)
{
    Need best;
    for (Need &p : parts)
        if (p.betterThan(best))
            best = std::move(p);
    return best;
}

Need groupNeed(const std::vector<ValueTest> &group, int fieldId)
{
    std::vector<Need> parts;
    for (const ValueTest &t : group) {
        Need n;
        Literal lit;
        if (fieldId >= 0 && necessaryLiteral(t, lit)) {
            n.any = false;
            n.atoms.push_back({fieldId, std::move(lit)});
        }
        parts.push_back(std::move(n));
    }
    return orOf(std::move(parts));
}

Need fieldNeed(const FieldCondition &fc)
{
    std::vector<Need> parts;
    for (const auto &group : fc.groups)
        parts.push_back(groupNeed(group, fc.fieldId));
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
    return orOf(std::move(maps));
}

Need nodeNeed(const CondNode &n, const std::vector<Search> &searches)
{
    switch (n.op) {
    case CondNode::Op::Search:
        return searchNeed(searches[size_t(n.search)]);
    case CondNode::Op::Not:
        return Need();
    case CondNode::Op::And:
    case CondNode::Op::Or: {
        std::vector<Need> parts;
        for (const CondNode &k : n.kids)
            parts.push_back(nodeNeed(k, searches));
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
    c.instances.push_back(std::move(inst));
    Bucket &b = c.buckets[size_t(bucketFor(c, target))];
    b.instances.push_back(id);
    if (need.any) {
        b.always.push_back(id);
        return;
    }
    for (const Atom &a : need.atoms)
        b.pending.push_back({id, a.fieldId, a.literal});
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
            const int pattern = s.ac.add(p.literal.text);
            if (size_t(pattern) >= s.uses.size())
                s.uses.resize(size_t(pattern) + 1);
            PatternUse &u = s.uses[size_t(pattern)];
            auto &list = p.literal.where == Literal::Where::Start ? u.start
                         : p.literal.where == Literal::Where::End ? u.end
                         : p.literal.where == Literal::Where::Whole ? u.whole
                                                                    : u.anywhere;
            if (list.empty() || list.back() != p.instance)
                list.push_back(p.instance);
        }
        for (FieldScanner &s : b.scanners)
            s.ac.build();
        b.pending.clear();
        b.pending.shrink_to_fit();
    }
}

} // namespace causa::sigma::detail
