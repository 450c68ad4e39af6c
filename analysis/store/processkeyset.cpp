#include "processkeyset.h"

#include <QHashFunctions>

namespace causa {

namespace {

constexpr size_t kFirstSlots = 4096; // a power of two; small imports stay small

// Two seeds for two independent halves of the hash.
constexpr size_t kSeedA = 0x9e3779b97f4a7c15ULL;
constexpr size_t kSeedB = 0xc2b2ae3d27d4eb4fULL;

} // namespace

ProcessKeySet::Hash ProcessKeySet::hashOf(QStringView key)
{
    const size_t bytes = size_t(key.size()) * sizeof(QChar);
    return {quint64(qHashBits(key.data(), bytes, kSeedA)) | 1u,
            quint64(qHashBits(key.data(), bytes, kSeedB)) & ~quint64(1)};
}

size_t ProcessKeySet::slotOf(const Hash &h) const
{
    // Linear probing from the hash's high bits (the low bit of a is always set).
    const size_t mask = m_slots.size() - 1;
    size_t i = size_t(h.a >> 17) & mask;
    while (m_slots[i].a != 0 && (m_slots[i].a != h.a || (m_slots[i].b & ~quint64(1)) != h.b))
        i = (i + 1) & mask;
    return i;
}

ProcessKeySet::State ProcessKeySet::state(const Hash &h) const
{
    if (m_slots.empty())
        return State::Absent;
    const Slot &s = m_slots[slotOf(h)];
    if (s.a == 0)
        return State::Absent;
    return (s.b & 1) ? State::Real : State::Placeholder;
}

void ProcessKeySet::mark(const Hash &h, State state)
{
    if (state == State::Absent)
        return;
    if (m_size >= kMaxKeys) {
        // Bounded like the session's other caches: forgetting only costs a statement that
        // finds the key taken.
        m_slots.clear();
        m_size = 0;
    }
    if (m_slots.empty() || size_t(m_size + 1) * 2 > m_slots.size())
        grow();
    Slot &s = m_slots[slotOf(h)];
    if (s.a == 0) {
        s.a = h.a;
        s.b = h.b;
        ++m_size;
    }
    if (state == State::Real)
        s.b |= 1;
}

void ProcessKeySet::grow()
{
    std::vector<Slot> old;
    old.swap(m_slots);
    m_slots.assign(old.empty() ? kFirstSlots : old.size() * 2, Slot());
    for (const Slot &s : old) {
        if (s.a == 0)
            continue;
        m_slots[slotOf({s.a, s.b & ~quint64(1)})] = s;
    }
}

} // namespace causa
