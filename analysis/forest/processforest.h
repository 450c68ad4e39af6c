#pragma once

#include "core/records.h"
#include "core/severity.h"
#include "recordkeyindex.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <span>
#include <vector>

namespace causa {

// What the forest is built from: stored processes (every source), the endpoint events that
// attach to them, and the alert roles that point at them. Filled by store/eventqueries.
struct ForestEvent
{
    QString processKey;
    QString endpointKey;
    QString kind; // pipe, network, file, registry, service_install, process_exit, …
    int code = 0;
    qint64 ts = 0;
    QString summary;
    QString name;       // pipe name, file path, registry key, service name
    QString imagePath;  // service image path (service_install)
    QString remoteIp;   // network
    int remotePort = 0; // network
    qint64 eventId = 0;
};

struct ForestAlertLink
{
    QString processKey;
    qint64 alertId = 0;
    qint64 caseId = 0;
    QString name;
    Severity severity = Severity::Unknown;
    QString role;
};

struct ForestInput
{
    std::vector<ProcessRecord> processes;
    std::vector<ForestEvent> events;
    std::vector<ForestAlertLink> alerts;
};

enum class ProcessBadge : quint32 {
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
// A node as the forest stores it (64 bytes): the text stays in the stored records it was
// built from; merged records and attachments are ranges into shared arrays.
struct NodeData
{
    qint64 pid = -1;
    qint64 startedAt = 0;
    qint64 endedAt = 0;
    int record = -1;     // the representative record (best-ranked source)
    int parent = -1;
    int firstChild = 0;  // into the forest's child index array
    int childCount = 0;
    int depth = 0;
    int firstMerged = 0; // into the forest's merged-record array (record order)
    int mergedCount = 0;
    int attachments = -1; // into the forest's attachment ranges, -1 for none
    quint32 badges = 0;
    quint8 sourceMask = 0;
};
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
    quint8 sourceMask() const { return m_data->sourceMask; }
    qint64 pid() const { return m_data->pid; }
    qint64 startedAt() const { return m_data->startedAt; }
    qint64 endedAt() const { return m_data->endedAt; }
    quint32 badges() const { return m_data->badges; }
    int parent() const { return m_data->parent; }
    int childCount() const { return m_data->childCount; }
    int depth() const { return m_data->depth; }
    std::span<const int> pipes() const { return attached(0); }
    std::span<const int> network() const { return attached(1); }
    std::span<const int> files() const { return attached(2); }
    std::span<const int> registry() const { return attached(3); }
    std::span<const int> services() const { return attached(4); }
    std::span<const int> other() const { return attached(5); }
    std::span<const ForestAlertLink> alerts() const;

    bool has(ProcessBadge b) const { return (m_data->badges & quint32(b)) != 0; }
    // "sysmon", "security", "xdr", "other", "parent-ref" for the records merged here.
    QStringList sources() const;

private:
    const QString &field(QString ProcessRecord::*member) const;
    std::span<const int> attached(int kind) const;

    const ProcessForest *m_forest;
    const detail::NodeData *m_data;
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
        const detail::NodeData &n = m_nodes[size_t(i)];
        return std::span<const int>(m_childIndex).subspan(size_t(n.firstChild), size_t(n.childCount));
    }
    const std::vector<ForestEvent> &events() const { return m_events; }
    // The node holding a stored process key (any merged key), or -1.
    int indexOf(const QString &processKey) const;
    int size() const { return int(m_nodes.size()); }

    // Image names treated as living-off-the-land binaries for the badge.
    static bool isLolbin(const QString &imageNameLower);
    static bool isPsexecLikeName(const QString &imageNameLower);

private:
    friend class ProcessNode;
    // Per node with attachments: where each kind (pipes, network, files, registry, services,
    // other) starts in m_attached, then the end; and the node's range of m_alerts.
    struct AttachmentRanges
    {
        int begin[7] = {0, 0, 0, 0, 0, 0, 0};
        int alertBegin = 0;
        int alertEnd = 0;
    };

    std::vector<ProcessRecord> m_records;
    std::vector<detail::NodeData> m_nodes;
    std::vector<int> m_merged;       // records merged into a node besides its representative
    std::vector<int> m_nodeOfRecord; // -1 for a dropped placeholder
    std::vector<int> m_roots;
    std::vector<int> m_childIndex;
    std::vector<ForestEvent> m_events;
    std::vector<int> m_attached; // event indices, grouped by node then kind
    std::vector<AttachmentRanges> m_attachmentRanges;
    std::vector<ForestAlertLink> m_alerts; // grouped by node
    detail::RecordKeyIndex m_byKey;
};

} // namespace causa
