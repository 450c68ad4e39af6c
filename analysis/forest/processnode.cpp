#include "processforest.h"

#include <algorithm>

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

ProcessNode::ProcessNode(const ProcessForest *forest, int index) : m_forest(forest), m_index(index)
{}

quint8 ProcessNode::sourceMask() const
{
    return m_forest->m_sourceMask[size_t(m_index)];
}
qint64 ProcessNode::pid() const
{
    return m_forest->m_pid[size_t(m_index)];
}
qint64 ProcessNode::startedAt() const
{
    return m_forest->m_start[size_t(m_index)];
}
qint64 ProcessNode::endedAt() const
{
    return m_forest->m_end.empty() ? 0 : m_forest->m_end[size_t(m_index)];
}
quint32 ProcessNode::badges() const
{
    return m_forest->m_badges[size_t(m_index)];
}
int ProcessNode::parent() const
{
    return m_forest->m_parent[size_t(m_index)];
}
int ProcessNode::childCount() const
{
    return int(m_forest->children(m_index).size());
}
int ProcessNode::depth() const
{
    return m_forest->m_depth[size_t(m_index)];
}

std::span<const int> ProcessNode::merged() const
{
    const int first = m_forest->m_mergedStart[size_t(m_index)];
    return std::span<const int>(m_forest->m_merged)
        .subspan(size_t(first), size_t(m_forest->m_mergedStart[size_t(m_index) + 1] - first));
}

const QString &ProcessNode::field(QString ProcessRecord::*member) const
{
    const std::vector<ProcessRecord> &records = m_forest->m_records;
    const QString &own = records[size_t(m_forest->m_record[size_t(m_index)])].*member;
    if (!own.isEmpty())
        return own;
    for (const int r : merged()) {
        const QString &other = records[size_t(r)].*member;
        if (!other.isEmpty())
            return other;
    }
    return own;
}

const QString &ProcessNode::key() const
{
    return m_forest->m_records[size_t(m_forest->m_record[size_t(m_index)])].key;
}

const QString &ProcessNode::endpointKey() const
{
    return m_forest->m_records[size_t(m_forest->m_record[size_t(m_index)])].endpointKey;
}

QStringList ProcessNode::otherKeys() const
{
    QStringList out;
    const std::span<const int> others = merged();
    out.reserve(qsizetype(others.size()));
    for (const int r : others)
        out << m_forest->m_records[size_t(r)].key;
    return out;
}

const QString &ProcessNode::imageName() const
{
    return field(&ProcessRecord::imageName);
}
const QString &ProcessNode::imagePath() const
{
    return field(&ProcessRecord::imagePath);
}
const QString &ProcessNode::commandLine() const
{
    return field(&ProcessRecord::commandLine);
}
const QString &ProcessNode::user() const
{
    return field(&ProcessRecord::user);
}
const QString &ProcessNode::md5() const
{
    return field(&ProcessRecord::md5);
}
const QString &ProcessNode::sha256() const
{
    return field(&ProcessRecord::sha256);
}
const QString &ProcessNode::signatureStatus() const
{
    return field(&ProcessRecord::signatureStatus);
}
const QString &ProcessNode::signatureVendor() const
{
    return field(&ProcessRecord::signatureVendor);
}

std::span<const int> ProcessNode::attached(int kind) const
{
    const auto *r = m_forest->attachmentsOf(m_index);
    if (!r)
        return {};
    return std::span<const int>(m_forest->m_attached)
        .subspan(size_t(r->begin[kind]), size_t(r->begin[kind + 1] - r->begin[kind]));
}

std::span<const ForestAlertLink> ProcessNode::alerts() const
{
    const auto *r = m_forest->attachmentsOf(m_index);
    if (!r)
        return {};
    return std::span<const ForestAlertLink>(m_forest->m_alerts)
        .subspan(size_t(r->alertBegin), size_t(r->alertEnd - r->alertBegin));
}

QStringList ProcessNode::sources() const
{
    static const char *names[] = {"sysmon", "security", "xdr", "other", "parent-ref"};
    QStringList out;
    for (int i = 0; i < 5; ++i)
        if (sourceMask() & (1u << i))
            out << QString::fromLatin1(names[i]);
    return out;
}

const ProcessForest::AttachmentRanges *ProcessForest::attachmentsOf(int node) const
{
    const auto it = std::lower_bound(m_attachmentRanges.begin(), m_attachmentRanges.end(), node,
                                     [](const AttachmentRanges &r, int n) { return r.node < n; });
    return it != m_attachmentRanges.end() && it->node == node ? &*it : nullptr;
}

int ProcessForest::indexOf(const QString &processKey) const
{
    const int r = m_byKey.find(m_records, processKey);
    return r >= 0 ? m_nodeOfRecord[size_t(r)] : -1;
}

} // namespace causa
