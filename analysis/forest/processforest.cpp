#include "processforest.h"

#include "forestrules.h"
#include "hugepages.h"
#include "imagenames.h"
#include "keyindex.h"
#include "pidbuckets.h"

#include <algorithm>
#include <array>
#include <ctime>
#include <sys/resource.h>
#include <numeric>

namespace causa {

namespace {

using detail::isPidReference;
using detail::kSameStartMs;
using detail::kZoneStepMs;
using detail::sameStart;
using detail::serviceImageName;
using detail::sourceRank;

struct UnionFind
{
    std::vector<int> up;
    explicit UnionFind(size_t n)
    {
        detail::assignHuge(up, n);
        std::iota(up.begin(), up.end(), 0);
    }
    int find(int x)
    {
        while (up[size_t(x)] != x) {
            up[size_t(x)] = up[size_t(up[size_t(x)])];
            x = up[size_t(x)];
        }
        return x;
    }
    void unite(int a, int b)
    {
        a = find(a);
        b = find(b);
        if (a != b)
            up[size_t(std::max(a, b))] = std::min(a, b);
    }
};

// Remembers what a text mapped to (a source's rank, an image's id, an endpoint's id) by the
// text's data pointer and length. The store loader shares repeated texts (ProcessTextPool), so
// a record's endpoint, source and image are nearly always a pointer seen before: the memo
// answers without reading the text, which would be a cache miss per field and record. Texts
// that are not shared just miss and take the full path. All texts outlive the build, so a
// pointer cannot be reused for other content meanwhile.
template<typename Value, int Bits>
class TextMemo
{
public:
    template<typename Compute>
    Value get(const QString &text, Compute &&compute)
    {
        const QChar *data = text.constData();
        Entry &e = m_entries[size_t((quint64(reinterpret_cast<quintptr>(data)) * 0x9E3779B97F4A7C15ull) >> (64 - Bits))];
        if (e.data != data || e.size != text.size()) {
            e.data = data;
            e.size = text.size();
            e.value = compute();
        }
        return e.value;
    }

private:
    struct Entry
    {
        const QChar *data = nullptr;
        qsizetype size = -1;
        Value value{};
    };
    std::array<Entry, size_t(1) << Bits> m_entries{};
};

} // namespace

ProcessForest ProcessForest::build(ForestInput input)
{
    // CAUSA_FOREST_PROFILE=1 prints each phase's CPU time (wall time lies on a shared machine),
    // with the part spent in the kernel and the page faults: on a virtual machine, first
    // touching fresh memory can cost more than the work done in it.
    const bool profile = qEnvironmentVariableIsSet("CAUSA_FOREST_PROFILE");
    struct Usage
    {
        double cpuMs = 0;
        double sysMs = 0;
        long faults = 0;
    };
    auto usage = [] {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        rusage ru{};
        getrusage(RUSAGE_THREAD, &ru);
        return Usage{double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6,
                     double(ru.ru_stime.tv_sec) * 1e3 + double(ru.ru_stime.tv_usec) / 1e3, ru.ru_minflt};
    };
    Usage phaseStart = profile ? usage() : Usage();
    auto mark = [&](const char *what) {
        if (!profile)
            return;
        const Usage now = usage();
        qInfo("forest %s: %.0f ms CPU (%.0f ms in the kernel, %ld page faults)", what,
              now.cpuMs - phaseStart.cpuMs, now.sysMs - phaseStart.sysMs, now.faults - phaseStart.faults);
        phaseStart = now;
    };
    ProcessForest f;
    // The records stay in the forest: nodes read their text from them instead of copying it,
    // and nothing is freed record by record during the build.
    f.m_records = std::move(input.processes);
    const std::vector<ProcessRecord> &recs = f.m_records;
    const int n = int(recs.size());

    // One sequential pass reads everything later phases need from the records into flat
    // arrays: the records are large and their text is scattered over the heap, so every
    // later pass over them would be a cache miss per field.
    enum : quint8 { HasSignature = 1, BadSignature = 2 };
    QHash<QString, int> endpointIds;
    const size_t count = recs.size();
    std::vector<int> endpointOf;
    detail::assignHuge(endpointOf, count);
    std::vector<qint8> ranks;
    detail::assignHuge(ranks, count);
    std::vector<int> imageOf;
    detail::assignHuge(imageOf, count);
    std::vector<qint64> pidOf, startOf; // end times are read from the records, once per node
    detail::assignHuge(pidOf, count);
    detail::assignHuge(startOf, count);
    std::vector<quint8> signatureOf;
    detail::assignHuge(signatureOf, size_t(n), quint8(0));
    detail::ImageNames images;
    f.m_byKey.reserve(recs, size_t(n));
    constexpr int kAhead = 8;
    {
        // Each key's hash is needed twice, a few records apart (to prefetch its slot, then to
        // insert it): a small ring holds it in between instead of an array of every hash.
        quint64 ring[2 * kAhead];
        for (int i = 0; i < std::min(n, kAhead); ++i) {
            ring[i] = detail::KeyIndex::hashOf(recs[size_t(i)].key);
            f.m_byKey.prefetch(ring[i]);
        }
        TextMemo<int, 6> endpointMemo;
        TextMemo<qint8, 3> rankMemo;
        TextMemo<int, 10> imageMemo;
        TextMemo<quint8, 4> signatureMemo;
        for (int i = 0; i < n; ++i) {
            if (i + kAhead < n) {
                const QString &key = recs[size_t(i + kAhead)].key;
                const quint64 h = detail::KeyIndex::hashOf(key);
                ring[(i + kAhead) % (2 * kAhead)] = h;
                f.m_byKey.prefetch(h);
            }
            if (i + 2 * kAhead < n) {
                // The key of each record is its own heap block: ask for it before it is hashed.
                const QString &key = recs[size_t(i + 2 * kAhead)].key;
                __builtin_prefetch(key.constData());
                __builtin_prefetch(key.constData() + 32);
            }
            const ProcessRecord &p = recs[size_t(i)];
            endpointOf[size_t(i)] = endpointMemo.get(p.endpointKey, [&] {
                auto it = endpointIds.constFind(p.endpointKey);
                if (it == endpointIds.cend())
                    it = endpointIds.insert(p.endpointKey, int(endpointIds.size()));
                return *it;
            });
            ranks[size_t(i)] = rankMemo.get(p.source, [&] { return qint8(sourceRank(p.source)); });
            imageOf[size_t(i)] = imageMemo.get(p.imageName, [&] { return images.intern(p.imageName); });
            pidOf[size_t(i)] = p.pid;
            startOf[size_t(i)] = p.startedAt;
            signatureOf[size_t(i)] = signatureMemo.get(p.signatureStatus, [&]() -> quint8 {
                if (p.signatureStatus.isEmpty())
                    return 0;
                const bool bad = p.signatureStatus.contains(QLatin1String("unsigned"), Qt::CaseInsensitive)
                                 || p.signatureStatus.contains(QLatin1String("invalid"), Qt::CaseInsensitive);
                return quint8(HasSignature | (bad ? BadSignature : 0));
            });
            f.m_byKey.insert(recs, i, ring[i % (2 * kAhead)]);
        }
    }
    auto byKey = [&f](QStringView key) { return f.m_byKey.find(f.m_records, key); };
    mark("read records");

    // Per-record int arrays that a phase no longer needs are handed to a later one: fresh
    // memory costs a page fault per page on first touch (on a virtual machine, more than the
    // work done in it), memory already touched does not.
    std::vector<std::vector<int>> spare;
    auto takeInts = [&spare](size_t size, int value) {
        std::vector<int> v;
        if (!spare.empty()) {
            v = std::move(spare.back());
            spare.pop_back();
        }
        detail::assignHuge(v, size, value);
        return v;
    };
    auto giveBack = [&spare](std::vector<int> &v) {
        spare.push_back(std::move(v));
        v = std::vector<int>();
    };

    // Records by (endpoint, pid): PID reuse means several per bucket, told apart by start time.
    detail::PidBuckets byPid;
    {
        byPid.reserve(size_t(n));
        std::vector<int> bucketOf = takeInts(size_t(n), -1);
        for (int i = 0; i < n; ++i)
            if (pidOf[size_t(i)] >= 0 && ranks[size_t(i)] < 4)
                bucketOf[size_t(i)] = byPid.count(endpointOf[size_t(i)], pidOf[size_t(i)]);
        byPid.finish();
        for (int i = 0; i < n; ++i)
            if (bucketOf[size_t(i)] >= 0)
                byPid.place(bucketOf[size_t(i)], i, startOf[size_t(i)]);
        giveBack(bucketOf);
    }
    mark("pid buckets");
    // Resolves a pid reference to the instance running at `when` (latest start not after it).
    auto resolvePid = [&](int endpoint, qint64 pid, qint64 when) -> int {
        const int b = byPid.findBucket(endpoint, pid);
        if (b < 0)
            return -1;
        const std::span<const int> members = byPid.bucket(size_t(b));
        const std::span<const qint64> starts = byPid.starts(size_t(b));
        int found = -1;
        qint64 foundStart = 0;
        for (size_t k = 0; k < members.size(); ++k) {
            const qint64 s = starts[k];
            if (s <= when + 1000 && (found < 0 || s > foundStart)) {
                found = members[k];
                foundStart = s;
            }
        }
        return found;
    };
    // Each record's parent record, in a second sequential pass (every key is indexed now).
    // Key lookups are batched and pipelined: the table slot, the candidate record and both
    // texts are requested ahead, so a lookup costs about one memory latency, not four.
    std::vector<int> parentOf = takeInts(count, -1);
    {
        struct Lookup
        {
            int record;
            int candidate;
            quint64 hash;
            QStringView key;
        };
        std::vector<Lookup> lookups; // one small batch at a time: stays in cache
        lookups.reserve(1024);
        auto lookUpBatch = [&] {
            constexpr size_t d = 8;
            const size_t m = lookups.size();
            for (size_t t = 0; t < m + 3 * d; ++t) {
                if (t < m)
                    f.m_byKey.prefetch(lookups[t].hash);
                if (t >= d && t - d < m) {
                    Lookup &l = lookups[t - d];
                    l.candidate = f.m_byKey.candidate(l.hash);
                    if (l.candidate >= 0)
                        __builtin_prefetch(&recs[size_t(l.candidate)].key);
                }
                if (t >= 2 * d && t - 2 * d < m) {
                    const Lookup &l = lookups[t - 2 * d];
                    if (l.candidate >= 0)
                        __builtin_prefetch(recs[size_t(l.candidate)].key.constData());
                    __builtin_prefetch(l.key.data());
                }
                if (t >= 3 * d && t - 3 * d < m) {
                    const Lookup &l = lookups[t - 3 * d];
                    // A tag match is confirmed by the text; anything else takes the full path.
                    parentOf[size_t(l.record)] =
                        l.candidate >= 0 && QStringView(recs[size_t(l.candidate)].key) == l.key ? l.candidate : byKey(l.key);
                }
            }
            lookups.clear();
        };
        for (int i = 0; i < n; ++i) {
            if (i + kAhead < n) {
                const QString &ahead = recs[size_t(i + kAhead)].parentKey;
                __builtin_prefetch(ahead.constData());
                __builtin_prefetch(ahead.constData() + 32);
            }
            const QString &parentKey = recs[size_t(i)].parentKey;
            if (parentKey.isEmpty())
                continue;
            qint64 ppid = -1;
            if (isPidReference(parentKey, &ppid)) {
                if (const int j = resolvePid(endpointOf[size_t(i)], ppid, startOf[size_t(i)]); j >= 0) {
                    parentOf[size_t(i)] = j;
                    continue;
                }
                // else the placeholder: a root we only know by name
            }
            lookups.push_back({i, -1, detail::KeyIndex::hashOf(parentKey), parentKey});
            if (lookups.size() == 1024)
                lookUpBatch();
        }
        lookUpBatch();
    }

    mark("parent records");
    UnionFind uf(static_cast<size_t>(n));
    std::vector<std::pair<qint64, int>> circle; // (start modulo a zone step, record)
    // 1. One process seen by several sources (Sysmon 1, Security 4688, XDR roles) is one node.
    for (size_t bucket = 0; bucket < byPid.bucketCount(); ++bucket) {
        const std::span<const int> list = byPid.bucket(bucket);
        if (list.size() < 2)
            continue;
        bool mixed = false;
        for (size_t k = 1; k < list.size() && !mixed; ++k)
            mixed = ranks[size_t(list[k])] != ranks[size_t(list[0])];
        if (!mixed)
            continue;
        auto tryUnite = [&](int i, int j) {
            if (ranks[size_t(i)] == ranks[size_t(j)])
                return;
            const qint64 si = startOf[size_t(i)], sj = startOf[size_t(j)];
            if (si > 0 && sj > 0 && sameStart(si, sj, true) && imageOf[size_t(i)] != 0
                && imageOf[size_t(i)] == imageOf[size_t(j)])
                uf.unite(i, j);
        };
        if (list.size() <= 12) {
            for (size_t a = 0; a < list.size(); ++a)
                for (size_t b = a + 1; b < list.size(); ++b)
                    tryUnite(list[a], list[b]);
        } else {
            // A reused PID: every pair would be quadratic. Two starts of one process lie within
            // kSameStartMs of each other modulo a time-zone step, so only neighbours on that
            // circle can match (the union does not depend on the order pairs are joined).
            circle.clear();
            for (const int i : list)
                if (startOf[size_t(i)] > 0)
                    circle.push_back({startOf[size_t(i)] % kZoneStepMs, i});
            std::sort(circle.begin(), circle.end());
            const size_t m = circle.size();
            for (size_t a = 0; a < m; ++a) {
                for (size_t step = 1; step < m; ++step) {
                    const size_t b = (a + step) % m;
                    qint64 gap = circle[b].first - circle[a].first;
                    if (gap < 0)
                        gap += kZoneStepMs;
                    if (gap > kSameStartMs)
                        break;
                    tryUnite(circle[a].second, circle[b].second);
                }
            }
        }
        // XDR roles often carry no start time: join the latest matching instance of the image.
        for (const int i : list) {
            if (ranks[size_t(i)] != 2 || startOf[size_t(i)] > 0)
                continue;
            int best = -1;
            for (const int j : list)
                if (ranks[size_t(j)] != 2 && imageOf[size_t(j)] == imageOf[size_t(i)]
                    && (best < 0 || startOf[size_t(j)] > startOf[size_t(best)]))
                    best = j;
            if (best >= 0)
                uf.unite(i, best);
        }
    }
    // 2. Records without a PID (XDR causality owners; NXLog's Sysmon export drops ProcessId):
    //    same image, same start, and the same parent PID when both know it.
    auto endpointImage = [&](int i) { return quint64(quint32(endpointOf[size_t(i)])) << 32 | quint32(imageOf[size_t(i)]); };
    QHash<quint64, std::vector<int>> byImage;
    bool builtImageIndex = false;
    for (int i = 0; i < n; ++i) {
        if (ranks[size_t(i)] > 2 || pidOf[size_t(i)] >= 0 || startOf[size_t(i)] <= 0)
            continue;
        if (!builtImageIndex) {
            for (int j = 0; j < n; ++j)
                if (ranks[size_t(j)] <= 2)
                    byImage[endpointImage(j)].push_back(j);
            builtImageIndex = true;
        }
        const qint64 parentPid = recs[size_t(i)].parentPid;
        for (const int j : byImage.value(endpointImage(i))) {
            if (ranks[size_t(j)] == ranks[size_t(i)] || startOf[size_t(j)] <= 0)
                continue;
            const qint64 otherParentPid = recs[size_t(j)].parentPid;
            if (parentPid >= 0 && otherParentPid >= 0 && parentPid != otherParentPid)
                continue;
            if (sameStart(startOf[size_t(i)], startOf[size_t(j)], true)) {
                uf.unite(i, j);
                break;
            }
        }
    }
    // 3. The XDR causality owner and the actor are often the same process under two keys.
    for (int i = 0; i < n; ++i) {
        if (ranks[size_t(i)] != 2 || recs[size_t(i)].parentKey.isEmpty())
            continue;
        const int j = byKey(recs[size_t(i)].parentKey);
        if (j < 0 || ranks[size_t(j)] != 2 || imageOf[size_t(j)] != imageOf[size_t(i)])
            continue;
        if (pidOf[size_t(i)] < 0 || pidOf[size_t(j)] < 0 || pidOf[size_t(i)] == pidOf[size_t(j)])
            uf.unite(i, j);
    }

    mark("merge");
    // Groups: representative is the best-ranked member; the rest fill in what it lacks.
    std::vector<int> best = takeInts(size_t(n), -1);
    for (int i = 0; i < n; ++i) {
        const int g = uf.find(i);
        uf.up[size_t(i)] = g; // pointing every record at its root turns the table into groupOf
        int &b = best[size_t(g)];
        if (b < 0 || ranks[size_t(i)] < ranks[size_t(b)]
            || (ranks[size_t(i)] == ranks[size_t(b)] && startOf[size_t(i)] > 0 && startOf[size_t(b)] == 0))
            b = i;
    }
    std::vector<int> groupOf = std::move(uf.up); // the union-find is done with

    // Parent of each group: the best-ranked member's parent that lands in another group.
    std::vector<int> parentGroup = takeInts(size_t(n), -1);
    std::vector<char> flags; // per group: parent found, then the cycle walk's state
    {
        // Records by rank, stable (a counting sort: five ranks).
        std::vector<int> order = takeInts(size_t(n), 0);
        {
            int start[6] = {0, 0, 0, 0, 0, 0};
            for (int i = 0; i < n; ++i)
                ++start[ranks[size_t(i)] + 1];
            for (int r = 1; r < 6; ++r)
                start[r] += start[r - 1];
            for (int i = 0; i < n; ++i)
                order[size_t(start[ranks[size_t(i)]]++)] = i;
        }
        std::vector<char> &done = flags;
        detail::assignHuge(done, size_t(n), char(0));
        for (const int i : order) {
            const int g = groupOf[size_t(i)];
            if (done[size_t(g)])
                continue;
            const int j = parentOf[size_t(i)];
            if (j < 0 || groupOf[size_t(j)] == g)
                continue;
            parentGroup[size_t(g)] = groupOf[size_t(j)];
            done[size_t(g)] = 1;
        }
        giveBack(order);
        giveBack(parentOf);
    }
    mark("parents");
    // Break cycles that bad data could create (A's parent B, B's parent A).
    {
        std::vector<char> &state = flags;
        detail::assignHuge(state, size_t(n), char(0)); // 0 new, 1 on path, 2 done
        std::vector<int> path;
        for (int g = 0; g < n; ++g) {
            if (groupOf[size_t(g)] != g || state[size_t(g)])
                continue;
            path.clear();
            int x = g;
            while (x >= 0 && state[size_t(x)] == 0) {
                state[size_t(x)] = 1;
                path.push_back(x);
                x = parentGroup[size_t(x)];
            }
            if (x >= 0 && state[size_t(x)] == 1)
                parentGroup[size_t(x)] = -1;
            for (const int y : path)
                state[size_t(y)] = 2;
        }
    }

    mark("cycles");
    // Which groups become nodes: every group with a real record, and placeholders with children.
    std::vector<int> childCount = takeInts(size_t(n), 0);
    for (int g = 0; g < n; ++g)
        if (groupOf[size_t(g)] == g && parentGroup[size_t(g)] >= 0)
            ++childCount[size_t(parentGroup[size_t(g)])];
    std::vector<int> nodeOf = takeInts(size_t(n), -1);
    detail::reserveHuge(f.m_nodes, count);
    for (int g = 0; g < n; ++g) {
        if (groupOf[size_t(g)] != g)
            continue;
        const int b = best[size_t(g)];
        if (ranks[size_t(b)] == 4 && childCount[size_t(g)] == 0)
            continue;
        nodeOf[size_t(g)] = int(f.m_nodes.size());
        detail::NodeData &node = f.m_nodes.emplace_back();
        node.record = b;
        node.pid = pidOf[size_t(b)];
        node.startedAt = startOf[size_t(b)];
        node.endedAt = recs[size_t(b)].endedAt;
        node.sourceMask = quint8(1u << ranks[size_t(b)]);
        if (ranks[size_t(b)] == 4)
            node.badges |= quint32(ProcessBadge::MissingParent);
    }
    const int nodes = int(f.m_nodes.size());
    giveBack(childCount);
    giveBack(best);
    // The other records of each node, in record order (the order their fields fill in).
    f.m_nodeOfRecord = takeInts(count, 0);
    for (int i = 0; i < n; ++i) {
        const int ni = nodeOf[size_t(groupOf[size_t(i)])];
        f.m_nodeOfRecord[size_t(i)] = ni;
        if (ni >= 0 && f.m_nodes[size_t(ni)].record != i)
            ++f.m_nodes[size_t(ni)].mergedCount;
    }
    {
        int offset = 0;
        for (detail::NodeData &node : f.m_nodes) {
            node.firstMerged = offset;
            offset += node.mergedCount;
            node.mergedCount = 0;
        }
        detail::assignHuge(f.m_merged, size_t(offset));
    }
    for (int i = 0; i < n; ++i) {
        const int ni = f.m_nodeOfRecord[size_t(i)];
        if (ni < 0 || f.m_nodes[size_t(ni)].record == i)
            continue;
        detail::NodeData &node = f.m_nodes[size_t(ni)];
        f.m_merged[size_t(node.firstMerged + node.mergedCount++)] = i;
        node.sourceMask |= quint8(1u << ranks[size_t(i)]);
        if (node.pid < 0)
            node.pid = pidOf[size_t(i)];
        if (node.startedAt == 0)
            node.startedAt = startOf[size_t(i)];
        if (node.endedAt == 0)
            node.endedAt = recs[size_t(i)].endedAt;
    }
    // The record whose value a node shows for a per-record property: the representative's,
    // else the first merged record's that has one (as ProcessNode's text fields do).
    auto firstRecordWith = [&f](const detail::NodeData &node, auto &&has) {
        if (has(node.record))
            return node.record;
        for (int k = 0; k < node.mergedCount; ++k)
            if (const int r = f.m_merged[size_t(node.firstMerged + k)]; has(r))
                return r;
        return node.record;
    };
    std::vector<int> nodeImage = takeInts(f.m_nodes.size(), 0);
    for (int i = 0; i < nodes; ++i)
        nodeImage[size_t(i)] = imageOf[size_t(firstRecordWith(f.m_nodes[size_t(i)], [&](int r) { return imageOf[size_t(r)] != 0; }))];
    mark("nodes");

    // Children as one flat index array ordered by start time.
    std::vector<int> counts = takeInts(size_t(nodes) + 1, 0);
    for (int g = 0; g < n; ++g) {
        const int ni = nodeOf[size_t(g)];
        if (ni < 0 || groupOf[size_t(g)] != g)
            continue;
        const int pg = parentGroup[size_t(g)];
        f.m_nodes[size_t(ni)].parent = pg >= 0 ? nodeOf[size_t(pg)] : -1;
    }
    giveBack(nodeOf);
    giveBack(groupOf);
    giveBack(parentGroup);
    for (int i = 0; i < nodes; ++i) {
        const int p = f.m_nodes[size_t(i)].parent;
        if (p >= 0)
            ++counts[size_t(p)];
        else
            f.m_roots.push_back(i);
    }
    int offset = 0;
    for (int i = 0; i < nodes; ++i) {
        f.m_nodes[size_t(i)].firstChild = offset;
        offset += counts[size_t(i)];
    }
    f.m_childIndex = takeInts(size_t(offset), 0);
    for (int i = 0; i < nodes; ++i) {
        const int p = f.m_nodes[size_t(i)].parent;
        if (p >= 0) {
            detail::NodeData &pn = f.m_nodes[size_t(p)];
            f.m_childIndex[size_t(pn.firstChild + pn.childCount++)] = i;
        }
    }
    auto byStart = [&f](int a, int b) {
        const detail::NodeData &x = f.m_nodes[size_t(a)], &y = f.m_nodes[size_t(b)];
        return x.startedAt != y.startedAt ? x.startedAt < y.startedAt : x.pid < y.pid;
    };
    for (const detail::NodeData &node : f.m_nodes)
        if (node.childCount > 1)
            std::sort(f.m_childIndex.begin() + node.firstChild,
                      f.m_childIndex.begin() + node.firstChild + node.childCount, byStart);
    std::sort(f.m_roots.begin(), f.m_roots.end(), byStart);
    // Depth, iteratively (hostile chains can be very deep).
    {
        std::vector<int> stack(f.m_roots.begin(), f.m_roots.end());
        while (!stack.empty()) {
            const int i = stack.back();
            stack.pop_back();
            const detail::NodeData &node = f.m_nodes[size_t(i)];
            for (int k = 0; k < node.childCount; ++k) {
                const int c = f.m_childIndex[size_t(node.firstChild + k)];
                f.m_nodes[size_t(c)].depth = node.depth + 1;
                stack.push_back(c);
            }
        }
    }

    mark("children");
    // Attach events to their process: (node, kind, event) entries, grouped per node below.
    enum Kind { Pipe, Network, File, Registry, Service, Other };
    struct Attachment
    {
        int node;
        int kind;
        int event;
    };
    std::vector<Attachment> attachments;
    f.m_events = std::move(input.events);
    QHash<quint64, std::vector<int>> servicesByImage; // endpoint, image → service events
    for (int e = 0; e < int(f.m_events.size()); ++e) {
        const ForestEvent &ev = f.m_events[size_t(e)];
        if (ev.kind == QLatin1String("service_install")) {
            // Only endpoints with records can have a node for the service to attach to.
            const int endpoint = endpointIds.value(ev.endpointKey, -1);
            if (endpoint >= 0)
                servicesByImage[quint64(quint32(endpoint)) << 32
                                | quint32(images.intern(serviceImageName(ev.imagePath)))]
                    .push_back(e);
            continue;
        }
        if (ev.processKey.isEmpty())
            continue;
        const int r = byKey(ev.processKey);
        int ni = r >= 0 ? f.m_nodeOfRecord[size_t(r)] : -1;
        qint64 pid = -1;
        if (ni < 0 && isPidReference(ev.processKey, &pid)) {
            const int j = resolvePid(endpointIds.value(ev.endpointKey, -1), pid, ev.ts);
            if (j >= 0)
                ni = f.m_nodeOfRecord[size_t(j)];
        }
        if (ni < 0)
            continue;
        detail::NodeData &node = f.m_nodes[size_t(ni)];
        if (ev.kind == QLatin1String("pipe"))
            attachments.push_back({ni, Pipe, e});
        else if (ev.kind == QLatin1String("network")) {
            attachments.push_back({ni, Network, e});
            node.badges |= quint32(ProcessBadge::Network);
        } else if (ev.kind == QLatin1String("file"))
            attachments.push_back({ni, File, e});
        else if (ev.kind == QLatin1String("registry"))
            attachments.push_back({ni, Registry, e});
        else if (ev.kind == QLatin1String("process_exit")) {
            if (node.endedAt == 0)
                node.endedAt = ev.ts;
        } else if (ev.kind != QLatin1String("process_create"))
            attachments.push_back({ni, Other, e});
    }
    // A service install belongs to the process its image became (started soon after).
    if (!servicesByImage.isEmpty()) {
        const int comspec = images.intern(u"%comspec%");
        const int cmdExe = images.find(u"cmd.exe");
        for (int ni = 0; ni < nodes; ++ni) {
            const detail::NodeData &node = f.m_nodes[size_t(ni)];
            const quint64 endpoint = quint64(quint32(endpointOf[size_t(node.record)])) << 32;
            const auto it = servicesByImage.constFind(endpoint | quint32(nodeImage[size_t(ni)]));
            std::vector<int> hits;
            if (it != servicesByImage.cend())
                hits = *it;
            // %COMSPEC% services (Empire, impacket) run cmd.exe under services.exe.
            if (cmdExe > 0 && nodeImage[size_t(ni)] == cmdExe && node.parent >= 0
                && f.node(node.parent).imageName().compare(QLatin1String("services.exe"), Qt::CaseInsensitive) == 0) {
                for (const int e : servicesByImage.value(endpoint | quint32(comspec)))
                    hits.push_back(e);
            }
            for (const int e : hits) {
                const qint64 ts = f.m_events[size_t(e)].ts;
                if (node.startedAt == 0 || ts == 0
                    || (node.startedAt >= ts - 60000 && node.startedAt <= ts + 3600000)
                    || sameStart(node.startedAt, ts, true))
                    attachments.push_back({ni, Service, e});
            }
        }
    }
    // Alert links per node, first of each alert id only.
    std::vector<std::pair<int, int>> alertLinks; // node, index into input.alerts
    for (int a = 0; a < int(input.alerts.size()); ++a) {
        const int r = byKey(input.alerts[size_t(a)].processKey);
        const int ni = r >= 0 ? f.m_nodeOfRecord[size_t(r)] : -1;
        if (ni < 0)
            continue;
        alertLinks.push_back({ni, a});
        f.m_nodes[size_t(ni)].badges |= quint32(ProcessBadge::Alert);
    }
    std::stable_sort(attachments.begin(), attachments.end(), [](const Attachment &a, const Attachment &b) {
        return a.node != b.node ? a.node < b.node : a.kind < b.kind;
    });
    std::stable_sort(alertLinks.begin(), alertLinks.end(),
                     [](const std::pair<int, int> &a, const std::pair<int, int> &b) { return a.first < b.first; });
    {
        size_t at = 0, al = 0;
        f.m_attached.reserve(attachments.size());
        while (at < attachments.size() || al < alertLinks.size()) {
            const int ni = std::min(at < attachments.size() ? attachments[at].node : nodes,
                                    al < alertLinks.size() ? alertLinks[al].first : nodes);
            AttachmentRanges ranges;
            for (int kind = 0; kind <= Other; ++kind) {
                ranges.begin[kind] = int(f.m_attached.size());
                while (at < attachments.size() && attachments[at].node == ni && attachments[at].kind == kind)
                    f.m_attached.push_back(attachments[at++].event);
            }
            ranges.begin[6] = int(f.m_attached.size());
            ranges.alertBegin = int(f.m_alerts.size());
            for (; al < alertLinks.size() && alertLinks[al].first == ni; ++al) {
                ForestAlertLink &a = input.alerts[size_t(alertLinks[al].second)];
                const bool dup = std::any_of(f.m_alerts.begin() + ranges.alertBegin, f.m_alerts.end(),
                                             [&a](const ForestAlertLink &x) { return x.alertId == a.alertId; });
                if (!dup)
                    f.m_alerts.push_back(std::move(a));
            }
            ranges.alertEnd = int(f.m_alerts.size());
            f.m_nodes[size_t(ni)].attachments = int(f.m_attachmentRanges.size());
            f.m_attachmentRanges.push_back(ranges);
        }
    }

    mark("attach");
    // Badges that depend on the node itself and its parent; name checks once per image name.
    enum : quint8 { NameLolbin = 1, NamePsexec = 2, NameServices = 4, NameCmd = 8, NameKnown = 16 };
    std::vector<quint8> imageFlags(size_t(images.size()), 0);
    auto flagsOf = [&](int image) {
        quint8 &v = imageFlags[size_t(image)];
        if (!(v & NameKnown)) {
            const QString &img = images.lower(image);
            v = NameKnown;
            if (isLolbin(img))
                v |= NameLolbin;
            if (isPsexecLikeName(img))
                v |= NamePsexec;
            if (img == QLatin1String("services.exe"))
                v |= NameServices;
            if (img == QLatin1String("cmd.exe"))
                v |= NameCmd;
        }
        return v;
    };
    for (int i = 0; i < nodes; ++i) {
        detail::NodeData &node = f.m_nodes[size_t(i)];
        const quint8 flags = flagsOf(nodeImage[size_t(i)]);
        if (flags & NameLolbin)
            node.badges |= quint32(ProcessBadge::Lolbin);
        if (signatureOf[size_t(firstRecordWith(node, [&](int r) { return signatureOf[size_t(r)] != 0; }))]
            & BadSignature)
            node.badges |= quint32(ProcessBadge::Unsigned);
        bool psexecLike = (flags & NamePsexec) != 0;
        const bool underServices = node.parent >= 0 && (flagsOf(nodeImage[size_t(node.parent)]) & NameServices);
        if (!psexecLike && underServices) {
            const ProcessNode view = f.node(i);
            const QString dir = view.imagePath().section(QLatin1Char('\\'), 0, -2).toLower();
            const QString cmd = view.commandLine().toLower();
            // A renamed service binary dropped straight into %SystemRoot% (ADMIN$), a service
            // installed just before it started, or impacket's cmd.exe /Q /c … \\127.0.0.1\ pattern.
            psexecLike = ((dir == QLatin1String("c:\\windows") || dir == QLatin1String("%systemroot%"))
                          && view.imageName().endsWith(QLatin1String(".exe"), Qt::CaseInsensitive))
                         || !view.services().empty()
                         || ((flags & NameCmd) && cmd.contains(QLatin1String("/q"))
                             && cmd.contains(QLatin1String("\\\\127.0.0.1\\")));
        }
        if (psexecLike)
            node.badges |= quint32(ProcessBadge::PsexecService);
    }
    mark("badges");
    return f;
}

} // namespace causa
