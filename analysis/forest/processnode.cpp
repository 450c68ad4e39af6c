#include "processforest.h"

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

ProcessNode::ProcessNode(const ProcessForest *forest, int index)
    : m_forest(forest), m_data(&forest->m_nodes[size_t(index)]), m_index(index)
{
}

const QString &ProcessNode::field(QString ProcessRecord::*member) const
{
    const std::vector<ProcessRecord> &records = m_forest->m_records;
    const QString &own = records[size_t(m_data->record)].*member;
    if (!own.isEmpty())
        return own;
    for (int k = 0; k < m_data->mergedCount; ++k) {
        const QString &other = records[size_t(m_forest->m_merged[size_t(m_data->firstMerged + k)])].*member;
        if (!other.isEmpty())
            return other;
    }
    return own;
}

const QString &ProcessNode::key() const
{
    return m_forest->m_records[size_t(m_data->record)].key;
}

const QString &ProcessNode::endpointKey() const
{
    return m_forest->m_records[size_t(m_data->record)].endpointKey;
}

QStringList ProcessNode::otherKeys() const
{
    QStringList out;
    out.reserve(m_data->mergedCount);
    for (int k = 0; k < m_data->mergedCount; ++k)
        out << m_forest->m_records[size_t(m_forest->m_merged[size_t(m_data->firstMerged + k)])].key;
    return out;
}

const QString &ProcessNode::imageName() const { return field(&ProcessRecord::imageName); }
const QString &ProcessNode::imagePath() const { return field(&ProcessRecord::imagePath); }
const QString &ProcessNode::commandLine() const { return field(&ProcessRecord::commandLine); }
const QString &ProcessNode::user() const { return field(&ProcessRecord::user); }
const QString &ProcessNode::md5() const { return field(&ProcessRecord::md5); }
const QString &ProcessNode::sha256() const { return field(&ProcessRecord::sha256); }
const QString &ProcessNode::signatureStatus() const { return field(&ProcessRecord::signatureStatus); }
const QString &ProcessNode::signatureVendor() const { return field(&ProcessRecord::signatureVendor); }

std::span<const int> ProcessNode::attached(int kind) const
{
    if (m_data->attachments < 0)
        return {};
    const auto &r = m_forest->m_attachmentRanges[size_t(m_data->attachments)];
    return std::span<const int>(m_forest->m_attached).subspan(size_t(r.begin[kind]), size_t(r.begin[kind + 1] - r.begin[kind]));
}

std::span<const ForestAlertLink> ProcessNode::alerts() const
{
    if (m_data->attachments < 0)
        return {};
    const auto &r = m_forest->m_attachmentRanges[size_t(m_data->attachments)];
    return std::span<const ForestAlertLink>(m_forest->m_alerts).subspan(size_t(r.alertBegin), size_t(r.alertEnd - r.alertBegin));
}

QStringList ProcessNode::sources() const
{
    static const char *names[] = {"sysmon", "security", "xdr", "other", "parent-ref"};
    QStringList out;
    for (int i = 0; i < 5; ++i)
        if (m_data->sourceMask & (1u << i))
            out << QString::fromLatin1(names[i]);
    return out;
}

int ProcessForest::indexOf(const QString &processKey) const
{
    const int r = m_byKey.find(m_records, processKey);
    return r >= 0 ? m_nodeOfRecord[size_t(r)] : -1;
}

} // namespace causa
