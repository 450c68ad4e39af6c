#pragma once

#include "core/records.h"

#include <QStringView>

#include <cstddef>
#include <vector>

namespace causa::detail {

// Stored process key → record index, for keys that live in the records themselves: a slot
// holds the key's 64-bit hash and the record, never a copy of the key. A hash match is
// confirmed by comparing with the record's key, so a collision cannot merge two processes.
// The records are passed to every call because the owner (the forest) may move them.
class RecordKeyIndex
{
public:
    void reserve(size_t n);
    // Adds records[record].key; a key already present now names this record (last one wins).
    void insert(const std::vector<ProcessRecord> &records, int record);
    int find(const std::vector<ProcessRecord> &records, QStringView key) const;
    int find(const std::vector<ProcessRecord> &records, QStringView key, quint64 hash) const;
    size_t size() const { return m_size; }

private:
    struct Slot
    {
        quint64 hash = 0;
        int record = -1; // -1: empty
    };
    void grow();

    std::vector<Slot> m_slots; // power-of-two size, linear probing
    size_t m_mask = 0;
    size_t m_size = 0;
};

} // namespace causa::detail
