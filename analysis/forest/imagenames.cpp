#include "imagenames.h"

namespace causa::detail {

namespace {

// FNV-1a over UTF-16 units, ASCII letters folded: equal to hashing the toLower() form for
// ASCII names. Image names are short; this is not the bottleneck.
quint64 foldedHash(QStringView s, bool *ascii)
{
    quint64 h = 0xcbf29ce484222325ull;
    bool onlyAscii = true;
    for (const QChar c : s) {
        char16_t u = c.unicode();
        if (u >= 0x80)
            onlyAscii = false;
        else if (u >= 'A' && u <= 'Z')
            u = char16_t(u + 32);
        h = (h ^ u) * 0x100000001b3ull;
    }
    *ascii = onlyAscii;
    return h ^ (h >> 29);
}

bool equalFoldedAscii(QStringView name, const QString &lower)
{
    if (name.size() != lower.size())
        return false;
    const QChar *a = name.data();
    const QChar *b = lower.constData();
    for (qsizetype i = 0; i < name.size(); ++i) {
        char16_t u = a[i].unicode();
        if (u >= 'A' && u <= 'Z')
            u = char16_t(u + 32);
        if (u != b[i].unicode())
            return false;
    }
    return true;
}

} // namespace

ImageNames::ImageNames()
{
    m_names.emplace_back();
    m_slots.assign(64, Slot());
    m_mask = 63;
}

int ImageNames::lookup(QStringView name, bool ascii, quint64 hash) const
{
    size_t s = size_t(hash) & m_mask;
    while (m_slots[s].id >= 0) {
        const Slot &slot = m_slots[s];
        if (slot.hash == hash) {
            const QString &known = m_names[size_t(slot.id)];
            if (ascii ? equalFoldedAscii(name, known) : name == known)
                return slot.id;
        }
        s = (s + 1) & m_mask;
    }
    return -1;
}

void ImageNames::insertSlot(quint64 hash, int id)
{
    size_t s = size_t(hash) & m_mask;
    while (m_slots[s].id >= 0)
        s = (s + 1) & m_mask;
    m_slots[s] = {hash, id};
}

int ImageNames::intern(QStringView name)
{
    if (name.isEmpty())
        return 0;
    bool ascii = true;
    quint64 h = foldedHash(name, &ascii);
    QString lowered;
    if (!ascii) {
        lowered = name.toString().toLower();
        h = foldedHash(lowered, &ascii);
        ascii = false; // compare the lowered text exactly
    }
    const QStringView key = lowered.isNull() ? name : QStringView(lowered);
    if (const int id = lookup(key, lowered.isNull(), h); id >= 0)
        return id;
    const int id = int(m_names.size());
    m_names.push_back(lowered.isNull() ? name.toString().toLower() : lowered);
    if (m_names.size() * 2 > m_slots.size()) {
        m_slots.assign(m_slots.size() * 2, Slot());
        m_mask = m_slots.size() - 1;
        for (size_t i = 1; i < m_names.size(); ++i) {
            bool a = true;
            insertSlot(foldedHash(m_names[i], &a), int(i));
        }
    } else {
        insertSlot(h, id);
    }
    return id;
}

int ImageNames::find(QStringView lower) const
{
    if (lower.isEmpty())
        return 0;
    bool ascii = true;
    const quint64 h = foldedHash(lower, &ascii);
    return lookup(lower, false, h);
}

} // namespace causa::detail
