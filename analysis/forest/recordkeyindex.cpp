#include "recordkeyindex.h"

#include "keyindex.h"

#include <algorithm>

namespace causa::detail {

void RecordKeyIndex::reserve(size_t n)
{
    size_t slots = 16;
    while (slots < n * 2)
        slots <<= 1;
    if (slots <= m_slots.size())
        return;
    std::vector<Slot> old = std::move(m_slots);
    m_slots.assign(slots, Slot());
    m_mask = slots - 1;
    for (const Slot &o : old) {
        if (o.record < 0)
            continue;
        size_t s = size_t(o.hash) & m_mask;
        while (m_slots[s].record >= 0)
            s = (s + 1) & m_mask;
        m_slots[s] = o;
    }
}

void RecordKeyIndex::grow()
{
    reserve(std::max<size_t>(16, m_slots.size()));
}

void RecordKeyIndex::insert(const std::vector<ProcessRecord> &records, int record)
{
    if ((m_size + 1) * 2 > m_slots.size())
        grow();
    const QString &key = records[size_t(record)].key;
    const quint64 h = KeyIndex::hashOf(key);
    size_t s = size_t(h) & m_mask;
    while (m_slots[s].record >= 0) {
        Slot &slot = m_slots[s];
        if (slot.hash == h && records[size_t(slot.record)].key == key) {
            slot.record = record;
            return;
        }
        s = (s + 1) & m_mask;
    }
    m_slots[s] = {h, record};
    ++m_size;
}

int RecordKeyIndex::find(const std::vector<ProcessRecord> &records, QStringView key, quint64 hash) const
{
    if (m_slots.empty())
        return -1;
    size_t s = size_t(hash) & m_mask;
    while (true) {
        const Slot &slot = m_slots[s];
        if (slot.record < 0)
            return -1;
        if (slot.hash == hash && QStringView(records[size_t(slot.record)].key) == key)
            return slot.record;
        s = (s + 1) & m_mask;
    }
}

int RecordKeyIndex::find(const std::vector<ProcessRecord> &records, QStringView key) const
{
    return find(records, key, KeyIndex::hashOf(key));
}

} // namespace causa::detail
