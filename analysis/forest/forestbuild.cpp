#include "forestbuild.h"

#include "forestrules.h"
#include "hugepages.h"
#include "keyindex.h"

#include <algorithm>
#include <array>
#include <climits>
#include <numeric>

namespace causa::detail {

namespace {

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
        Entry &e = m_entries[size_t(
            (quint64(reinterpret_cast<quintptr>(data)) * 0x9E3779B97F4A7C15ull) >> (64 - Bits))];
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

constexpr size_t kLookupBatch = 512;

} // namespace

ForestBuild::ForestBuild(ProcessForest &forest, ForestInput &input)
    : m_f(forest), m_input(input), m_recs(forest.m_records), m_n(int(forest.m_records.size()))
{}

int ForestBuild::UnionFind::find(int x)
{
    while (up[size_t(x)] != x) {
        up[size_t(x)] = up[size_t(up[size_t(x)])];
        x = up[size_t(x)];
    }
    return x;
}

void ForestBuild::UnionFind::unite(int a, int b)
{
    a = find(a);
    b = find(b);
    if (a != b)
        up[size_t(std::max(a, b))] = std::min(a, b); // a group's root is its first record
}

HugeVector<int> ForestBuild::takeInts(size_t size, int value)
{
    HugeVector<int> v;
    if (!m_spare.empty()) {
        v = std::move(m_spare.back());
        m_spare.pop_back();
    }
    assignHuge(v, size, value);
    return v;
}

void ForestBuild::giveBack(HugeVector<int> &v)
{
    m_spare.push_back(std::move(v));
    v = HugeVector<int>();
}

int ForestBuild::byKey(QStringView key) const
{
    return m_f.m_byKey.find(m_recs, key);
}

int ForestBuild::resolvePid(int endpoint, qint64 pid, qint64 when) const
{
    const int b = m_byPid.findBucket(endpoint, pid);
    if (b < 0)
        return -1;
    const std::span<const int> members = m_byPid.bucket(size_t(b));
    const std::span<const qint64> starts = m_byPid.starts(size_t(b));
    // The latest start not after `when` (+1 s), the first member with it: members are in start
    // order, and in record order among equal starts.
    auto at = std::upper_bound(starts.begin(), starts.end(), when + 1000);
    if (at == starts.begin())
        return -1;
    --at;
    // A record without a start (an XDR role, usually) cannot tell whether it ran at `when`:
    // answering for it made a child of a process that started later, and a cycle whose broken
    // link depended on record order (tst_forestreference, seed 5089). Such a role takes part
    // through the instance it merges with; when no instance with a start qualifies, the child
    // goes to the placeholder, as when no instance is known.
    if (*at <= 0)
        return -1;
    while (at != starts.begin() && *(at - 1) == *at)
        --at;
    return members[size_t(at - starts.begin())];
}

void ForestBuild::lookUp(std::vector<Lookup> &lookups, bool deferMisses)
{
    constexpr size_t d = 16;
    const RecordKeyIndex &index = m_f.m_byKey;
    const size_t m = lookups.size();
    for (size_t t = 0; t < m + 3 * d; ++t) {
        if (t < m)
            index.prefetch(lookups[t].hash);
        if (t >= d && t - d < m) {
            Lookup &l = lookups[t - d];
            l.candidate = index.candidate(l.hash);
            if (l.candidate >= 0)
                platform::prefetch(&m_recs[size_t(l.candidate)].key);
        }
        if (t >= 2 * d && t - 2 * d < m) {
            const Lookup &l = lookups[t - 2 * d];
            if (l.candidate >= 0)
                platform::prefetch(m_recs[size_t(l.candidate)].key.constData());
            platform::prefetch(l.key.data());
        }
        if (t >= 3 * d && t - 3 * d < m) {
            const Lookup &l = lookups[t - 3 * d];
            // A tag match is confirmed by the text; anything else takes the full path.
            const int found =
                l.candidate >= 0 && QStringView(m_recs[size_t(l.candidate)].key) == l.key
                    ? l.candidate
                    : index.find(m_recs, l.key, l.hash);
            m_parentOf[size_t(l.record)] = found;
            if (found < 0 && deferMisses)
                m_flags[size_t(l.record)] |= ParentLater;
        }
    }
    lookups.clear();
}

void ForestBuild::readRecords()
{
    // One sequential pass reads everything later phases need from the records into flat
    // arrays: the records are large and their text is scattered over the heap, so every later
    // pass over them would be a cache miss per field. Parent keys are looked up in the same
    // pass, a batch at a time, while their text is still in the cache; the parent is usually
    // a record read shortly before (its key text is still cached too). A parent not indexed
    // yet is looked up again once every key is (resolveParents).
    const std::vector<ProcessRecord> &recs = m_recs;
    const int n = m_n;
    allocateRecordArrays();
    std::vector<Lookup> lookups;
    lookups.reserve(kLookupBatch);
    constexpr int kAhead = 8;      // records ahead: the key's hash and its index slot
    constexpr int kTextAhead = 32; // records ahead: the key texts (measured: 32 beats 16 and 64)
    constexpr int kRing = 2 * kAhead;
    // Each key's hash is needed twice, a few records apart (to prefetch its slot, then to insert
    // it): a small ring holds it in between instead of an array of every hash.
    quint64 ring[kRing];
    for (int i = 0; i < std::min(n, kAhead); ++i) {
        ring[i] = KeyIndex::hashOf(recs[size_t(i)].key);
        m_f.m_byKey.prefetch(ring[i]);
    }
    TextMemo<int, 6> endpointMemo;
    TextMemo<quint8, 3> rankMemo;
    TextMemo<int, 10> imageMemo;
    TextMemo<quint8, 4> signatureMemo;
    for (int i = 0; i < n; ++i) {
        if (i + kAhead < n) {
            const quint64 h = KeyIndex::hashOf(recs[size_t(i + kAhead)].key);
            ring[(i + kAhead) % kRing] = h;
            m_f.m_byKey.prefetch(h);
        }
        if (i + kTextAhead < n) {
            // The keys of each record are heap blocks of their own: ask for them before use.
            const ProcessRecord &ahead = recs[size_t(i + kTextAhead)];
            platform::prefetch(ahead.key.constData());
            platform::prefetch(ahead.key.constData() + 32);
            platform::prefetch(ahead.parentKey.constData());
            platform::prefetch(ahead.parentKey.constData() + 32);
        }
        const ProcessRecord &p = recs[size_t(i)];
        m_endpointOf[size_t(i)] =
            endpointMemo.get(p.endpointKey, [&] { return endpointId(p.endpointKey); });
        m_rank[size_t(i)] = rankMemo.get(p.source, [&] { return quint8(sourceRank(p.source)); });
        m_imageOf[size_t(i)] =
            imageMemo.get(p.imageName, [&] { return m_images.intern(p.imageName); });
        m_pidOf[size_t(i)] = p.pid;
        m_startOf[size_t(i)] = p.startedAt;
        quint8 flags =
            signatureMemo.get(p.signatureStatus, [&] { return signatureFlags(p.signatureStatus); });
        if (p.endedAt != 0)
            flags |= HasEnd;
        m_f.m_byKey.insert(recs, i, ring[i % kRing]);
        if (!p.parentKey.isEmpty()) {
            qint64 ppid = -1;
            if (!isPidReference(p.parentKey, &ppid) || ppid < 0) {
                // (A negative PID matches no bucket: straight to the placeholder's key.)
                flags |= ParentByKey;
                lookups.push_back({i, -1, KeyIndex::hashOf(p.parentKey), p.parentKey});
                if (lookups.size() == kLookupBatch) {
                    m_flags[size_t(i)] = flags; // lookUp may add ParentLater to this record
                    lookUp(lookups, true);
                    flags = m_flags[size_t(i)];
                }
            } else if (ppid <= INT_MAX) {
                flags |= ParentPid;
                m_parentOf[size_t(i)] = int(ppid);
            } else {
                flags |= ParentWidePid;
            }
        }
        m_flags[size_t(i)] = flags;
    }
    lookUp(lookups, true);
}

int ForestBuild::endpointId(const QString &endpointKey)
{
    auto it = m_endpointIds.constFind(endpointKey);
    if (it == m_endpointIds.cend())
        it = m_endpointIds.insert(endpointKey, int(m_endpointIds.size()));
    return *it;
}

quint8 ForestBuild::signatureFlags(const QString &signatureStatus)
{
    if (signatureStatus.isEmpty())
        return 0;
    const bool bad = signatureStatus.contains(QLatin1String("unsigned"), Qt::CaseInsensitive) ||
                     signatureStatus.contains(QLatin1String("invalid"), Qt::CaseInsensitive);
    return quint8(HasSignature | (bad ? BadSignature : 0));
}

void ForestBuild::allocateRecordArrays()
{
    const size_t count = size_t(m_n);
    assignHuge(m_endpointOf, count);
    assignHuge(m_rank, count);
    assignHuge(m_imageOf, count);
    assignHuge(m_pidOf, count);
    assignHuge(m_startOf, count); // end times are read from the records, once per node
    assignHuge(m_flags, count, quint8(0));
    m_parentOf = takeInts(count, -1);
    m_f.m_byKey.reserve(m_recs, count);
}

void ForestBuild::bucketPids()
{
    // Records by (endpoint, pid): PID reuse means several per bucket, told apart by start time.
    const int n = m_n;
    m_byPid.reserve(size_t(n));
    HugeVector<int> bucketOf = takeInts(size_t(n), -1);
    for (int i = 0; i < n; ++i)
        if (m_pidOf[size_t(i)] >= 0 && m_rank[size_t(i)] < 4)
            bucketOf[size_t(i)] = m_byPid.count(m_endpointOf[size_t(i)], m_pidOf[size_t(i)]);
    m_byPid.finish();
    for (int i = 0; i < n; ++i)
        if (bucketOf[size_t(i)] >= 0)
            m_byPid.place(bucketOf[size_t(i)], i, m_startOf[size_t(i)]);
    giveBack(bucketOf);
}

void ForestBuild::resolveParents()
{
    // A key index entry replaced by a later record with the same key (hostile or duplicated
    // input) may have answered a lookup in the pass: look every key parent up again.
    const bool again = m_f.m_byKey.replaced() > 0;
    std::vector<Lookup> lookups;
    lookups.reserve(kLookupBatch);
    for (int i = 0; i < m_n; ++i) {
        const quint8 flags = m_flags[size_t(i)];
        if (flags & (ParentPid | ParentWidePid)) {
            qint64 ppid = m_parentOf[size_t(i)];
            if (flags & ParentWidePid)
                isPidReference(m_recs[size_t(i)].parentKey, &ppid);
            const int j = resolvePid(m_endpointOf[size_t(i)], ppid, m_startOf[size_t(i)]);
            m_parentOf[size_t(i)] = j;
            if (j >= 0)
                continue;
            // else the placeholder: a root we only know by name
        } else if (!(flags & ParentLater) && !(again && (flags & ParentByKey))) {
            continue;
        }
        const QString &key = m_recs[size_t(i)].parentKey;
        lookups.push_back({i, -1, KeyIndex::hashOf(key), key});
        if (lookups.size() == kLookupBatch)
            lookUp(lookups, false);
    }
    lookUp(lookups, false);
}

void ForestBuild::mergeSources()
{
    m_uf.up = takeInts(size_t(m_n), 0);
    std::iota(m_uf.up.begin(), m_uf.up.end(), 0);
    mergeBuckets();
    mergePidlessRecords();
    mergeCausalityOwners();
    giveBack(m_endpointOf); // attach asks the endpoint ids by text (only for service installs)
}

void ForestBuild::mergeBuckets()
{
    // 1. One process seen by several sources (Sysmon 1, Security 4688, XDR roles) is one node.
    const HugeVector<quint8> &ranks = m_rank;
    const HugeVector<int> &imageOf = m_imageOf;
    const HugeVector<qint64> &startOf = m_startOf;
    UnionFind &uf = m_uf;
    std::vector<std::pair<qint64, int>> circle; // (start modulo a zone step, record)
    for (size_t bucket = 0; bucket < m_byPid.bucketCount(); ++bucket) {
        const std::span<const int> list = m_byPid.bucket(bucket);
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
            if (si > 0 && sj > 0 && sameStart(si, sj, true) && imageOf[size_t(i)] != 0 &&
                imageOf[size_t(i)] == imageOf[size_t(j)])
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
                if (ranks[size_t(j)] != 2 && imageOf[size_t(j)] == imageOf[size_t(i)] &&
                    (best < 0 || startOf[size_t(j)] > startOf[size_t(best)]))
                    best = j;
            if (best >= 0)
                uf.unite(i, best);
        }
    }
}

void ForestBuild::mergePidlessRecords()
{
    // 2. Records without a PID (XDR causality owners; NXLog's Sysmon export drops ProcessId):
    //    same image, same start, and the same parent PID when both know it.
    const int n = m_n;
    const HugeVector<quint8> &ranks = m_rank;
    const HugeVector<int> &imageOf = m_imageOf;
    const HugeVector<qint64> &pidOf = m_pidOf, &startOf = m_startOf;
    auto endpointImage = [&](int i) {
        return quint64(quint32(m_endpointOf[size_t(i)])) << 32 | quint32(imageOf[size_t(i)]);
    };
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
        const qint64 parentPid = m_recs[size_t(i)].parentPid;
        for (const int j : byImage.value(endpointImage(i))) {
            if (ranks[size_t(j)] == ranks[size_t(i)] || startOf[size_t(j)] <= 0)
                continue;
            const qint64 otherParentPid = m_recs[size_t(j)].parentPid;
            if (parentPid >= 0 && otherParentPid >= 0 && parentPid != otherParentPid)
                continue;
            if (sameStart(startOf[size_t(i)], startOf[size_t(j)], true)) {
                m_uf.unite(i, j);
                break;
            }
        }
    }
}

void ForestBuild::mergeCausalityOwners()
{
    // 3. The XDR causality owner and the actor are often the same process under two keys.
    const HugeVector<quint8> &ranks = m_rank;
    const HugeVector<int> &imageOf = m_imageOf;
    const HugeVector<qint64> &pidOf = m_pidOf;
    for (int i = 0; i < m_n; ++i) {
        if (ranks[size_t(i)] != 2 || m_recs[size_t(i)].parentKey.isEmpty())
            continue;
        const int j = byKey(m_recs[size_t(i)].parentKey);
        if (j < 0 || ranks[size_t(j)] != 2 || imageOf[size_t(j)] != imageOf[size_t(i)])
            continue;
        if (pidOf[size_t(i)] < 0 || pidOf[size_t(j)] < 0 || pidOf[size_t(i)] == pidOf[size_t(j)])
            m_uf.unite(i, j);
    }
}

void ForestBuild::groupParents()
{
    const int n = m_n;
    const HugeVector<quint8> &ranks = m_rank;
    const HugeVector<qint64> &startOf = m_startOf;
    for (int i = 0; i < n; ++i)
        m_uf.up[size_t(i)] = m_uf.find(i); // every record at its root: the table becomes groupOf
    m_groupOf = std::move(m_uf.up);

    // Parent of each group: the best-ranked member's parent that lands in another group,
    // members by rank (best first), in record order within a rank. It is written over the
    // group's own entry of m_parentOf: only members of a group read that entry, and none is
    // looked at once the group has its parent.
    HugeVector<char> &done = m_state;
    assignHuge(done, size_t(n), char(0));
    for (quint8 rank = 0; rank <= 4; ++rank) {
        for (int i = 0; i < n; ++i) {
            if (ranks[size_t(i)] != rank)
                continue;
            const int g = m_groupOf[size_t(i)];
            if (done[size_t(g)])
                continue;
            const int j = m_parentOf[size_t(i)];
            if (j < 0 || m_groupOf[size_t(j)] == g)
                continue;
            m_parentOf[size_t(g)] = m_groupOf[size_t(j)];
            done[size_t(g)] = 1;
        }
    }
    for (int g = 0; g < n; ++g)
        if (m_groupOf[size_t(g)] == g && !done[size_t(g)])
            m_parentOf[size_t(g)] = -1;
    m_parentGroup = std::move(m_parentOf); // read at group roots only

    // Representative of each group: the best-ranked member; the rest fill in what it lacks.
    m_best = takeInts(size_t(n), -1);
    for (int i = 0; i < n; ++i) {
        int &b = m_best[size_t(m_groupOf[size_t(i)])];
        if (b < 0 || ranks[size_t(i)] < ranks[size_t(b)] ||
            (ranks[size_t(i)] == ranks[size_t(b)] && startOf[size_t(i)] > 0 &&
             startOf[size_t(b)] == 0))
            b = i;
    }
}

void ForestBuild::breakCycles()
{
    // Break cycles that bad data could create (A's parent B, B's parent A).
    HugeVector<char> &state = m_state;
    assignHuge(state, size_t(m_n), char(0)); // 0 new, 1 on path, 2 done
    std::vector<int> path;
    for (int g = 0; g < m_n; ++g) {
        if (m_groupOf[size_t(g)] != g || state[size_t(g)])
            continue;
        path.clear();
        int x = g;
        while (x >= 0 && state[size_t(x)] == 0) {
            state[size_t(x)] = 1;
            path.push_back(x);
            x = m_parentGroup[size_t(x)];
        }
        if (x >= 0 && state[size_t(x)] == 1)
            m_parentGroup[size_t(x)] = -1;
        for (const int y : path)
            state[size_t(y)] = 2;
    }
}

} // namespace causa::detail
