#include "pidbuckets.h"

#include "hugepages.h"

namespace causa::detail {

namespace {

size_t mix(int endpoint, qint64 pid)
{
    quint64 h =
        quint64(pid) * 0x9E3779B97F4A7C15ull ^ quint64(quint32(endpoint)) * 0xC2B2AE3D27D4EB4Full;
    h ^= h >> 29;
    return size_t(h);
}

} // namespace

void PidBuckets::reserve(size_t records)
{
    // PIDs repeat (reuse, several sources per process): buckets are far fewer than records.
    // Start small and grow: a table sized for every record was megabytes of fresh memory to
    // fault in, and random probes into it missed the cache.
    size_t slots = 64;
    while (slots < records / 16)
        slots <<= 1;
    m_slots.assign(slots, Slot());
    m_start.reserve(records / 16 + 1);
}

int PidBuckets::slotOf(int endpoint, qint64 pid) const
{
    const size_t mask = m_slots.size() - 1;
    size_t s = mix(endpoint, pid) & mask;
    while (m_slots[s].endpoint >= 0 && (m_slots[s].endpoint != endpoint || m_slots[s].pid != pid))
        s = (s + 1) & mask;
    return int(s);
}

void PidBuckets::grow()
{
    HugeVector<Slot> old = std::move(m_slots);
    m_slots.assign(old.size() * 2, Slot());
    for (const Slot &o : old)
        if (o.endpoint >= 0)
            m_slots[size_t(slotOf(o.endpoint, o.pid))] = o;
}

int PidBuckets::count(int endpoint, qint64 pid)
{
    if (m_slots.empty())
        reserve(64);
    Slot &s = m_slots[size_t(slotOf(endpoint, pid))];
    if (s.endpoint < 0) {
        s.endpoint = endpoint;
        s.pid = pid;
        s.bucket = m_buckets++;
        m_start.push_back(0);
        const int bucket = s.bucket;
        if (size_t(m_buckets) * 2 > m_slots.size())
            grow();
        ++m_start[size_t(bucket)];
        return bucket;
    }
    ++m_start[size_t(s.bucket)];
    return s.bucket;
}

void PidBuckets::finish()
{
    int offset = 0;
    for (int &c : m_start) {
        const int n = c;
        c = offset;
        offset += n;
    }
    m_start.push_back(offset);
    m_fill.assign(m_start.begin(), m_start.end() - 1);
    assignHuge(m_members, size_t(offset), -1);
    assignHuge(m_starts, size_t(offset), qint64(0));
}

int PidBuckets::findBucket(int endpoint, qint64 pid) const
{
    if (m_slots.empty())
        return -1;
    const Slot &s = m_slots[size_t(slotOf(endpoint, pid))];
    return s.endpoint < 0 ? -1 : s.bucket;
}

std::span<const int> PidBuckets::find(int endpoint, qint64 pid) const
{
    const int b = findBucket(endpoint, pid);
    return b < 0 ? std::span<const int>() : bucket(size_t(b));
}

} // namespace causa::detail
