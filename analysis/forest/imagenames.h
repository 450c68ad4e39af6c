#pragma once

#include <QString>
#include <QStringView>

#include <cstddef>
#include <vector>

namespace causa::detail {

// Interns image names by their lower-case form: records compare images as small ints instead
// of lower-casing a copy of every name. ASCII names (nearly all) are folded while hashing,
// without an allocation; others go through QString::toLower(), so the ids mean exactly
// "equal after toLower()". Id 0 is the empty name.
class ImageNames
{
public:
    ImageNames();
    int intern(QStringView name);
    // The id of an already lower-case name, or -1 when no record has that image.
    int find(QStringView lower) const;
    const QString &lower(int id) const { return m_names[size_t(id)]; }
    int size() const { return int(m_names.size()); }

private:
    int lookup(QStringView name, bool ascii, quint64 hash) const;
    void insertSlot(quint64 hash, int id);

    struct Slot
    {
        quint64 hash = 0;
        int id = -1;
    };
    std::vector<QString> m_names; // lower-case, by id
    std::vector<Slot> m_slots;
    size_t m_mask = 0;
};

} // namespace causa::detail
