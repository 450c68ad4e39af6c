#pragma once

#include "core/forestinput.h"
#include "core/records.h"
#include "core/severity.h"
#include "hugepages.h"
#include "recordkeyindex.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <span>
#include <vector>

namespace causa {

enum class ProcessBadge : quint32
{
    Lolbin = 1u << 0,
    Unsigned = 1u << 1,
    PsexecService = 1u << 2,
    Alert = 1u << 3,
    Network = 1u << 4,
    MissingParent = 1u << 5, // a parent we only know from its child's record
};
QStringList badgeNames(quint32 badges);

class ProcessForest;

namespace detail {
class ForestBuild;
} // namespace detail

// One process instance in the forest, possibly merged from several sources (Sysmon, Security
// 4688, XDR alert roles): a cheap view (forest + index) valid while the forest lives. A text
// field is the representative record's, or the first merged record's that has it.
// Attachments are indices into ProcessForest::events().
class ProcessNode
{
public:
    ProcessNode(const ProcessForest *forest, int index);

    int index() const { return m_index; }
    const QString &key() const;
    QStringList otherKeys() const; // further stored records that are this process (merged sources)
    const QString &endpointKey() const;
    const QString &imageName() const;
    const QString &imagePath() const;
    const QString &commandLine() const;
    const QString &user() const;
    const QString &md5() const;
    const QString &sha256() const;
    const QString &signatureStatus() const;
    const QString &signatureVendor() const;
    quint8 sourceMask() const;
    qint64 pid() const;
    qint64 startedAt() const;
    qint64 endedAt() const;
    quint32 badges() const;
    int parent() const;
    int childCount() const;
    int depth() const;
    std::span<const int> pipes() const { return attached(0); }
    std::span<const int> network() const { return attached(1); }
    std::span<const int> files() const { return attached(2); }
    std::span<const int> registry() const { return attached(3); }
    std::span<const int> services() const { return attached(4); }
    std::span<const int> other() const { return attached(5); }
    std::span<const ForestAlertLink> alerts() const;

    bool has(ProcessBadge b) const { return (badges() & quint32(b)) != 0; }
    // "sysmon", "security", "xdr", "other", "parent-ref" for the records merged here.
    QStringList sources() const;

private:
    const QString &field(QString ProcessRecord::*member) const;
    std::span<const int> attached(int kind) const;

    std::span<const int> merged() const;

    const ProcessForest *m_forest;
    int m_index;
};

// Immutable process forest of one or more endpoints; cheap to move across threads. It owns
// the stored records it was built from (moved in, never copied): nodes point into them.
class ProcessForest final
{
public:
    static ProcessForest build(ForestInput input);

    ProcessNode node(int i) const { return ProcessNode(this, i); }
    std::span<const int> roots() const { return m_roots; }
    std::span<const int> children(int i) const
    {
        const int first = m_childStart[size_t(i)];
        return std::span<const int>(m_childIndex)
            .subspan(size_t(first), size_t(m_childStart[size_t(i) + 1] - first));
    }
    const std::vector<ForestEvent> &events() const { return m_events; }
    // The node holding a stored process key (any merged key), or -1.
    int indexOf(const QString &processKey) const;
    int size() const { return m_nodeCount; }

    // Image names treated as living-off-the-land binaries for the badge.
    static bool isLolbin(const QString &imageNameLower);
    static bool isPsexecLikeName(const QString &imageNameLower);

private:
    friend class ProcessNode;
    friend class detail::ForestBuild;
    // Per node with attachments: where each kind (pipes, network, files, registry, services,
    // other) starts in m_attached, then the end; and the node's range of m_alerts.
    struct AttachmentRanges
    {
        int node = -1;
        int begin[7] = {0, 0, 0, 0, 0, 0, 0};
        int alertBegin = 0;
        int alertEnd = 0;
    };

    std::vector<ProcessRecord> m_records;
    // The nodes as parallel arrays, indexed by node. Most of them were the build's per-record
    // arrays, compacted in place (their memory was already touched, so it costs no page
    // faults); their capacity is the record count.
    int m_nodeCount = 0;
    detail::HugeVector<int> m_record; // the representative record (best-ranked source)
    detail::HugeVector<int> m_parent; // -1 for a root
    detail::HugeVector<qint64> m_pid;
    detail::HugeVector<qint64> m_start;
    detail::HugeVector<qint64> m_end; // empty while no node has an end time
    detail::HugeVector<int> m_depth;
    detail::HugeVector<int> m_childStart;  // nodes + 1 offsets into m_childIndex
    detail::HugeVector<int> m_mergedStart; // nodes + 1 offsets into m_merged
    detail::HugeVector<quint8> m_badges;   // ProcessBadge bits
    detail::HugeVector<quint8> m_sourceMask;
    detail::HugeVector<int> m_merged;       // records merged into a node besides its representative
    detail::HugeVector<int> m_nodeOfRecord; // -1 for a dropped placeholder
    std::vector<int> m_roots;
    detail::HugeVector<int> m_childIndex;
    std::vector<ForestEvent> m_events;
    std::vector<int> m_attached;                      // event indices, grouped by node then kind
    std::vector<AttachmentRanges> m_attachmentRanges; // by node: few nodes have attachments
    const AttachmentRanges *attachmentsOf(int node) const;
    std::vector<ForestAlertLink> m_alerts; // grouped by node
    detail::RecordKeyIndex m_byKey;
};

} // namespace causa
