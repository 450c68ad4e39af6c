#pragma once

#include "hugepages.h"

#include <QtGlobal>

#include <cstddef>
#include <span>
#include <vector>

namespace causa::detail {

// Record indices grouped by (endpoint, PID), as one flat array of buckets: PID reuse puts
// several records in a bucket, kept in start-time order (the order they were added among
// equal starts), so the instance running at a time is a binary search. Replaces an unordered_map of
// vectors (one allocation per PID, a node per bucket) that was a large share of the build.
class PidBuckets
{
public:
    // Two passes: count() every record, then finish(), then place() the same records in order.
    void reserve(size_t records);
    int count(int endpoint, qint64 pid);
    void finish();
    // The start time travels with the record: resolving a PID reads one bucket's contiguous
    // times instead of a cache miss per record in the bucket.
    // Records come roughly in time order: the insertion seldom moves more than a few members.
    void place(int bucket, int record, qint64 start)
    {
        size_t at = size_t(m_fill[size_t(bucket)]++);
        const size_t first = size_t(m_start[size_t(bucket)]);
        for (; at > first && m_starts[at - 1] > start; --at) {
            m_members[at] = m_members[at - 1];
            m_starts[at] = m_starts[at - 1];
        }
        m_members[at] = record;
        m_starts[at] = start;
    }

    std::span<const int> find(int endpoint, qint64 pid) const;
    int findBucket(int endpoint, qint64 pid) const;
    size_t bucketCount() const { return m_start.empty() ? 0 : m_start.size() - 1; }
    std::span<const int> bucket(size_t b) const
    {
        return std::span<const int>(m_members).subspan(size_t(m_start[b]),
                                                       size_t(m_start[b + 1] - m_start[b]));
    }
    std::span<const qint64> starts(size_t b) const
    {
        return std::span<const qint64>(m_starts).subspan(size_t(m_start[b]),
                                                         size_t(m_start[b + 1] - m_start[b]));
    }

private:
    int slotOf(int endpoint, qint64 pid) const;
    void grow();

    struct Slot
    {
        qint64 pid = 0;
        int endpoint = -1; // -1: empty
        int bucket = -1;
    };
    HugeVector<Slot> m_slots; // power-of-two size, linear probing
    std::vector<int> m_start; // per bucket: counts, then offsets (one more than buckets)
    std::vector<int> m_fill;
    HugeVector<int> m_members;
    HugeVector<qint64> m_starts; // parallel to m_members
    int m_buckets = 0;
};

} // namespace causa::detail
