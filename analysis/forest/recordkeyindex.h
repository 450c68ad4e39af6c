#pragma once

#include "core/platform.h"
#include "core/records.h"
#include "hugepages.h"

#include <QStringView>

#include <cstddef>
#include <vector>

namespace causa::detail {

// Stored process key → record index, for keys that live in the records themselves: a slot
// holds part of the key's hash and the record, never a copy of the key. A hash match is
// confirmed by comparing with the record's key, so a collision cannot merge two processes.
// The records are passed to every call because the owner (the forest) may move them.
class RecordKeyIndex
{
public:
    void reserve(const std::vector<ProcessRecord> &records, size_t n);
    // Adds records[record].key; a key already present now names this record (last one wins).
    void insert(const std::vector<ProcessRecord> &records, int record);
    void insert(const std::vector<ProcessRecord> &records, int record, quint64 hash);
    // Starts loading the slot a hash lands in: batch loops call it a few keys ahead, so the
    // random access into the table overlaps with work on the current key.
    void prefetch(quint64 hash) const
    {
        if (!m_slots.empty())
            platform::prefetch(&m_slots[size_t(hash) & m_mask]);
    }
    // The first record whose stored hash matches, not yet confirmed by comparing keys (-1: none).
    int candidate(quint64 hash) const;
    int find(const std::vector<ProcessRecord> &records, QStringView key) const;
    int find(const std::vector<ProcessRecord> &records, QStringView key, quint64 hash) const;
    size_t size() const { return m_size; }
    // How many inserts replaced a key already present (0 unless keys repeat).
    size_t replaced() const { return m_replaced; }

private:
    // Eight bytes: the hash's high half as a tag (its low bits pick the slot), the record.
    struct Slot
    {
        quint32 tag = 0;
        int record = -1; // -1: empty
    };
    static quint32 tagOf(quint64 hash) { return quint32(hash >> 32); }

    HugeVector<Slot> m_slots; // power-of-two size, linear probing
    size_t m_mask = 0;
    size_t m_size = 0;
    size_t m_replaced = 0;
};

} // namespace causa::detail
