#pragma once

#include "ahocorasick.h"
#include "compiledrule.h"
#include "logsource.h"

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace causa::sigma::detail {

struct StringHash
{
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};
using StringIndex = std::unordered_map<std::string, int, StringHash, std::equal_to<>>;

// A rule bound to one log target: its field names resolved to the target's event fields.
struct Instance
{
    int rule = -1;
    QString target;
    std::vector<Search> searches;
    CondNode condition;
    // One bit per required literal group (at most kMaxGroups): the instance is evaluated only
    // once every group has a literal found. 0: no group could be derived, always evaluated.
    uint8_t required = 0;
};

constexpr int kMaxGroups = 4;

// A waiter on a prefilter literal: (instance << 2) | group.
inline int waiter(int instance, int group)
{
    return (instance << 2) | group;
}

// Who waits for a prefilter literal, by where it must be found in the field's value.
struct PatternUse
{
    std::vector<int> anywhere, start, end, whole;
};

struct FieldScanner
{
    int fieldId = -1;
    // Shared between scanners with the same patterns in the same order (Sysmon's Image and
    // 4688's NewProcessName read by the same rules): one table in memory and cache, not two.
    std::shared_ptr<AhoCorasick> ac = std::make_shared<AhoCorasick>();
    std::vector<PatternUse> uses; // by pattern index
};

// The instances that read one channel (and event ids), with their shared literal scanners:
// an instance is evaluated only when each of its required groups has a literal found, or
// always when it has none.
struct Bucket
{
    std::string channel;
    std::vector<int> eventIds; // empty: every id
    std::vector<int> instances;
    std::vector<int> always;
    std::vector<FieldScanner> scanners;
    struct PendingAtom
    {
        int waiter; // waiter(instance, group)
        int fieldId;
        Literal literal;
    };
    std::vector<PendingAtom> pending; // until buildScanners()
};

struct CompiledSet
{
    std::vector<RuleInfo> rules;
    std::vector<RuleDraft> drafts;
    std::vector<SkippedRule> skipped;
    std::vector<Instance> instances;
    std::vector<Bucket> buckets;
    StringIndex channelBuckets; // lower-case channel -> index into channelLists
    std::vector<std::vector<int>> channelLists;
    StringIndex fieldIds; // lower-case event field name -> id
    std::vector<std::string> fieldNames;
    // Event fields read under another name when the event lacks the usual one.
    std::vector<std::pair<int, int>> aliases; // (alias field id, field id it stands for)
    bool compiled = false;

    int internField(const std::string &name);
};

} // namespace causa::sigma::detail
