#include "compiledset.h"
#include "events/flatevent.h"
#include "events/nestedevent.h"
#include "ruleset.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace causa::sigma {

using namespace detail;

namespace {

constexpr qsizetype kShownValueMax = 300;

QString shown(std::string_view v)
{
    QString s =
        QString::fromUtf8(v.data(), qsizetype(std::min<size_t>(v.size(), 4 * kShownValueMax)));
    if (s.size() > kShownValueMax) {
        s.truncate(kShownValueMax - 1);
        s += QChar(0x2026);
    }
    return s;
}

} // namespace

struct SigmaMatcher::State
{
    struct Slot
    {
        std::string_view raw;
        size_t lowerOffset = 0;
        quint32 epoch = 0;
    };
    struct Field
    {
        std::string_view key;
        std::string_view value;
    };

    events::FlatEvent flat;
    std::vector<Slot> slots;
    std::vector<int> present;
    std::vector<Field> all; // every field of the event, for keyword rules
    std::string lower;
    std::string keyBuffer;
    // Field ids by the key as the events spell it (a source spells its keys the same way in
    // every event): one comparison instead of lower-casing and hashing each key.
    struct KeyId
    {
        std::string key;
        int id = -1;
        bool known = false;
    };
    std::vector<KeyId> keyIds = std::vector<KeyId>(512);
    std::string scratch;
    quint32 epoch = 0;
    std::vector<quint32> instanceEpoch;
    std::vector<uint8_t> instanceBits;     // required groups hit so far, this event
    std::vector<uint8_t> instanceRequired; // Instance::required, packed for the scan loop
    std::vector<int> candidates;
    std::vector<std::vector<quint32>> patternEpoch; // [bucket * scanners...] flattened per scanner
    std::vector<std::vector<size_t>> scannerBase;   // bucket -> scanner -> index into patternEpoch
    int channelId = -1, eventIdId = -1;

    const Slot *slot(int id) const
    {
        const Slot &s = slots[size_t(id)];
        return s.epoch == epoch ? &s : nullptr;
    }
    std::string_view lowerOf(const Slot &s) const
    {
        return {lower.data() + s.lowerOffset, s.raw.size()};
    }

    bool load(std::string_view json, const CompiledSet &c);
    int fieldId(std::string_view key, const CompiledSet &c);
    void collectCandidates(const CompiledSet &c, int bucket, bool prefilter);
    bool testValue(const ValueTest &t, const Slot *s) const;
    bool matchGroups(const FieldCondition &fc, const Slot *s, const ValueTest *&hit) const;
    bool evalField(const FieldCondition &fc, std::vector<MatchedField> *why,
                   const QString &selection) const;
    bool evalSearch(const Search &s, std::vector<MatchedField> *why) const;
    bool evalNode(const CondNode &n, const std::vector<Search> &searches,
                  std::vector<MatchedField> *why) const;
};

SigmaMatcher::SigmaMatcher(const RuleSet &rules)
    : m_rules(rules), m_state(std::make_unique<State>())
{
    const CompiledSet &c = rules.compiled();
    State &st = *m_state;
    st.slots.resize(c.fieldNames.size() + 2);
    st.instanceEpoch.assign(c.instances.size(), 0);
    st.instanceBits.assign(c.instances.size(), 0);
    for (const Instance &inst : c.instances)
        st.instanceRequired.push_back(inst.required);
    for (const Bucket &b : c.buckets) {
        std::vector<size_t> bases;
        for (const FieldScanner &s : b.scanners) {
            bases.push_back(st.patternEpoch.size());
            st.patternEpoch.emplace_back(size_t(s.ac->patternCount()), 0);
        }
        st.scannerBase.push_back(std::move(bases));
    }
    const auto channel = c.fieldIds.find("channel");
    st.channelId = channel != c.fieldIds.end() ? channel->second : -1;
    const auto eventId = c.fieldIds.find("eventid");
    st.eventIdId = eventId != c.fieldIds.end() ? eventId->second : -1;
}

SigmaMatcher::~SigmaMatcher() = default;

bool SigmaMatcher::State::load(std::string_view json, const CompiledSet &c)
{
    // Nested values (a "tags" list) are read as text, as the full parser would give them; only
    // a nested {"Event": {...}} event needs that parser, to be flattened.
    const bool scanned =
        flat.scan(json.data(), qsizetype(json.size()), events::FlatEvent::Nested::AsText);
    if (!scanned || flat.textBytes("Event").starts_with('{')) {
        nlohmann::json obj = nlohmann::json::parse(json.begin(), json.end(), nullptr, false);
        if (obj.is_discarded() || !obj.is_object())
            return false;
        if (events::isNestedEvent(obj))
            obj = events::flattenNestedEvent(obj);
        flat.load(obj);
    }
    ++epoch;
    present.clear();
    all.clear();
    flat.forEachField([&](std::string_view key, std::string_view value) {
        all.push_back({key, value});
        const int id = fieldId(key, c);
        if (id < 0)
            return;
        Slot &s = slots[size_t(id)];
        if (s.epoch != epoch)
            present.push_back(id);
        s.epoch = epoch;
        s.raw = value;
    });
    for (const auto &[alias, field] : c.aliases) {
        if (slot(field) || !slot(alias))
            continue;
        slots[size_t(field)] = slots[size_t(alias)];
        present.push_back(field);
    }
    // One buffer for the lower-cased values, grown but never cleared (no fill per event).
    size_t total = 0;
    for (const int id : present)
        total += slots[size_t(id)].raw.size();
    if (lower.size() < total)
        lower.resize(total);
    size_t at = 0;
    for (const int id : present) {
        Slot &s = slots[size_t(id)];
        s.lowerOffset = at;
        asciiLower(s.raw.data(), s.raw.size(), lower.data() + at);
        at += s.raw.size();
    }
    return true;
}

int SigmaMatcher::State::fieldId(std::string_view key, const CompiledSet &c)
{
    auto byte = [&](size_t i) { return size_t(static_cast<unsigned char>(key[i])); };
    size_t h = key.size();
    if (!key.empty())
        h = h * 131 + byte(0) * 31 + byte(key.size() - 1) * 7 + byte(key.size() / 2);
    KeyId &k = keyIds[h % keyIds.size()];
    if (k.known && k.key == key)
        return k.id;
    asciiLower(key, keyBuffer);
    const auto it = c.fieldIds.find(std::string_view(keyBuffer));
    k.key = key;
    k.id = it == c.fieldIds.end() ? -1 : it->second;
    k.known = true;
    return k.id;
}

void SigmaMatcher::State::collectCandidates(const CompiledSet &c, int bucketIndex, bool prefilter)
{
    const Bucket &b = c.buckets[size_t(bucketIndex)];
    auto markAll = [&](int instance) {
        if (instanceEpoch[size_t(instance)] != epoch) {
            instanceEpoch[size_t(instance)] = epoch;
            instanceBits[size_t(instance)] = 0xFF;
            candidates.push_back(instance);
        }
    };
    if (!prefilter) {
        for (const int i : b.instances)
            markAll(i);
        return;
    }
    for (const int i : b.always)
        markAll(i);
    // A waiter's group is hit: the instance becomes a candidate when its last group is.
    auto mark = [&](int w) {
        const size_t i = size_t(w >> 2);
        if (instanceEpoch[i] != epoch) {
            instanceEpoch[i] = epoch;
            instanceBits[i] = 0;
        }
        const auto bits = uint8_t(instanceBits[i] | (1u << (w & 3)));
        if (bits == instanceBits[i])
            return;
        instanceBits[i] = bits;
        if (bits == instanceRequired[i])
            candidates.push_back(int(i));
    };
    for (size_t k = 0; k < b.scanners.size(); ++k) {
        const FieldScanner &scanner = b.scanners[k];
        const Slot *s = slot(scanner.fieldId);
        if (!s)
            continue;
        const std::string_view text = lowerOf(*s);
        std::vector<quint32> &seen = patternEpoch[scannerBase[size_t(bucketIndex)][k]];
        scanner.ac->scan(text, [&](int pattern, size_t end) {
            const PatternUse &u = scanner.uses[size_t(pattern)];
            const bool atStart = end == scanner.ac->patternLength(pattern);
            const bool atEnd = end == text.size();
            if (atStart)
                for (const int w : u.start)
                    mark(w);
            if (atEnd)
                for (const int w : u.end)
                    mark(w);
            if (atStart && atEnd)
                for (const int w : u.whole)
                    mark(w);
            if (seen[size_t(pattern)] != epoch) {
                seen[size_t(pattern)] = epoch;
                for (const int w : u.anywhere)
                    mark(w);
            }
        });
    }
}

bool SigmaMatcher::State::testValue(const ValueTest &t, const Slot *s) const
{
    switch (t.kind) {
    case ValueTest::Kind::Null: return !s || s->raw.empty();
    case ValueTest::Kind::Exists: return (s != nullptr) == t.exists;
    case ValueTest::Kind::FieldRef: {
        const Slot *other = t.refField >= 0 ? slot(t.refField) : nullptr;
        if (!s || !other)
            return false;
        const std::string_view a = t.cased ? s->raw : lowerOf(*s);
        const std::string_view b = t.cased ? other->raw : lowerOf(*other);
        switch (t.refMode) {
        case ValueTest::RefMode::Equals: return a == b;
        case ValueTest::RefMode::Contains: return a.find(b) != std::string_view::npos;
        case ValueTest::RefMode::StartsWith: return a.substr(0, b.size()) == b;
        case ValueTest::RefMode::EndsWith:
            return a.size() >= b.size() && a.substr(a.size() - b.size()) == b;
        }
        return false;
    }
    default: return s && t.matchText(s->raw, lowerOf(*s));
    }
}

// Whether the field's value satisfies the condition's groups (any, or with |all every one);
// hit: the first test that held.
bool SigmaMatcher::State::matchGroups(const FieldCondition &fc, const Slot *s,
                                      const ValueTest *&hit) const
{
    if (fc.list && s && fc.list->worthIt(s->raw.size())) {
        const auto [g, k] = fc.list->firstMatch(lowerOf(*s));
        hit = g >= 0 ? &fc.groups[size_t(g)][size_t(k)] : nullptr;
        return g >= 0;
    }
    bool ok = fc.all;
    for (const auto &group : fc.groups) {
        const ValueTest *groupHit = nullptr;
        for (const ValueTest &t : group)
            if (testValue(t, s)) {
                groupHit = &t;
                break;
            }
        if (fc.all && !groupHit)
            return false;
        if (groupHit && !hit)
            hit = groupHit;
        if (!fc.all && groupHit)
            return true;
    }
    return ok;
}

bool SigmaMatcher::State::evalField(const FieldCondition &fc, std::vector<MatchedField> *why,
                                    const QString &selection) const
{
    if (fc.fieldId < 0) {
        // Keywords: any value of any field, lower-cased here (few rules have them).
        std::string low;
        for (const auto &group : fc.groups)
            for (const ValueTest &t : group)
                for (const Field &f : all) {
                    asciiLower(f.value, low);
                    if (t.matchText(f.value, low)) {
                        if (why)
                            why->push_back(
                                {selection, QString(),
                                 QString::fromUtf8(f.key.data(), qsizetype(f.key.size())),
                                 t.display, shown(f.value)});
                        return true;
                    }
                }
        return false;
    }
    const Slot *s = slot(fc.fieldId);
    const ValueTest *hit = nullptr;
    const bool ok = matchGroups(fc, s, hit);
    if (ok && why) {
        QString test = hit ? hit->display : QString();
        if (fc.all && fc.groups.size() > 1)
            test = QStringLiteral("%1 (all %2 values)").arg(test).arg(fc.groups.size());
        why->push_back({selection, QString::fromStdString(fc.field),
                        QString::fromStdString(fc.eventField), test,
                        s ? shown(s->raw) : QString()});
    }
    return ok;
}

bool SigmaMatcher::State::evalSearch(const Search &s, std::vector<MatchedField> *why) const
{
    for (const auto &map : s.maps) {
        bool ok = true;
        for (const FieldCondition &fc : map)
            if (!evalField(fc, nullptr, s.name)) {
                ok = false;
                break;
            }
        if (!ok)
            continue;
        if (why)
            for (const FieldCondition &fc : map)
                evalField(fc, why, s.name);
        return true;
    }
    return false;
}

bool SigmaMatcher::State::evalNode(const CondNode &n, const std::vector<Search> &searches,
                                   std::vector<MatchedField> *why) const
{
    switch (n.op) {
    case CondNode::Op::Search: return evalSearch(searches[size_t(n.search)], why);
    case CondNode::Op::Not: return !evalNode(n.kids.front(), searches, nullptr);
    case CondNode::Op::And:
        for (const CondNode &k : n.kids)
            if (!evalNode(k, searches, nullptr))
                return false;
        if (why)
            for (const CondNode &k : n.kids)
                evalNode(k, searches, why);
        return true;
    case CondNode::Op::Or:
        for (const CondNode &k : n.kids)
            if (evalNode(k, searches, why))
                return true;
        return false;
    }
    return false;
}

int SigmaMatcher::match(std::string_view json, const EventMeta &meta, std::vector<SigmaMatch> &out)
{
    const CompiledSet &c = m_rules.compiled();
    State &st = *m_state;
    if (!c.compiled || c.instances.empty())
        return st.load(json, c) ? 0 : -1;
    if (!st.load(json, c))
        return -1;
    const State::Slot *channel = st.channelId >= 0 ? st.slot(st.channelId) : nullptr;
    if (!channel)
        return 0;
    const auto list = c.channelBuckets.find(st.lowerOf(*channel));
    if (list == c.channelBuckets.end())
        return 0;
    const State::Slot *idSlot = st.eventIdId >= 0 ? st.slot(st.eventIdId) : nullptr;
    const int eventCode =
        idSlot ? QByteArray(idSlot->raw.data(), qsizetype(idSlot->raw.size())).toInt() : -1;
    st.candidates.clear();
    for (const int b : c.channelLists[size_t(list->second)]) {
        const auto &ids = c.buckets[size_t(b)].eventIds;
        if (ids.empty() || std::find(ids.begin(), ids.end(), eventCode) != ids.end())
            st.collectCandidates(c, b, m_prefilter);
    }
    std::sort(st.candidates.begin(), st.candidates.end());
    int found = 0;
    for (const int i : st.candidates) {
        const Instance &inst = c.instances[size_t(i)];
        ++m_evaluations;
        if (!st.evalNode(inst.condition, inst.searches, nullptr))
            continue;
        const RuleInfo &r = c.rules[size_t(inst.rule)];
        SigmaMatch m;
        m.ruleIndex = inst.rule;
        m.ruleId = r.id;
        m.title = r.title;
        m.level = r.level;
        m.tags = r.tags;
        m.author = r.author;
        m.credit = r.credit;
        m.rulePath = r.path;
        m.target = inst.target;
        m.host = meta.host;
        m.ts = meta.ts;
        m.eventId = meta.eventId;
        m.eventCode = eventCode;
        m.channel = QString::fromUtf8(channel->raw.data(), qsizetype(channel->raw.size()));
        st.evalNode(inst.condition, inst.searches, &m.fields);
        out.push_back(std::move(m));
        ++found;
    }
    return found;
}

} // namespace causa::sigma
