#include "keyindex.h"

#include <algorithm>
#include <cstring>

namespace causa::detail {

quint64 KeyIndex::hashOf(QStringView s)
{
    // Eight bytes (four UTF-16 units) per step with a multiply-xorshift mix; keys differ mostly
    // in their last characters, so every word must reach every bit of the result.
    const char *p = reinterpret_cast<const char *>(s.data());
    size_t n = size_t(s.size()) * sizeof(QChar);
    quint64 h = 0x9E3779B97F4A7C15ull ^ n;
    while (n >= 8) {
        quint64 w;
        std::memcpy(&w, p, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
        p += 8;
        n -= 8;
    }
    if (n > 0) {
        quint64 w = 0;
        std::memcpy(&w, p, n);
        h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
        h ^= h >> 29;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

void KeyIndex::reserve(size_t n)
{
    m_entries.reserve(n);
    size_t slots = 16;
    while (slots < n * 2)
        slots <<= 1;
    if (slots > m_slots.size())
        rehash(slots);
}

void KeyIndex::rehash(size_t slots)
{
    m_slots.assign(slots, -1);
    m_mask = slots - 1;
    for (size_t i = 0; i < m_entries.size(); ++i) {
        size_t s = size_t(m_entries[i].hash) & m_mask;
        while (m_slots[s] >= 0)
            s = (s + 1) & m_mask;
        m_slots[s] = int(i);
    }
}

int KeyIndex::find(QStringView key, quint64 hash) const
{
    if (m_slots.empty())
        return -1;
    size_t s = size_t(hash) & m_mask;
    while (true) {
        const int e = m_slots[s];
        if (e < 0)
            return -1;
        const Entry &entry = m_entries[size_t(e)];
        if (entry.hash == hash && QStringView(entry.key) == key)
            return e;
        s = (s + 1) & m_mask;
    }
}

void KeyIndex::insert(const QString &key, int value)
{
    const quint64 h = hashOf(key);
    if (const int e = find(key, h); e >= 0) {
        m_entries[size_t(e)].value = value;
        return;
    }
    if ((m_entries.size() + 1) * 2 > m_slots.size())
        rehash(std::max<size_t>(16, m_slots.size() * 2));
    size_t s = size_t(h) & m_mask;
    while (m_slots[s] >= 0)
        s = (s + 1) & m_mask;
    m_slots[s] = int(m_entries.size());
    m_entries.push_back({key, h, value});
}

int KeyIndex::value(QStringView key, int fallback) const
{
    const int e = find(key, hashOf(key));
    return e >= 0 ? m_entries[size_t(e)].value : fallback;
}

} // namespace causa::detail
