#pragma once

#include "imagenames.h"
#include "pidbuckets.h"
#include "processforest.h"

#include <QHash>
#include <QStringView>

#include <utility>
#include <vector>

namespace causa::detail {

// One build of a ProcessForest, phase by phase: ProcessForest::build runs the public steps in
// order (and profiles them). The records are read once, in one sequential pass, into flat
// per-record arrays; later phases work on those arrays and touch the records only where they
// must. Fresh memory costs a page fault per page on first touch (on a virtual machine, more
// than the work done in it), so per-record arrays a phase is done with are recycled for a later
// phase, and several become the forest's node arrays by compacting them in place.
class ForestBuild
{
public:
    // The forest already owns the records (input.processes was moved into it).
    ForestBuild(ProcessForest &forest, ForestInput &input);

    void readRecords();    // per-record arrays, the key index, most parents found by key
    void bucketPids();     // records by (endpoint, PID)
    void resolveParents(); // PID-reference parents, and the key parents not found in the pass
    void mergeSources();   // records of one process (several sources) into one group
    void groupParents();   // each group's representative and parent group
    void breakCycles();
    void makeNodes();
    void linkChildren(); // child lists ordered by start time, roots, depth
    void attach();       // events and alert links
    void badges();

private:
    enum RecordFlag : quint8
    {
        HasSignature = 1,
        BadSignature = 2,
        ParentPid = 4,     // m_parentOf holds the parent's PID, resolved once PIDs are bucketed
        ParentWidePid = 8, // the same for a PID that does not fit an int (read again)
        ParentByKey = 16,  // the parent is looked up by key
        ParentLater = 32,  // … and was not indexed yet when the record was read
        HasEnd = 64,       // the record has an end time
    };
    struct Lookup
    {
        int record;
        int candidate;
        quint64 hash;
        QStringView key;
    };
    struct UnionFind
    {
        HugeVector<int> up;
        int find(int x);
        void unite(int a, int b);
    };

    // An event attached to a node; kind orders a node's attachment ranges.
    struct Attachment
    {
        enum Kind
        {
            Pipe,
            Network,
            File,
            Registry,
            Service,
            Other
        };
        int node;
        int kind;
        int event;
    };
    using ServicesByImage = QHash<quint64, std::vector<int>>; // endpoint, image → service events

    // mergeSources' steps (the per-record and per-pair work stays inside them: it is hot).
    void mergeBuckets();
    void mergePidlessRecords();
    void mergeCausalityOwners();
    // readRecords' steps; the last two only when its memos miss.
    void allocateRecordArrays();
    int endpointId(const QString &endpointKey);
    static quint8 signatureFlags(const QString &signatureStatus);
    // makeNodes' steps.
    void numberNodes();
    void listMergedRecords();
    void fillNodeFields();
    // attach's steps.
    std::vector<Attachment> attachEvents(ServicesByImage &servicesByImage);
    void attachServices(const ServicesByImage &servicesByImage,
                        std::vector<Attachment> &attachments);
    std::vector<std::pair<int, int>> linkAlerts(); // node, index into the input's alerts
    void groupAttachments(std::vector<Attachment> &attachments,
                          std::vector<std::pair<int, int>> &alertLinks);

    HugeVector<int> takeInts(size_t size, int value);
    void giveBack(HugeVector<int> &v);
    int byKey(QStringView key) const;
    // The instance of a PID running at `when` (latest known start not after it), or -1.
    int resolvePid(int endpoint, qint64 pid, qint64 when) const;
    // Key lookups, pipelined (slot, candidate record and both texts requested ahead). A key not
    // found is -1, or with `deferMisses` left for resolveParents (its record may come later).
    void lookUp(std::vector<Lookup> &lookups, bool deferMisses);
    void setEnd(int node, qint64 end);

    // The record whose value a node shows for a per-record property: the representative's,
    // else the first merged record's that has one (as ProcessNode's text fields do).
    template<typename Has>
    int firstRecordWith(int node, Has &&has) const
    {
        const int rec = m_f.m_record[size_t(node)];
        if (has(rec))
            return rec;
        for (int k = m_f.m_mergedStart[size_t(node)]; k < m_f.m_mergedStart[size_t(node) + 1]; ++k)
            if (const int r = m_f.m_merged[size_t(k)]; has(r))
                return r;
        return rec;
    }

    ProcessForest &m_f;
    ForestInput &m_input;
    const std::vector<ProcessRecord> &m_recs;
    const int m_n;

    QHash<QString, int> m_endpointIds;
    ImageNames m_images;
    // Per record (until makeNodes compacts some of them into node arrays).
    HugeVector<int> m_endpointOf; // until mergeSources
    HugeVector<int> m_imageOf;    // becomes the nodes' images
    HugeVector<quint8> m_rank;    // sourceRank; becomes the nodes' source masks
    HugeVector<qint64> m_pidOf;
    HugeVector<qint64> m_startOf;
    HugeVector<quint8> m_flags; // RecordFlag
    HugeVector<int> m_parentOf; // the parent record (or a PID: ParentPid); then m_parentGroup
    PidBuckets m_byPid;
    UnionFind m_uf;
    HugeVector<int> m_groupOf;     // the union-find table, flattened: the group's first record
    HugeVector<int> m_best;        // per group: the representative record
    HugeVector<int> m_parentGroup; // per group (read at group roots); then the nodes' parents
    HugeVector<char> m_state;      // per group: scratch flags
    HugeVector<int> m_nodeOf;      // per group
    HugeVector<int> m_nodeImage;   // per node: the image id shown
    std::vector<HugeVector<int>> m_spare; // int arrays done with, for a later phase
};

} // namespace causa::detail
