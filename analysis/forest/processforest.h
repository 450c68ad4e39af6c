#pragma once

#include "core/records.h"
#include "core/severity.h"
#include "keyindex.h"

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

// One process instance in the forest, possibly merged from several sources (Sysmon, Security
// 4688, XDR alert roles). Attachments are indices into ProcessForest::events().
struct ProcessNode
{
    QString key;
    QStringList otherKeys; // further stored records that are this process (merged sources)
    QString endpointKey;
    QString imageName;
    QString imagePath;
    QString commandLine;
    QString user;
    QString md5;
    QString sha256;
    QString signatureStatus;
    QString signatureVendor;
    quint8 sourceMask = 0; // bit per source, see sources()
    qint64 pid = -1;
    qint64 startedAt = 0;
    qint64 endedAt = 0;
    quint32 badges = 0;
    int parent = -1;
    int firstChild = 0; // into the forest's child index array
    int childCount = 0;
    int depth = 0;
    std::vector<int> pipes, network, files, registry, services, other;
    std::vector<ForestAlertLink> alerts;

    bool has(ProcessBadge b) const { return (badges & quint32(b)) != 0; }
    // "sysmon", "security", "xdr", "other", "parent-ref" for the records merged here.
    QStringList sources() const;
};

// Immutable process forest of one or more endpoints; cheap to move across threads.
class ProcessForest final
{
public:
    static ProcessForest build(ForestInput input);

    const std::vector<ProcessNode> &nodes() const { return m_nodes; }
    const ProcessNode &node(int i) const { return m_nodes[size_t(i)]; }
    std::span<const int> roots() const { return m_roots; }
    std::span<const int> children(int i) const
    {
        const ProcessNode &n = m_nodes[size_t(i)];
        return std::span<const int>(m_childIndex).subspan(size_t(n.firstChild), size_t(n.childCount));
    }
    const std::vector<ForestEvent> &events() const { return m_events; }
    // The node holding a stored process key (any merged key), or -1.
    int indexOf(const QString &processKey) const { return m_byKey.value(processKey, -1); }
    int size() const { return int(m_nodes.size()); }

    // Image names treated as living-off-the-land binaries for the badge.
    static bool isLolbin(const QString &imageNameLower);
    static bool isPsexecLikeName(const QString &imageNameLower);

private:
    std::vector<ProcessNode> m_nodes;
    std::vector<int> m_roots;
    std::vector<int> m_childIndex;
    std::vector<ForestEvent> m_events;
    detail::KeyIndex m_byKey; // stored process key → node, -1 for a dropped placeholder
};

} // namespace causa
