#pragma once

#include <QString>
#include <QStringView>

#include <cstddef>
#include <vector>

namespace causa::detail {

// Open-addressing index from text keys to ints: one flat slot array and one entry vector, no
// allocation per key. A QHash<QString, int> of 1,000,000 process keys was a third of the
// forest's build time.
class KeyIndex
{
public:
    void reserve(size_t n);
    // Adds the key, or replaces its value when already present (last one wins, like QHash).
    void insert(const QString &key, int value);
    int value(QStringView key, int fallback = -1) const;
    size_t size() const { return m_entries.size(); }
    // Rewrites every stored value in place (record index → node index).
    template<typename F>
    void remapValues(F f)
    {
        for (Entry &e : m_entries)
            e.value = f(e.value);
    }

    static quint64 hashOf(QStringView s);

private:
    struct Entry
    {
        QString key;
        quint64 hash = 0;
        int value = -1;
    };
    int find(QStringView key, quint64 hash) const;
    void rehash(size_t slots);

    std::vector<Entry> m_entries;
    std::vector<int> m_slots; // index into m_entries, -1 when empty; size is a power of two
    size_t m_mask = 0;
};

} // namespace causa::detail
