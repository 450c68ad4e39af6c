#include "keywordmatcher.h"

#include "textscan.h"

#include <deque>

namespace causa {

int KeywordMatcher::add(const QString &raw)
{
    const auto it = m_ids.constFind(raw);
    if (it != m_ids.constEnd())
        return *it;
    Keyword k;
    QString text = raw;
    if (text.startsWith(QLatin1Char('|')) && text.size() > 1) {
        k.leftBoundary = true;
        text.remove(0, 1);
    }
    if (text.endsWith(QLatin1Char('|')) && text.size() > 1) {
        k.rightBoundary = true;
        text.chop(1);
    }
    k.text = text.toLower();
    const int id = int(m_keywords.size());
    m_keywords.push_back(std::move(k));
    m_ids.insert(raw, id);
    m_built = false;
    return id;
}

void KeywordMatcher::build()
{
    // Character classes: every ASCII character used by some keyword gets its own class;
    // everything else shares class 0 (which never continues a keyword).
    m_classOf.fill(0);
    m_classes = 1;
    for (const Keyword &k : m_keywords)
        for (QChar c : k.text)
            if (c.unicode() < 128 && m_classOf[c.unicode()] == 0)
                m_classOf[c.unicode()] = quint8(m_classes++);
    // Trie.
    std::vector<std::vector<qint32>> outputs(1);
    m_next.assign(size_t(m_classes), -1);
    for (int id = 0; id < int(m_keywords.size()); ++id) {
        qint32 node = 0;
        bool usable = !m_keywords[size_t(id)].text.isEmpty();
        for (QChar c : m_keywords[size_t(id)].text) {
            if (c.unicode() >= 128) {
                usable = false;
                break;
            }
            const size_t slot = size_t(node) * size_t(m_classes) + m_classOf[c.unicode()];
            if (m_next[slot] < 0) {
                m_next[slot] = qint32(outputs.size());
                outputs.emplace_back();
                m_next.resize(m_next.size() + size_t(m_classes), -1);
            }
            node = m_next[size_t(node) * size_t(m_classes) + m_classOf[c.unicode()]];
        }
        if (usable)
            outputs[size_t(node)].push_back(id);
    }
    // Failure links, turned into a full transition table (a DFA) breadth first.
    const size_t nodes = outputs.size();
    std::vector<qint32> fail(nodes, 0);
    std::deque<qint32> queue;
    for (int c = 0; c < m_classes; ++c) {
        qint32 &t = m_next[size_t(c)];
        if (t < 0) {
            t = 0;
        } else {
            fail[size_t(t)] = 0;
            queue.push_back(t);
        }
    }
    while (!queue.empty()) {
        const qint32 node = queue.front();
        queue.pop_front();
        const auto &inherited = outputs[size_t(fail[size_t(node)])];
        outputs[size_t(node)].insert(outputs[size_t(node)].end(), inherited.begin(), inherited.end());
        for (int c = 0; c < m_classes; ++c) {
            qint32 &t = m_next[size_t(node) * size_t(m_classes) + size_t(c)];
            const qint32 viaFail = m_next[size_t(fail[size_t(node)]) * size_t(m_classes) + size_t(c)];
            if (t < 0) {
                t = viaFail;
            } else {
                fail[size_t(t)] = viaFail;
                queue.push_back(t);
            }
        }
    }
    m_outBegin.assign(nodes + 1, 0);
    m_out.clear();
    for (size_t n = 0; n < nodes; ++n) {
        m_outBegin[n] = qint32(m_out.size());
        m_out.insert(m_out.end(), outputs[n].begin(), outputs[n].end());
    }
    m_outBegin[nodes] = qint32(m_out.size());
    m_built = true;
}

void KeywordMatcher::scan(QStringView folded, std::vector<qsizetype> *firstPos) const
{
    firstPos->assign(m_keywords.size(), -1);
    if (!m_built || m_keywords.empty())
        return;
    const qsizetype n = folded.size();
    const char16_t *data = reinterpret_cast<const char16_t *>(folded.utf16());
    qint32 node = 0;
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = data[i];
        const int cls = c < 128 ? m_classOf[c] : 0;
        node = m_next[size_t(node) * size_t(m_classes) + size_t(cls)];
        const qint32 b = m_outBegin[size_t(node)];
        const qint32 e = m_outBegin[size_t(node) + 1];
        for (qint32 o = b; o < e; ++o) {
            const int id = m_out[size_t(o)];
            qsizetype &slot = (*firstPos)[size_t(id)];
            if (slot >= 0)
                continue;
            const Keyword &k = m_keywords[size_t(id)];
            const qsizetype start = i + 1 - k.text.size();
            if (k.leftBoundary && start > 0 && detail::isWordChar(data[start - 1]))
                continue;
            if (k.rightBoundary && i + 1 < n && detail::isWordChar(data[i + 1]))
                continue;
            slot = start;
        }
    }
}

} // namespace causa
