#include "recordkeyindex.h"

#include "hugepages.h"

#include "keyindex.h"

#include <algorithm>

namespace causa::detail {

void RecordKeyIndex::reserve(const std::vector<ProcessRecord> &records, size_t n)
{
    // At most 3/4 full: probing stays short and the table small (fewer pages to fault in).
    size_t slots = 16;
    while (slots * 3 < n * 4)
        slots <<= 1;
    if (slots <= m_slots.size())
        return;
    HugeVector<Slot> old = std::move(m_slots);
    assignHuge(m_slots, slots, Slot());
    m_mask = slots - 1;
    for (const Slot &o : old) {
        if (o.record < 0)
            continue;
        // The slot index came from the hash's low half, which a slot does not keep: rehash the
        // key (only when the table grows past its reservation).
        size_t s = size_t(KeyIndex::hashOf(records[size_t(o.record)].key)) & m_mask;
        while (m_slots[s].record >= 0)
            s = (s + 1) & m_mask;
        m_slots[s] = o;
    }
}

void RecordKeyIndex::insert(const std::vector<ProcessRecord> &records, int record)
{
    insert(records, record, KeyIndex::hashOf(records[size_t(record)].key));
}

void RecordKeyIndex::insert(const std::vector<ProcessRecord> &records, int record, quint64 h)
{
    if ((m_size + 1) * 4 > m_slots.size() * 3)
        reserve(records, std::max<size_t>(16, m_size * 2));
    const QString &key = records[size_t(record)].key;
    const quint32 tag = tagOf(h);
    size_t s = size_t(h) & m_mask;
    while (m_slots[s].record >= 0) {
        Slot &slot = m_slots[s];
        if (slot.tag == tag && records[size_t(slot.record)].key == key) {
            slot.record = record;
            ++m_replaced;
            return;
        }
        s = (s + 1) & m_mask;
    }
    m_slots[s] = {tag, record};
    ++m_size;
}

int RecordKeyIndex::candidate(quint64 hash) const
{
    if (m_slots.empty())
        return -1;
    const quint32 tag = tagOf(hash);
    size_t s = size_t(hash) & m_mask;
    while (m_slots[s].record >= 0) {
        if (m_slots[s].tag == tag)
            return m_slots[s].record;
        s = (s + 1) & m_mask;
    }
    return -1;
}

int RecordKeyIndex::find(const std::vector<ProcessRecord> &records, QStringView key,
                         quint64 hash) const
{
    if (m_slots.empty())
        return -1;
    const quint32 tag = tagOf(hash);
    size_t s = size_t(hash) & m_mask;
    while (true) {
        const Slot &slot = m_slots[s];
        if (slot.record < 0)
            return -1;
        if (slot.tag == tag && QStringView(records[size_t(slot.record)].key) == key)
            return slot.record;
        s = (s + 1) & m_mask;
    }
}

int RecordKeyIndex::find(const std::vector<ProcessRecord> &records, QStringView key) const
{
    return find(records, key, KeyIndex::hashOf(key));
}

} // namespace causa::detail
