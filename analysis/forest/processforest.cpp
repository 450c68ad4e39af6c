#include "processforest.h"

#include "cmdline/knowledgebase.h"
#include "pidbuckets.h"

#include <QSet>

#include <algorithm>
#include <ctime>
#include <numeric>

namespace causa {

QStringList badgeNames(quint32 badges)
{
    QStringList out;
    if (badges & quint32(ProcessBadge::Lolbin))
        out << QStringLiteral("lolbin");
    if (badges & quint32(ProcessBadge::Unsigned))
        out << QStringLiteral("unsigned");
    if (badges & quint32(ProcessBadge::PsexecService))
        out << QStringLiteral("psexec_service");
    if (badges & quint32(ProcessBadge::Alert))
        out << QStringLiteral("alert");
    if (badges & quint32(ProcessBadge::Network))
        out << QStringLiteral("network");
    if (badges & quint32(ProcessBadge::MissingParent))
        out << QStringLiteral("missing_parent");
    return out;
}

QStringList ProcessNode::sources() const
{
    static const char *names[] = {"sysmon", "security", "xdr", "other", "parent-ref"};
    QStringList out;
    for (int i = 0; i < 5; ++i)
        if (sourceMask & (1u << i))
            out << QString::fromLatin1(names[i]);
    return out;
}

bool ProcessForest::isLolbin(const QString &image)
{
    // The command-line analyser's LOLBin catalogue (resources/knowledge/lolbins.json) is the one
    // list: a binary added there gets the badge here too.
    static const QSet<QString> names = [] {
        QSet<QString> out;
        auto kb = KnowledgeBase::loadBuiltIn();
        if (!kb) {
            qWarning("process forest: no LOLBin catalogue: %s", qPrintable(kb.error().toString()));
            return out;
        }
        for (const LolbinEntry &e : kb.value()->lolbins())
            if (e.kind == QLatin1String("binary"))
                out.insert(e.name.toLower());
        return out;
    }();
    return names.contains(image);
}

bool ProcessForest::isPsexecLikeName(const QString &image)
{
    return image.startsWith(QLatin1String("psexesvc")) || image.startsWith(QLatin1String("paexec"))
           || image.startsWith(QLatin1String("remcom")) || image.startsWith(QLatin1String("csexec"))
           || image.startsWith(QLatin1String("xcmdsvc"));
}

namespace {

constexpr qint64 kSameStartMs = 5000;
constexpr qint64 kZoneStepMs = 15 * 60 * 1000;
constexpr qint64 kMaxZoneMs = 14 * 3600 * 1000;

int rank(const QString &source)
{
    if (source == QLatin1String("sysmon"))
        return 0;
    if (source == QLatin1String("security"))
        return 1;
    if (source == QLatin1String("xdr"))
        return 2;
    if (source == QLatin1String("parent-ref"))
        return 4;
    return 3;
}

// Sysmon writes UTC; OTRF's newer Security export writes local time. Two records of one
// process therefore start within seconds of each other, or a whole time-zone step apart.
bool sameStart(qint64 a, qint64 b, bool crossSource)
{
    const qint64 d = std::abs(a - b);
    if (d <= kSameStartMs)
        return true;
    if (!crossSource || d > kMaxZoneMs)
        return false;
    const qint64 r = d % kZoneStepMs;
    return r <= kSameStartMs || kZoneStepMs - r <= kSameStartMs;
}

// A key that names "the process with this PID" without a start time (Security parents,
// Sysmon events without ProcessGuid).
bool isPidReference(const QString &key, qint64 *pid)
{
    const qsizetype at = key.lastIndexOf(QLatin1String("|pid:"));
    if (at < 0 || key.indexOf(QLatin1Char('@'), at) >= 0 || key.indexOf(QLatin1Char('|'), at + 1) >= 0)
        return false;
    bool ok = false;
    *pid = QStringView(key).mid(at + 5).toLongLong(&ok); // a view: no copy per record
    return ok;
}

struct UnionFind
{
    std::vector<int> up;
    explicit UnionFind(size_t n) : up(n) { std::iota(up.begin(), up.end(), 0); }
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

QString serviceImageName(QString path)
{
    path = path.trimmed();
    if (path.startsWith(QLatin1String("%comspec%"), Qt::CaseInsensitive))
        return QStringLiteral("%comspec%");
    if (path.startsWith(QLatin1Char('"'))) {
        const qsizetype end = path.indexOf(QLatin1Char('"'), 1);
        path = path.mid(1, end > 0 ? end - 1 : -1);
    } else {
        const qsizetype exe = path.indexOf(QLatin1String(".exe"), 0, Qt::CaseInsensitive);
        if (exe > 0)
            path.truncate(exe + 4);
    }
    const qsizetype slash = std::max(path.lastIndexOf(QLatin1Char('\\')), path.lastIndexOf(QLatin1Char('/')));
    return (slash >= 0 ? path.mid(slash + 1) : path).toLower();
}

} // namespace

ProcessForest ProcessForest::build(ForestInput input)
{
    // CAUSA_FOREST_PROFILE=1 prints each phase's CPU time (wall time lies on a shared machine).
    const bool profile = qEnvironmentVariableIsSet("CAUSA_FOREST_PROFILE");
    auto cpuMs = [] {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
    };
    double phaseStart = profile ? cpuMs() : 0;
    auto mark = [&](const char *what) {
        if (!profile)
            return;
        const double now = cpuMs();
        qInfo("forest %s: %.0f ms CPU", what, now - phaseStart);
        phaseStart = now;
    };
    ProcessForest f;
    std::vector<ProcessRecord> &recs = input.processes;
    const int n = int(recs.size());
    QHash<QString, int> endpointIds;
    std::vector<int> endpointOf(static_cast<size_t>(n));
    std::vector<QString> lowered(static_cast<size_t>(n));
    std::vector<char> haveLower(static_cast<size_t>(n), 0);
    // Lower-cased image names are only needed where records are compared: computed on demand.
    auto imageLower = [&](int i) -> const QString & {
        if (!haveLower[size_t(i)]) {
            lowered[size_t(i)] = recs[size_t(i)].imageName.toLower();
            haveLower[size_t(i)] = 1;
        }
        return lowered[size_t(i)];
    };
    std::vector<qint8> ranks(static_cast<size_t>(n));
    detail::KeyIndex byKey;
    byKey.reserve(size_t(n));
    // Records come grouped by endpoint: only a change of endpoint costs a hash lookup.
    const QString *lastEndpoint = nullptr;
    int lastEndpointId = -1;
    for (int i = 0; i < n; ++i) {
        const ProcessRecord &p = recs[size_t(i)];
        if (!lastEndpoint || *lastEndpoint != p.endpointKey) {
            auto it = endpointIds.constFind(p.endpointKey);
            if (it == endpointIds.cend())
                it = endpointIds.insert(p.endpointKey, int(endpointIds.size()));
            lastEndpoint = &p.endpointKey;
            lastEndpointId = *it;
        }
        endpointOf[size_t(i)] = lastEndpointId;
        ranks[size_t(i)] = qint8(rank(p.source));
        byKey.insert(p.key, i);
    }

    // Records by (endpoint, pid): PID reuse means several per bucket, told apart by start time.
    detail::PidBuckets byPid;
    {
        byPid.reserve(size_t(n));
        std::vector<int> bucketOf(size_t(n), -1);
        for (int i = 0; i < n; ++i) {
            const ProcessRecord &p = recs[size_t(i)];
            if (p.pid >= 0 && ranks[size_t(i)] < 4)
                bucketOf[size_t(i)] = byPid.count(endpointOf[size_t(i)], p.pid);
        }
        byPid.finish();
        for (int i = 0; i < n; ++i)
            if (bucketOf[size_t(i)] >= 0)
                byPid.place(bucketOf[size_t(i)], i);
    }

    mark("index");
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
            const qint64 si = recs[size_t(i)].startedAt, sj = recs[size_t(j)].startedAt;
            if (si > 0 && sj > 0 && sameStart(si, sj, true) && !imageLower(i).isEmpty()
                && imageLower(i) == imageLower(j))
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
                if (recs[size_t(i)].startedAt > 0)
                    circle.push_back({recs[size_t(i)].startedAt % kZoneStepMs, i});
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
            if (ranks[size_t(i)] != 2 || recs[size_t(i)].startedAt > 0)
                continue;
            int best = -1;
            for (const int j : list)
                if (ranks[size_t(j)] != 2 && imageLower(j) == imageLower(i)
                    && (best < 0 || recs[size_t(j)].startedAt > recs[size_t(best)].startedAt))
                    best = j;
            if (best >= 0)
                uf.unite(i, best);
        }
    }
    // 2. Records without a PID (XDR causality owners; NXLog's Sysmon export drops ProcessId):
    //    same image, same start, and the same parent PID when both know it.
    QHash<QString, std::vector<int>> byImage;
    bool builtImageIndex = false;
    for (int i = 0; i < n; ++i) {
        const ProcessRecord &p = recs[size_t(i)];
        if (ranks[size_t(i)] > 2 || p.pid >= 0 || p.startedAt <= 0)
            continue;
        if (!builtImageIndex) {
            for (int j = 0; j < n; ++j)
                if (ranks[size_t(j)] <= 2)
                    byImage[recs[size_t(j)].endpointKey + QLatin1Char('|') + imageLower(j)].push_back(j);
            builtImageIndex = true;
        }
        for (const int j : byImage.value(p.endpointKey + QLatin1Char('|') + imageLower(i))) {
            const ProcessRecord &q = recs[size_t(j)];
            if (ranks[size_t(j)] == ranks[size_t(i)] || q.startedAt <= 0)
                continue;
            if (p.parentPid >= 0 && q.parentPid >= 0 && p.parentPid != q.parentPid)
                continue;
            if (sameStart(p.startedAt, q.startedAt, true)) {
                uf.unite(i, j);
                break;
            }
        }
    }
    // 3. The XDR causality owner and the actor are often the same process under two keys.
    for (int i = 0; i < n; ++i) {
        const ProcessRecord &p = recs[size_t(i)];
        if (ranks[size_t(i)] != 2 || p.parentKey.isEmpty())
            continue;
        const int j = byKey.value(p.parentKey, -1);
        if (j < 0 || ranks[size_t(j)] != 2 || imageLower(j) != imageLower(i))
            continue;
        if (p.pid < 0 || recs[size_t(j)].pid < 0 || p.pid == recs[size_t(j)].pid)
            uf.unite(i, j);
    }

    mark("merge");
    // Groups: representative is the best-ranked member; the rest fill in what it lacks.
    std::vector<int> groupOf(static_cast<size_t>(n));
    std::vector<int> best(size_t(n), -1);
    for (int i = 0; i < n; ++i) {
        const int g = uf.find(i);
        groupOf[size_t(i)] = g;
        int &b = best[size_t(g)];
        if (b < 0 || ranks[size_t(i)] < ranks[size_t(b)]
            || (ranks[size_t(i)] == ranks[size_t(b)] && recs[size_t(i)].startedAt > 0
                && recs[size_t(b)].startedAt == 0))
            b = i;
    }

    // Resolves a pid reference to the instance running at `when` (latest start not after it).
    auto resolvePid = [&](int endpoint, qint64 pid, qint64 when) -> int {
        int found = -1;
        for (const int j : byPid.find(endpoint, pid)) {
            const qint64 s = recs[size_t(j)].startedAt;
            if (s <= when + 1000 && (found < 0 || s > recs[size_t(found)].startedAt))
                found = j;
        }
        return found;
    };

    // Parent of each group: the best-ranked member's parent that lands in another group.
    std::vector<int> parentGroup(size_t(n), -1);
    {
        // Records by rank, stable (a counting sort: five ranks).
        std::vector<int> order(static_cast<size_t>(n));
        {
            int start[6] = {0, 0, 0, 0, 0, 0};
            for (int i = 0; i < n; ++i)
                ++start[ranks[size_t(i)] + 1];
            for (int r = 1; r < 6; ++r)
                start[r] += start[r - 1];
            for (int i = 0; i < n; ++i)
                order[size_t(start[ranks[size_t(i)]]++)] = i;
        }
        std::vector<char> done(size_t(n), 0);
        for (const int i : order) {
            const int g = groupOf[size_t(i)];
            if (done[size_t(g)])
                continue;
            const ProcessRecord &p = recs[size_t(i)];
            if (p.parentKey.isEmpty())
                continue;
            int j = -1;
            qint64 ppid = -1;
            if (isPidReference(p.parentKey, &ppid)) {
                j = resolvePid(endpointOf[size_t(i)], ppid, p.startedAt);
                if (j < 0)
                    j = byKey.value(p.parentKey, -1); // the placeholder: a root we only know by name
            } else {
                j = byKey.value(p.parentKey, -1);
            }
            if (j < 0 || groupOf[size_t(j)] == g)
                continue;
            parentGroup[size_t(g)] = groupOf[size_t(j)];
            done[size_t(g)] = 1;
        }
    }
    mark("parents");
    // Break cycles that bad data could create (A's parent B, B's parent A).
    {
        std::vector<char> state(size_t(n), 0); // 0 new, 1 on path, 2 done
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
    std::vector<int> childCount(size_t(n), 0);
    for (int g = 0; g < n; ++g)
        if (groupOf[size_t(g)] == g && parentGroup[size_t(g)] >= 0)
            ++childCount[size_t(parentGroup[size_t(g)])];
    std::vector<int> nodeOf(size_t(n), -1);
    f.m_nodes.reserve(static_cast<size_t>(n));
    for (int g = 0; g < n; ++g) {
        if (groupOf[size_t(g)] != g)
            continue;
        const int b = best[size_t(g)];
        if (ranks[size_t(b)] == 4 && childCount[size_t(g)] == 0)
            continue;
        nodeOf[size_t(g)] = int(f.m_nodes.size());
        f.m_nodes.emplace_back();
        ProcessNode &node = f.m_nodes.back();
        // The representative record is not read again (only its times and PID): move its text.
        ProcessRecord &p = recs[size_t(b)];
        node.key = std::move(p.key);
        node.endpointKey = std::move(p.endpointKey);
        node.imageName = std::move(p.imageName);
        node.imagePath = std::move(p.imagePath);
        node.commandLine = std::move(p.commandLine);
        node.user = std::move(p.user);
        node.md5 = std::move(p.md5);
        node.sha256 = std::move(p.sha256);
        node.signatureStatus = std::move(p.signatureStatus);
        node.signatureVendor = std::move(p.signatureVendor);
        node.pid = p.pid;
        node.startedAt = p.startedAt;
        node.endedAt = p.endedAt;
        node.sourceMask = quint8(1u << ranks[size_t(b)]);
        if (ranks[size_t(b)] == 4)
            node.badges |= quint32(ProcessBadge::MissingParent);
    }
    // Stored key → node (dropped placeholders map to -1): the record index reused in place.
    byKey.remapValues([&](int i) { return nodeOf[size_t(groupOf[size_t(i)])]; });
    for (int i = 0; i < n; ++i) {
        if (groupOf[size_t(i)] == i && best[size_t(i)] == i)
            continue;
        const int g = groupOf[size_t(i)];
        const int ni = nodeOf[size_t(g)];
        if (ni < 0)
            continue;
        if (best[size_t(g)] == i)
            continue;
        ProcessNode &node = f.m_nodes[size_t(ni)];
        const ProcessRecord &p = recs[size_t(i)];
        node.otherKeys << p.key;
        node.sourceMask |= quint8(1u << ranks[size_t(i)]);
        auto fill = [](QString &dst, const QString &src) {
            if (dst.isEmpty())
                dst = src;
        };
        fill(node.imagePath, p.imagePath);
        fill(node.imageName, p.imageName);
        fill(node.commandLine, p.commandLine);
        fill(node.user, p.user);
        fill(node.md5, p.md5);
        fill(node.sha256, p.sha256);
        fill(node.signatureStatus, p.signatureStatus);
        fill(node.signatureVendor, p.signatureVendor);
        if (node.pid < 0)
            node.pid = p.pid;
        if (node.startedAt == 0)
            node.startedAt = p.startedAt;
        if (node.endedAt == 0)
            node.endedAt = p.endedAt;
    }
    mark("nodes");
    // Children as one flat index array ordered by start time.
    const int nodes = int(f.m_nodes.size());
    std::vector<int> parentNode(size_t(nodes), -1);
    for (int g = 0; g < n; ++g) {
        const int ni = nodeOf[size_t(g)];
        if (ni < 0 || groupOf[size_t(g)] != g)
            continue;
        const int pg = parentGroup[size_t(g)];
        parentNode[size_t(ni)] = pg >= 0 ? nodeOf[size_t(pg)] : -1;
    }
    std::vector<int> counts(size_t(nodes) + 1, 0);
    for (int i = 0; i < nodes; ++i) {
        f.m_nodes[size_t(i)].parent = parentNode[size_t(i)];
        if (parentNode[size_t(i)] >= 0)
            ++counts[size_t(parentNode[size_t(i)])];
        else
            f.m_roots.push_back(i);
    }
    int offset = 0;
    for (int i = 0; i < nodes; ++i) {
        f.m_nodes[size_t(i)].firstChild = offset;
        offset += counts[size_t(i)];
    }
    f.m_childIndex.resize(size_t(offset));
    for (int i = 0; i < nodes; ++i) {
        const int p = parentNode[size_t(i)];
        if (p >= 0) {
            ProcessNode &pn = f.m_nodes[size_t(p)];
            f.m_childIndex[size_t(pn.firstChild + pn.childCount++)] = i;
        }
    }
    auto byStart = [&f](int a, int b) {
        const ProcessNode &x = f.m_nodes[size_t(a)], &y = f.m_nodes[size_t(b)];
        return x.startedAt != y.startedAt ? x.startedAt < y.startedAt : x.pid < y.pid;
    };
    for (ProcessNode &node : f.m_nodes)
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
            const ProcessNode &node = f.m_nodes[size_t(i)];
            for (int k = 0; k < node.childCount; ++k) {
                const int c = f.m_childIndex[size_t(node.firstChild + k)];
                f.m_nodes[size_t(c)].depth = node.depth + 1;
                stack.push_back(c);
            }
        }
    }

    mark("children");
    // Attach events to their process.
    f.m_byKey = std::move(byKey);
    f.m_events = std::move(input.events);
    QHash<QString, std::vector<int>> servicesByImage; // endpoint|image → service events
    for (int e = 0; e < int(f.m_events.size()); ++e) {
        const ForestEvent &ev = f.m_events[size_t(e)];
        if (ev.kind == QLatin1String("service_install")) {
            servicesByImage[ev.endpointKey + QLatin1Char('|') + serviceImageName(ev.imagePath)].push_back(e);
            continue;
        }
        if (ev.processKey.isEmpty())
            continue;
        int ni = f.m_byKey.value(ev.processKey, -1);
        qint64 pid = -1;
        if (ni < 0 && isPidReference(ev.processKey, &pid)) {
            const int j = resolvePid(endpointIds.value(ev.endpointKey, -1), pid, ev.ts);
            if (j >= 0)
                ni = nodeOf[size_t(groupOf[size_t(j)])];
        }
        if (ni < 0)
            continue;
        ProcessNode &node = f.m_nodes[size_t(ni)];
        if (ev.kind == QLatin1String("pipe"))
            node.pipes.push_back(e);
        else if (ev.kind == QLatin1String("network")) {
            node.network.push_back(e);
            node.badges |= quint32(ProcessBadge::Network);
        } else if (ev.kind == QLatin1String("file"))
            node.files.push_back(e);
        else if (ev.kind == QLatin1String("registry"))
            node.registry.push_back(e);
        else if (ev.kind == QLatin1String("process_exit")) {
            if (node.endedAt == 0)
                node.endedAt = ev.ts;
        } else if (ev.kind != QLatin1String("process_create"))
            node.other.push_back(e);
    }
    // A service install belongs to the process its image became (started soon after).
    if (!servicesByImage.isEmpty()) {
        for (ProcessNode &node : f.m_nodes) {
            const QString img = node.imageName.toLower();
            const auto it = servicesByImage.constFind(node.endpointKey + QLatin1Char('|') + img);
            std::vector<int> hits;
            if (it != servicesByImage.cend())
                hits = *it;
            // %COMSPEC% services (Empire, impacket) run cmd.exe under services.exe.
            if (img == QLatin1String("cmd.exe") && node.parent >= 0
                && f.m_nodes[size_t(node.parent)].imageName.compare(QLatin1String("services.exe"), Qt::CaseInsensitive) == 0) {
                for (const int e : servicesByImage.value(node.endpointKey + QLatin1Char('|') + QStringLiteral("%comspec%")))
                    hits.push_back(e);
            }
            for (const int e : hits) {
                const qint64 ts = f.m_events[size_t(e)].ts;
                if (node.startedAt == 0 || ts == 0
                    || (node.startedAt >= ts - 60000 && node.startedAt <= ts + 3600000)
                    || sameStart(node.startedAt, ts, true))
                    node.services.push_back(e);
            }
        }
    }
    for (ForestAlertLink &a : input.alerts) {
        const int ni = f.m_byKey.value(a.processKey, -1);
        if (ni < 0)
            continue;
        ProcessNode &node = f.m_nodes[size_t(ni)];
        const bool dup = std::any_of(node.alerts.begin(), node.alerts.end(),
                                     [&a](const ForestAlertLink &x) { return x.alertId == a.alertId; });
        if (!dup)
            node.alerts.push_back(std::move(a));
        node.badges |= quint32(ProcessBadge::Alert);
    }

    mark("attach");
    // Badges that depend on the node itself and its parent; name checks cached per image name.
    enum : quint8 { NameLolbin = 1, NamePsexec = 2, NameServices = 4, NameCmd = 8 };
    detail::KeyIndex nameFlags;
    auto flagsOf = [&nameFlags](const QString &name) {
        if (const int known = nameFlags.value(name, -1); known >= 0)
            return quint8(known);
        const QString img = name.toLower();
        quint8 v = 0;
        if (isLolbin(img))
            v |= NameLolbin;
        if (isPsexecLikeName(img))
            v |= NamePsexec;
        if (img == QLatin1String("services.exe"))
            v |= NameServices;
        if (img == QLatin1String("cmd.exe"))
            v |= NameCmd;
        nameFlags.insert(name, int(v));
        return v;
    };
    std::vector<quint8> nodeFlags(f.m_nodes.size());
    for (size_t i = 0; i < f.m_nodes.size(); ++i)
        nodeFlags[i] = flagsOf(f.m_nodes[i].imageName);
    for (size_t i = 0; i < f.m_nodes.size(); ++i) {
        ProcessNode &node = f.m_nodes[i];
        const quint8 flags = nodeFlags[i];
        if (flags & NameLolbin)
            node.badges |= quint32(ProcessBadge::Lolbin);
        if (!node.signatureStatus.isEmpty()
            && (node.signatureStatus.contains(QLatin1String("unsigned"), Qt::CaseInsensitive)
                || node.signatureStatus.contains(QLatin1String("invalid"), Qt::CaseInsensitive)))
            node.badges |= quint32(ProcessBadge::Unsigned);
        bool psexecLike = (flags & NamePsexec) != 0;
        const bool underServices = node.parent >= 0 && (nodeFlags[size_t(node.parent)] & NameServices);
        if (!psexecLike && underServices) {
            const QString dir = node.imagePath.section(QLatin1Char('\\'), 0, -2).toLower();
            const QString cmd = node.commandLine.toLower();
            // A renamed service binary dropped straight into %SystemRoot% (ADMIN$), a service
            // installed just before it started, or impacket's cmd.exe /Q /c … \\127.0.0.1\ pattern.
            psexecLike = ((dir == QLatin1String("c:\\windows") || dir == QLatin1String("%systemroot%"))
                          && node.imageName.endsWith(QLatin1String(".exe"), Qt::CaseInsensitive))
                         || !node.services.empty()
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
