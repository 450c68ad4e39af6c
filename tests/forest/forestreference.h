#pragma once

#include "core/records.h"

#include <vector>

namespace causa::test {

// The process forest as ProcessForest::build defines it, built the plain way (maps, linear
// scans, components by breadth-first search) so that the fast builder, with its hash tables,
// prefetching and in-place compaction, can be checked against it on random input. Only the
// structure: which records make one node, each node's parent, children and depth, and the
// values the structure depends on (PID, start, sources). Attachments and badges are not here.
struct ReferenceNode
{
    std::vector<int> records;  // every record merged into the node, ascending
    int representative = -1;   // the record whose fields the node shows first
    int parent = -1;           // node index; -1 for a root
    std::vector<int> children; // by start, then PID (the order of equal ones is unspecified)
    qint64 pid = -1;
    qint64 start = 0;
    int depth = 0;
    unsigned sourceMask = 0; // 1 << source rank of each merged record
};

struct ReferenceForest
{
    std::vector<ReferenceNode> nodes; // in the order of each node's first record
    std::vector<int> roots;           // by start, then PID
    // Node of each record, -1 for a placeholder (parent-ref) that became no node.
    std::vector<int> nodeOfRecord;
};

ReferenceForest buildReferenceForest(const std::vector<ProcessRecord> &records);

} // namespace causa::test
