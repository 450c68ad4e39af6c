// The rules of ProcessForest::build one at a time, the slow way. Where the fast builder's result
// depends on record order (the first of several candidates, which link of a cycle is cut), this
// follows the same order on purpose, and says so: the comparison is exact, not approximate.
// The time rules (sameStart) and source ranks are shared with the builder: they are the
// definition under test's inputs, not its machinery.
#include "forestreference.h"

#include "forest/forestrules.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <utility>

namespace causa::test {

namespace {

using detail::sameStart;
using detail::sourceRank;

// "endpoint|pid:N" whose last '|' starts "|pid:" with no '@' after it: the parent is whichever
// process had that PID when the child started.
bool pidReference(const QString &key, qint64 *pid)
{
    const qsizetype bar = key.lastIndexOf(QLatin1Char('|'));
    if (bar < 0)
        return false;
    const QString tail = key.mid(bar);
    if (!tail.startsWith(QLatin1String("|pid:")) || tail.contains(QLatin1Char('@')))
        return false;
    bool ok = false;
    *pid = tail.mid(5).toLongLong(&ok);
    return ok;
}

class ReferenceBuild
{
public:
    explicit ReferenceBuild(const std::vector<ProcessRecord> &records)
        : r(records), n(int(records.size()))
    {
        for (int i = 0; i < n; ++i) {
            lastWithKey[r[i].key] = i;        // a repeated key names its last record
            if (r[i].pid >= 0 && rank(i) < 4) // placeholders are no instance of a PID
                byPid[{r[i].endpointKey, r[i].pid}].push_back(i);
        }
    }

    ReferenceForest run()
    {
        mergeRecords();
        linkGroups();
        breakCycles();
        return makeForest();
    }

private:
    int rank(int i) const { return sourceRank(r[i].source); }
    bool sameImage(int i, int j) const
    {
        return r[i].imageName.toLower() == r[j].imageName.toLower();
    }
    int byKey(const QString &key) const
    {
        const auto it = lastWithKey.find(key);
        return it == lastWithKey.end() ? -1 : it->second;
    }

    // The instance of a PID running at `when`: the latest start not after it (+1 s of clock
    // slack), the first record among equal starts. A record without a start is never the answer.
    int instanceAt(const QString &endpoint, qint64 pid, qint64 when) const
    {
        const auto it = byPid.find({endpoint, pid});
        if (it == byPid.end())
            return -1;
        int best = -1;
        for (const int j : it->second)
            if (r[j].startedAt > 0 && r[j].startedAt <= when + 1000 &&
                (best < 0 || r[j].startedAt > r[best].startedAt))
                best = j;
        return best;
    }

    // A PID reference names the instance running at the child's start, else the placeholder
    // stored under that key; any other key names the record with that key.
    int parentRecord(int i) const
    {
        const QString &key = r[i].parentKey;
        if (key.isEmpty())
            return -1;
        qint64 ppid = -1;
        if (pidReference(key, &ppid) && ppid >= 0)
            if (const int j = instanceAt(r[i].endpointKey, ppid, r[i].startedAt); j >= 0)
                return j;
        return byKey(key);
    }

    // Records of one process seen by several sources become one group: edges, then components.
    void mergeRecords()
    {
        std::vector<std::vector<int>> edges(r.size());
        auto join = [&](int a, int b) {
            edges[a].push_back(b);
            edges[b].push_back(a);
        };
        for (const auto &bucket : byPid) {
            const std::vector<int> &list = bucket.second;
            // Same PID, other source, same non-empty image, starts within seconds (or a time-zone
            // step apart: Security may write local time).
            for (const int i : list)
                for (const int j : list)
                    if (i < j && rank(i) != rank(j) && r[i].startedAt > 0 && r[j].startedAt > 0 &&
                        sameStart(r[i].startedAt, r[j].startedAt, true) &&
                        !r[i].imageName.isEmpty() && sameImage(i, j))
                        join(i, j);
            // An XDR role without a start joins the latest non-XDR instance of its image (the
            // first record among equal starts).
            for (const int i : list) {
                if (rank(i) != 2 || r[i].startedAt > 0)
                    continue;
                int best = -1;
                for (const int j : list)
                    if (rank(j) != 2 && sameImage(i, j) &&
                        (best < 0 || r[j].startedAt > r[best].startedAt))
                        best = j;
                if (best >= 0)
                    join(i, best);
            }
        }
        for (int i = 0; i < n; ++i) {
            // No PID: the first record (in record order) of another of the three real sources with
            // the same image and start, and the same parent PID when both know it.
            if (rank(i) > 2 || r[i].pid >= 0 || r[i].startedAt <= 0)
                continue;
            for (int j = 0; j < n; ++j) {
                if (rank(j) > 2 || rank(j) == rank(i) || r[j].endpointKey != r[i].endpointKey ||
                    !sameImage(i, j) || r[j].startedAt <= 0)
                    continue;
                if (r[i].parentPid >= 0 && r[j].parentPid >= 0 && r[i].parentPid != r[j].parentPid)
                    continue;
                if (sameStart(r[i].startedAt, r[j].startedAt, true)) {
                    join(i, j);
                    break;
                }
            }
        }
        for (int i = 0; i < n; ++i) {
            // An XDR role whose parent key is an XDR role of the same image (and PID): one process.
            if (rank(i) != 2 || r[i].parentKey.isEmpty())
                continue;
            const int j = byKey(r[i].parentKey);
            if (j >= 0 && rank(j) == 2 && sameImage(i, j) &&
                (r[i].pid < 0 || r[j].pid < 0 || r[i].pid == r[j].pid))
                join(i, j);
        }
        // Each component is named by its first record (reached first in ascending order).
        group.assign(size_t(n), -1);
        for (int s = 0; s < n; ++s) {
            if (group[s] >= 0)
                continue;
            std::deque<int> queue{s};
            group[s] = s;
            while (!queue.empty()) {
                const int x = queue.front();
                queue.pop_front();
                for (const int y : edges[x])
                    if (group[y] < 0) {
                        group[y] = s;
                        queue.push_back(y);
                    }
            }
        }
        for (int i = 0; i < n; ++i)
            members[group[i]].push_back(i);
    }

    std::vector<int> membersOf(int g) const { return members.at(g); }

    // A group's parent: that of its first member (best source first, then record order) whose
    // parent record lies outside the group. Its representative: the first of the best source,
    // or a later one of that source that knows the start when the first does not.
    void linkGroups()
    {
        parentGroup.assign(size_t(n), -1);
        representative.assign(size_t(n), -1);
        for (int g = 0; g < n; ++g) {
            if (group[g] != g)
                continue;
            std::vector<int> byRank = membersOf(g);
            std::stable_sort(byRank.begin(), byRank.end(),
                             [&](int a, int b) { return rank(a) < rank(b); });
            for (const int m : byRank)
                if (const int j = parentRecord(m); j >= 0 && group[j] != g) {
                    parentGroup[g] = group[j];
                    break;
                }
            int rep = byRank.front();
            for (const int m : byRank)
                if (r[rep].startedAt == 0 && rank(m) == rank(rep) && r[m].startedAt > 0) {
                    rep = m;
                    break;
                }
            representative[g] = rep;
        }
    }

    // Groups in order, each walking up its parents: the first group met twice on a walk loses
    // its parent link (so which link of a cycle is cut depends on record order).
    void breakCycles()
    {
        for (int g = 0; g < n; ++g) {
            if (group[g] != g)
                continue;
            std::set<int> seen;
            int x = g;
            while (x >= 0 && !seen.count(x)) {
                seen.insert(x);
                x = parentGroup[x];
            }
            if (x >= 0)
                parentGroup[x] = -1;
        }
    }

    ReferenceForest makeForest() const;

    const std::vector<ProcessRecord> &r;
    const int n;
    std::map<QString, int> lastWithKey;
    std::map<std::pair<QString, qint64>, std::vector<int>> byPid; // records in record order
    std::vector<int> group;                  // per record: the group's first record
    std::map<int, std::vector<int>> members; // per group, ascending
    std::vector<int> parentGroup;            // per group
    std::vector<int> representative;         // per group
};

// Every group is a node except a placeholder nobody is a child of; a node's PID and start are
// its representative's, else those of its other records in record order.
ReferenceForest ReferenceBuild::makeForest() const
{
    ReferenceForest f;
    std::map<int, int> nodeOfGroup;
    const std::set<int> parents(parentGroup.begin(), parentGroup.end());
    for (int g = 0; g < n; ++g) {
        if (group[g] != g || (rank(representative[g]) == 4 && !parents.count(g)))
            continue;
        nodeOfGroup[g] = int(f.nodes.size());
        ReferenceNode node;
        node.records = membersOf(g);
        node.representative = representative[g];
        node.pid = r[node.representative].pid;
        node.start = r[node.representative].startedAt;
        for (const int m : node.records) {
            node.sourceMask |= 1u << rank(m);
            if (m != node.representative && node.pid < 0)
                node.pid = r[m].pid;
            if (m != node.representative && node.start == 0)
                node.start = r[m].startedAt;
        }
        f.nodes.push_back(node);
    }
    f.nodeOfRecord.assign(size_t(n), -1);
    for (int i = 0; i < n; ++i)
        if (const auto it = nodeOfGroup.find(group[i]); it != nodeOfGroup.end())
            f.nodeOfRecord[i] = it->second;
    for (const auto &[g, node] : nodeOfGroup) {
        f.nodes[node].parent = parentGroup[g] >= 0 ? nodeOfGroup.at(parentGroup[g]) : -1;
        if (f.nodes[node].parent >= 0)
            f.nodes[f.nodes[node].parent].children.push_back(node);
        else
            f.roots.push_back(node);
    }
    auto byStart = [&f](int a, int b) {
        const ReferenceNode &x = f.nodes[a], &y = f.nodes[b];
        return x.start != y.start ? x.start < y.start : x.pid < y.pid;
    };
    for (ReferenceNode &node : f.nodes)
        std::stable_sort(node.children.begin(), node.children.end(), byStart);
    std::stable_sort(f.roots.begin(), f.roots.end(), byStart);
    for (ReferenceNode &node : f.nodes)
        for (int p = node.parent; p >= 0; p = f.nodes[p].parent)
            ++node.depth;
    return f;
}

} // namespace

ReferenceForest buildReferenceForest(const std::vector<ProcessRecord> &records)
{
    return ReferenceBuild(records).run();
}

} // namespace causa::test
