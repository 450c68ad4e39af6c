#pragma once

#include <QHash>
#include <QString>
#include <QStringView>

#include <array>
#include <vector>

namespace causa {

// Finds many lowercase ASCII keywords in one linear pass (an Aho-Corasick automaton), so the
// hundreds of detector and catalogue keywords cost one scan per layer instead of one each.
// A keyword written "|word|" must sit on word boundaries at the marked sides.
class KeywordMatcher
{
public:
    // Returns the keyword's id (the same id for the same keyword).
    int add(const QString &keyword);
    void build();
    int size() const { return int(m_keywords.size()); }
    const QString &keyword(int id) const { return m_keywords[size_t(id)].text; }
    qsizetype length(int id) const { return m_keywords[size_t(id)].text.size(); }

    // firstPos[id] = start of the first acceptable occurrence in folded text, or -1.
    void scan(QStringView folded, std::vector<qsizetype> *firstPos) const;

private:
    struct Keyword
    {
        QString text;
        bool leftBoundary = false;
        bool rightBoundary = false;
    };
    std::vector<Keyword> m_keywords;
    QHash<QString, int> m_ids;
    std::array<quint8, 128> m_classOf{};
    int m_classes = 1;
    std::vector<qint32> m_next;          // node * m_classes + class
    std::vector<qint32> m_outBegin;      // per node, range into m_out
    std::vector<qint32> m_out;
    bool m_built = false;
};

} // namespace causa
