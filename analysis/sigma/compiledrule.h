#pragma once

#include "literallist.h"
#include "sigmatypes.h"
#include "valuetest.h"

#include <QString>

#include <memory>
#include <string>
#include <vector>

namespace causa::sigma::detail {

// A field of a detection map with its tests: one group per value of the rule; the field
// matches when any group matches (with |all: every group), a group when any of its tests
// (the variants windash and base64offset make of one value) does.
struct FieldCondition
{
    std::string field;      // as the rule writes it; empty for keywords (any field)
    std::string eventField; // what the target calls it
    int fieldId = -1;       // interned eventField; -1: keywords, searched in every field
    bool all = false;
    QString modifiers; // "contains|all", for explanations
    std::vector<std::vector<ValueTest>> groups;
    // Set when the groups are a long list of plain literals (any one of them, not |all).
    std::shared_ptr<const LiteralList> list;
};

// A named detection item: a map (every field condition holds) or a list of maps (any does).
struct Search
{
    QString name;
    std::vector<std::vector<FieldCondition>> maps;
};

struct CondNode
{
    enum class Op
    {
        And,
        Or,
        Not,
        Search
    };
    Op op = Op::Search;
    int search = -1;
    std::vector<CondNode> kids;
};

// A rule as parsed, before its field names are bound to a log target.
struct RuleDraft
{
    RuleInfo info;
    QString product, category, service;
    std::vector<Search> searches;
    CondNode condition;
};

} // namespace causa::sigma::detail
