#pragma once

#include <QHash>
#include <QString>
#include <QStringView>

#include <array>
#include <utility>
#include <vector>

namespace causa {

// Finds many lowercase ASCII keywords in one linear pass (an Aho-Corasick automaton), so the
// hundreds of detector and catalogue keywords cost one scan per layer instead of one each.
// A keyword written "|word|" must sit on word boundaries at the marked sides. One written
// "prog:name" is a program name: on word boundaries, not inside a dotted name (System.Net,
// Net.WebClient), but "name.exe" and the other executable extensions still match. One written
// "switch:p" is a command-line switch, "-p" or "/p" as a token of its own: after the start, a
// space or a quote, and before the end, a space, a quote, ':' or '='; "switch:p*" also takes a
// value glued on ("-pSecret"), for tools that read switches that way. A single-letter switch
// written "|p" would match every word starting with p ("C:\path"); a switch never does.
// "ads:" is the colon of an alternate data stream ("file.txt:payload.exe"), never a drive
// letter's, a switch's value, a URL scheme's or a port's.
class KeywordMatcher
{
public:
    // Returns the keyword's id (the same id for the same keyword).
    int add(const QString &keyword);
    void build();
    int size() const { return int(m_keywords.size()); }
    // The text matched ("-p" for "switch:p").
    const QString &keyword(int id) const { return m_keywords[size_t(id)].text; }
    qsizetype length(int id) const { return m_keywords[size_t(id)].text.size(); }

    // firstPos[id] = start of the first acceptable occurrence in the text, or -1; matching is
    // ASCII case-insensitive and folds typographic dashes and quotes (as foldForMatching). found
    // (optional) lists the ids with an occurrence, in the order they were first seen.
    // skip: sorted, disjoint [start, end) ranges not scanned (no match starts or ends inside).
    // firstPos and found may be the vectors of a previous scan (only its hits are reset then);
    // a firstPos with slots set but not listed in found must be passed without found.
    void scan(QStringView text, std::vector<qsizetype> *firstPos, std::vector<int> *found = nullptr,
              const std::vector<std::pair<qsizetype, qsizetype>> *skip = nullptr) const;

private:
    // Per trie node, the keyword ids it completes.
    using Outputs = std::vector<std::vector<qint32>>;
    // build()'s steps, in order.
    void assignClasses();
    Outputs buildTrie();
    void renumberBreadthFirst(Outputs &outputs);
    void addFailureTransitions(Outputs &outputs);
    void flattenOutputs(const Outputs &outputs);
    void buildNarrowTable();
    int nonAsciiClass(char16_t c) const;
    void scanRange(const char16_t *data, qsizetype n, qsizetype from, qsizetype to,
                   std::vector<qsizetype> *firstPos, std::vector<int> *found) const;
    void walk(const char16_t *data, qsizetype n, qsizetype from, qsizetype to, qint32 node,
              std::vector<qsizetype> *firstPos, std::vector<int> *found) const;
    void take(qint32 node, const char16_t *data, qsizetype end, qsizetype n,
              std::vector<qsizetype> *firstPos, std::vector<int> *found) const;
    void hold(qint32 node, const char16_t *data, qsizetype end, qsizetype n,
              const std::vector<qsizetype> *firstPos,
              std::vector<std::pair<qint32, qsizetype>> &later) const;
    int classOf(char16_t c) const { return c < 128 ? m_classOf[c] : nonAsciiClass(c); }
    // The narrow table's entry for node on c: the next node, and kHasOutput.
    quint16 step16(quint32 node, char16_t c) const
    {
        return m_next16[node * quint32(m_classes) + quint32(classOf(c))];
    }
    // scanRange's second walk starts this many characters early; ranges shorter than twice
    // that and kMinSplitRange are walked once.
    static constexpr qsizetype kWarmUp = 16;
    static constexpr qsizetype kMinSplitRange = 32;
    struct Keyword
    {
        QString text;
        bool leftBoundary = false;
        bool rightBoundary = false;
        bool program = false;
        bool isSwitch = false; // text is "-" + the switch; "/" + the switch matches too
        bool gluedValue = false;
        bool streamColon = false; // text is ":"
    };
    bool acceptable(const Keyword &k, const char16_t *data, qsizetype start, qsizetype end,
                    qsizetype n) const;
    std::vector<Keyword> m_keywords;
    QHash<QString, int> m_ids;
    std::array<quint8, 128> m_classOf{};
    int m_classes = 1;
    std::vector<qint32> m_depth;    // per node, the characters it stands for
    std::vector<qint32> m_next;     // node * m_classes + class
    std::vector<quint16> m_next16;  // the same, when every node id fits in 16 bits
    std::vector<qint32> m_outBegin; // per node, range into m_out
    std::vector<qint32> m_out;
    bool m_built = false;
};

} // namespace causa
