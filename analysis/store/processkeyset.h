#pragma once

#include <QStringView>

#include <vector>

namespace causa {

// The process keys one import has written, and whether as a real record or as a placeholder
// (a parent named before its own creation). A key is held as a 126-bit hash in one flat
// table: a lookup is one hash of the key and one memory access, where a QHash<QString, bool>
// took three (its span, its entry, the key's text) and was 5% of a large Sysmon import.
// Two different keys would have to agree on 126 bits to be confused; with at most
// kMaxKeys keys that has a probability below 1e-26.
class ProcessKeySet final
{
public:
    enum class State
    {
        Absent,
        Placeholder,
        Real
    };

    struct Hash
    {
        quint64 a = 0;
        quint64 b = 0;
    };

    static constexpr qsizetype kMaxKeys = 500000;

    static Hash hashOf(QStringView key);
    State state(const Hash &h) const;
    // Records a write; a key written as a real record stays real.
    void mark(const Hash &h, State s);
    qsizetype size() const { return m_size; }

private:
    struct Slot
    {
        quint64 a = 0; // low bit always set in a used slot
        quint64 b = 0; // low bit: written as a real record
    };
    size_t slotOf(const Hash &h) const;
    void grow();

    std::vector<Slot> m_slots;
    qsizetype m_size = 0;
};

} // namespace causa
