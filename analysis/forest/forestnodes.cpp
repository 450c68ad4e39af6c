// The phases of ForestBuild that make and link the nodes (forestbuild.cpp reads and groups
// the records).
#include "forestbuild.h"

#include "forestrules.h"
#include "hugepages.h"

#include <algorithm>

namespace causa::detail {

void ForestBuild::setEnd(int node, qint64 end)
{
    if (end == 0)
        return;
    if (m_f.m_end.empty()) // most forests have no end times: no array until one does
        assignHuge(m_f.m_end, size_t(m_f.m_nodeCount), qint64(0));
    m_f.m_end[size_t(node)] = end;
}

void ForestBuild::makeNodes()
{
    numberNodes();
    listMergedRecords();
    fillNodeFields();
}

void ForestBuild::numberNodes()
{
    const int n = m_n;
    ProcessForest &f = m_f;
    // Which groups become nodes: every group with a real record, and placeholders with children.
    HugeVector<char> &hasChild = m_state;
    assignHuge(hasChild, size_t(n), char(0));
    for (int g = 0; g < n; ++g)
        if (m_groupOf[size_t(g)] == g && m_parentGroup[size_t(g)] >= 0)
            hasChild[size_t(m_parentGroup[size_t(g)])] = 1;
    // The node arrays are per-group and per-record arrays compacted in place, in node order:
    // node ni is group g >= ni (a group is numbered by its first record) and reads only its
    // group's entries and records (all >= g), so writing entry ni never overwrites one that a
    // later node still reads.
    m_nodeOf = takeInts(size_t(n), -1);
    int nodes = 0;
    for (int g = 0; g < n; ++g) {
        if (m_groupOf[size_t(g)] != g)
            continue;
        if (m_rank[size_t(m_best[size_t(g)])] == 4 && !hasChild[size_t(g)])
            continue;
        m_best[size_t(nodes)] = m_best[size_t(g)];
        m_parentGroup[size_t(nodes)] = m_parentGroup[size_t(g)]; // still a group: numbered below
        m_nodeOf[size_t(g)] = nodes++;
    }
    f.m_nodeCount = nodes;
    for (int ni = 0; ni < nodes; ++ni)
        if (int &p = m_parentGroup[size_t(ni)]; p >= 0)
            p = m_nodeOf[size_t(p)];
    m_best.resize(size_t(nodes));
    m_parentGroup.resize(size_t(nodes));
    f.m_record = std::move(m_best);
    f.m_parent = std::move(m_parentGroup);
}

void ForestBuild::listMergedRecords()
{
    // The other records of each node, in record order (the order their fields fill in).
    const int n = m_n;
    ProcessForest &f = m_f;
    const int nodes = f.m_nodeCount;
    HugeVector<int> mergedStart = takeInts(size_t(nodes) + 1, 0);
    for (int i = 0; i < n; ++i) {
        const int ni = m_nodeOf[size_t(m_groupOf[size_t(i)])];
        m_groupOf[size_t(i)] = ni; // the table becomes nodeOfRecord
        if (ni >= 0 && f.m_record[size_t(ni)] != i)
            ++mergedStart[size_t(ni) + 1];
    }
    f.m_nodeOfRecord = std::move(m_groupOf);
    giveBack(m_nodeOf);
    for (int k = 0; k < nodes; ++k)
        mergedStart[size_t(k) + 1] += mergedStart[size_t(k)];
    assignHuge(f.m_merged, size_t(mergedStart[size_t(nodes)]));
    // Filled with each node's start as its cursor: it ends at the next node's start, so the
    // offsets shift back by one afterwards.
    for (int i = 0; i < n; ++i)
        if (const int ni = f.m_nodeOfRecord[size_t(i)]; ni >= 0 && f.m_record[size_t(ni)] != i)
            f.m_merged[size_t(mergedStart[size_t(ni)]++)] = i;
    for (int k = nodes; k > 0; --k)
        mergedStart[size_t(k)] = mergedStart[size_t(k) - 1];
    mergedStart[0] = 0;
    f.m_mergedStart = std::move(mergedStart);
}

void ForestBuild::fillNodeFields()
{
    // PID, start, end, sources and image: the representative's, else the first merged record's.
    ProcessForest &f = m_f;
    const int nodes = f.m_nodeCount;
    assignHuge(f.m_badges, size_t(nodes), quint8(0));
    for (int ni = 0; ni < nodes; ++ni) {
        const int b = f.m_record[size_t(ni)];
        qint64 pid = m_pidOf[size_t(b)];
        qint64 start = m_startOf[size_t(b)];
        qint64 end = (m_flags[size_t(b)] & HasEnd) ? m_recs[size_t(b)].endedAt : 0;
        int image = m_imageOf[size_t(b)];
        quint8 mask = quint8(1u << m_rank[size_t(b)]);
        if (m_rank[size_t(b)] == 4)
            f.m_badges[size_t(ni)] |= quint8(ProcessBadge::MissingParent);
        for (int k = f.m_mergedStart[size_t(ni)]; k < f.m_mergedStart[size_t(ni) + 1]; ++k) {
            const int r = f.m_merged[size_t(k)];
            mask |= quint8(1u << m_rank[size_t(r)]);
            if (pid < 0)
                pid = m_pidOf[size_t(r)];
            if (start == 0)
                start = m_startOf[size_t(r)];
            if (end == 0 && (m_flags[size_t(r)] & HasEnd))
                end = m_recs[size_t(r)].endedAt;
            if (image == 0)
                image = m_imageOf[size_t(r)];
        }
        m_pidOf[size_t(ni)] = pid;
        m_startOf[size_t(ni)] = start;
        m_rank[size_t(ni)] = mask;
        m_imageOf[size_t(ni)] = image;
        setEnd(ni, end);
    }
    m_pidOf.resize(size_t(nodes));
    m_startOf.resize(size_t(nodes));
    m_rank.resize(size_t(nodes));
    m_imageOf.resize(size_t(nodes));
    f.m_pid = std::move(m_pidOf);
    f.m_start = std::move(m_startOf);
    f.m_sourceMask = std::move(m_rank);
    m_nodeImage = std::move(m_imageOf);
}

void ForestBuild::linkChildren()
{
    // Children as one flat index array ordered by start time.
    ProcessForest &f = m_f;
    const int nodes = f.m_nodeCount;
    HugeVector<int> childStart = takeInts(size_t(nodes) + 1, 0);
    for (int i = 0; i < nodes; ++i) {
        const int p = f.m_parent[size_t(i)];
        if (p >= 0)
            ++childStart[size_t(p) + 1];
        else
            f.m_roots.push_back(i);
    }
    for (int k = 0; k < nodes; ++k)
        childStart[size_t(k) + 1] += childStart[size_t(k)];
    f.m_childIndex = takeInts(size_t(childStart[size_t(nodes)]), 0);
    HugeVector<int> depth = takeInts(size_t(nodes), 0); // a fill cursor first
    std::copy(childStart.begin(), childStart.end() - 1, depth.begin());
    for (int i = 0; i < nodes; ++i)
        if (const int p = f.m_parent[size_t(i)]; p >= 0)
            f.m_childIndex[size_t(depth[size_t(p)]++)] = i;
    // Sorted on gathered keys: comparing through the node arrays would be two cache misses per
    // comparison. The same std::sort on the same sequence and order gives the same result as
    // sorting the indices directly (ties keep the order they always had).
    struct Child
    {
        qint64 start;
        qint64 pid;
        int node;
    };
    std::vector<Child> buffer;
    auto sortByStart = [&](int *first, int *last) {
        buffer.clear();
        for (int *c = first; c != last; ++c)
            buffer.push_back({f.m_start[size_t(*c)], f.m_pid[size_t(*c)], *c});
        std::sort(buffer.begin(), buffer.end(), [](const Child &x, const Child &y) {
            return x.start != y.start ? x.start < y.start : x.pid < y.pid;
        });
        for (const Child &c : buffer)
            *first++ = c.node;
    };
    int *children = f.m_childIndex.data();
    for (int i = 0; i < nodes; ++i)
        if (childStart[size_t(i) + 1] - childStart[size_t(i)] > 1)
            sortByStart(children + childStart[size_t(i)], children + childStart[size_t(i) + 1]);
    sortByStart(f.m_roots.data(), f.m_roots.data() + f.m_roots.size());
    // Depth, iteratively (hostile chains can be very deep), in node order: a parent is nearly
    // always a node made shortly before its child, so its depth is known and close by (a walk
    // down from the roots jumped across the arrays). A chain of unknown depths is walked up once.
    std::fill(depth.begin(), depth.end(), -1);
    std::vector<int> path;
    for (int i = 0; i < nodes; ++i) {
        if (depth[size_t(i)] >= 0)
            continue;
        int x = i;
        while (x >= 0 && depth[size_t(x)] < 0) {
            path.push_back(x);
            x = f.m_parent[size_t(x)];
        }
        int d = x >= 0 ? depth[size_t(x)] : -1;
        while (!path.empty()) {
            depth[size_t(path.back())] = ++d;
            path.pop_back();
        }
    }
    f.m_depth = std::move(depth);
    f.m_childStart = std::move(childStart);
}

void ForestBuild::attach()
{
    m_f.m_events = std::move(m_input.events);
    ServicesByImage servicesByImage;
    std::vector<Attachment> attachments = attachEvents(servicesByImage);
    if (!servicesByImage.isEmpty())
        attachServices(servicesByImage, attachments);
    std::vector<std::pair<int, int>> alertLinks = linkAlerts();
    groupAttachments(attachments, alertLinks);
}

std::vector<ForestBuild::Attachment> ForestBuild::attachEvents(ServicesByImage &servicesByImage)
{
    // Attach events to their process: (node, kind, event) entries, grouped per node later.
    // Service installs are set aside by endpoint and image, for attachServices.
    ProcessForest &f = m_f;
    std::vector<Attachment> attachments;
    for (int e = 0; e < int(f.m_events.size()); ++e) {
        const ForestEvent &ev = f.m_events[size_t(e)];
        if (ev.kind == QLatin1String("service_install")) {
            // Only endpoints with records can have a node for the service to attach to.
            const int endpoint = m_endpointIds.value(ev.endpointKey, -1);
            if (endpoint >= 0)
                servicesByImage[quint64(quint32(endpoint)) << 32 |
                                quint32(m_images.intern(serviceImageName(ev.imagePath)))]
                    .push_back(e);
            continue;
        }
        if (ev.processKey.isEmpty())
            continue;
        const int r = byKey(ev.processKey);
        int ni = r >= 0 ? f.m_nodeOfRecord[size_t(r)] : -1;
        qint64 pid = -1;
        if (ni < 0 && isPidReference(ev.processKey, &pid)) {
            const int j = resolvePid(m_endpointIds.value(ev.endpointKey, -1), pid, ev.ts);
            if (j >= 0)
                ni = f.m_nodeOfRecord[size_t(j)];
        }
        if (ni < 0)
            continue;
        if (ev.kind == QLatin1String("pipe"))
            attachments.push_back({ni, Attachment::Pipe, e});
        else if (ev.kind == QLatin1String("network")) {
            attachments.push_back({ni, Attachment::Network, e});
            f.m_badges[size_t(ni)] |= quint8(ProcessBadge::Network);
        } else if (ev.kind == QLatin1String("file"))
            attachments.push_back({ni, Attachment::File, e});
        else if (ev.kind == QLatin1String("registry"))
            attachments.push_back({ni, Attachment::Registry, e});
        else if (ev.kind == QLatin1String("process_exit")) {
            if (f.node(ni).endedAt() == 0)
                setEnd(ni, ev.ts);
        } else if (ev.kind != QLatin1String("process_create"))
            attachments.push_back({ni, Attachment::Other, e});
    }
    return attachments;
}

void ForestBuild::attachServices(const ServicesByImage &servicesByImage,
                                 std::vector<Attachment> &attachments)
{
    // A service install belongs to the process its image became (started soon after).
    ProcessForest &f = m_f;
    const int comspec = m_images.intern(u"%comspec%");
    const int cmdExe = m_images.find(u"cmd.exe");
    for (int ni = 0; ni < f.m_nodeCount; ++ni) {
        const QString &endpointKey = m_recs[size_t(f.m_record[size_t(ni)])].endpointKey;
        const quint64 endpoint = quint64(quint32(m_endpointIds.value(endpointKey, -1))) << 32;
        const auto it = servicesByImage.constFind(endpoint | quint32(m_nodeImage[size_t(ni)]));
        std::vector<int> hits;
        if (it != servicesByImage.cend())
            hits = *it;
        // %COMSPEC% services (Empire, impacket) run cmd.exe under services.exe.
        const int parent = f.m_parent[size_t(ni)];
        if (cmdExe > 0 && m_nodeImage[size_t(ni)] == cmdExe && parent >= 0 &&
            f.node(parent).imageName().compare(QLatin1String("services.exe"),
                                               Qt::CaseInsensitive) == 0) {
            for (const int e : servicesByImage.value(endpoint | quint32(comspec)))
                hits.push_back(e);
        }
        const qint64 started = f.m_start[size_t(ni)];
        for (const int e : hits) {
            const qint64 ts = f.m_events[size_t(e)].ts;
            if (started == 0 || ts == 0 || (started >= ts - 60000 && started <= ts + 3600000) ||
                sameStart(started, ts, true))
                attachments.push_back({ni, Attachment::Service, e});
        }
    }
}

std::vector<std::pair<int, int>> ForestBuild::linkAlerts()
{
    // (node, index into the input's alerts) for every alert whose process has a node.
    ProcessForest &f = m_f;
    std::vector<std::pair<int, int>> alertLinks;
    for (int a = 0; a < int(m_input.alerts.size()); ++a) {
        const int r = byKey(m_input.alerts[size_t(a)].processKey);
        const int ni = r >= 0 ? f.m_nodeOfRecord[size_t(r)] : -1;
        if (ni < 0)
            continue;
        alertLinks.push_back({ni, a});
        f.m_badges[size_t(ni)] |= quint8(ProcessBadge::Alert);
    }
    return alertLinks;
}

void ForestBuild::groupAttachments(std::vector<Attachment> &attachments,
                                   std::vector<std::pair<int, int>> &alertLinks)
{
    // Per node: its events by kind, then its alerts (first of each alert id only).
    ProcessForest &f = m_f;
    const int nodes = f.m_nodeCount;
    std::stable_sort(attachments.begin(), attachments.end(),
                     [](const Attachment &a, const Attachment &b) {
                         return a.node != b.node ? a.node < b.node : a.kind < b.kind;
                     });
    std::stable_sort(alertLinks.begin(), alertLinks.end(),
                     [](const std::pair<int, int> &a, const std::pair<int, int> &b) {
                         return a.first < b.first;
                     });
    size_t at = 0, al = 0;
    f.m_attached.reserve(attachments.size());
    while (at < attachments.size() || al < alertLinks.size()) {
        const int ni = std::min(at < attachments.size() ? attachments[at].node : nodes,
                                al < alertLinks.size() ? alertLinks[al].first : nodes);
        ProcessForest::AttachmentRanges ranges;
        ranges.node = ni;
        for (int kind = 0; kind <= Attachment::Other; ++kind) {
            ranges.begin[kind] = int(f.m_attached.size());
            while (at < attachments.size() && attachments[at].node == ni &&
                   attachments[at].kind == kind)
                f.m_attached.push_back(attachments[at++].event);
        }
        ranges.begin[6] = int(f.m_attached.size());
        ranges.alertBegin = int(f.m_alerts.size());
        for (; al < alertLinks.size() && alertLinks[al].first == ni; ++al) {
            ForestAlertLink &a = m_input.alerts[size_t(alertLinks[al].second)];
            const bool dup =
                std::any_of(f.m_alerts.begin() + ranges.alertBegin, f.m_alerts.end(),
                            [&a](const ForestAlertLink &x) { return x.alertId == a.alertId; });
            if (!dup)
                f.m_alerts.push_back(std::move(a));
        }
        ranges.alertEnd = int(f.m_alerts.size());
        f.m_attachmentRanges.push_back(ranges);
    }
}

void ForestBuild::badges()
{
    // Badges that depend on the node itself and its parent; name checks once per image name.
    ProcessForest &f = m_f;
    enum : quint8
    {
        NameLolbin = 1,
        NamePsexec = 2,
        NameServices = 4,
        NameCmd = 8,
        NameKnown = 16
    };
    std::vector<quint8> imageFlags(size_t(m_images.size()), 0);
    auto flagsOf = [&](int image) {
        quint8 &v = imageFlags[size_t(image)];
        if (!(v & NameKnown)) {
            const QString &img = m_images.lower(image);
            v = NameKnown;
            if (ProcessForest::isLolbin(img))
                v |= NameLolbin;
            if (ProcessForest::isPsexecLikeName(img))
                v |= NamePsexec;
            if (img == QLatin1String("services.exe"))
                v |= NameServices;
            if (img == QLatin1String("cmd.exe"))
                v |= NameCmd;
        }
        return v;
    };
    for (int i = 0; i < f.m_nodeCount; ++i) {
        quint8 &badges = f.m_badges[size_t(i)];
        const quint8 flags = flagsOf(m_nodeImage[size_t(i)]);
        if (flags & NameLolbin)
            badges |= quint8(ProcessBadge::Lolbin);
        if (m_flags[size_t(firstRecordWith(
                i, [&](int r) { return (m_flags[size_t(r)] & HasSignature) != 0; }))] &
            BadSignature)
            badges |= quint8(ProcessBadge::Unsigned);
        bool psexecLike = (flags & NamePsexec) != 0;
        const int parent = f.m_parent[size_t(i)];
        const bool underServices =
            parent >= 0 && (flagsOf(m_nodeImage[size_t(parent)]) & NameServices);
        if (!psexecLike && underServices) {
            const ProcessNode view = f.node(i);
            const QString dir = view.imagePath().section(QLatin1Char('\\'), 0, -2).toLower();
            const QString cmd = view.commandLine().toLower();
            // A renamed service binary dropped straight into %SystemRoot% (ADMIN$), a service
            // installed just before it started, or impacket's cmd.exe /Q /c … \\127.0.0.1\ pattern.
            psexecLike =
                ((dir == QLatin1String("c:\\windows") || dir == QLatin1String("%systemroot%")) &&
                 view.imageName().endsWith(QLatin1String(".exe"), Qt::CaseInsensitive)) ||
                !view.services().empty() ||
                ((flags & NameCmd) && cmd.contains(QLatin1String("/q")) &&
                 cmd.contains(QLatin1String("\\\\127.0.0.1\\")));
        }
        if (psexecLike)
            badges |= quint8(ProcessBadge::PsexecService);
    }
}

} // namespace causa::detail
