#include "keywordmatcher.h"

#include "textscan.h"

#include <algorithm>
#include <deque>

namespace causa {

namespace {

constexpr quint16 kNodeMask = 0x7FFF;
constexpr quint16 kHasOutput = 0x8000;

// "exe" (and the other extensions Windows runs) at pos, followed by a non-word character.
bool executableExtensionAt(const char16_t *data, qsizetype pos, qsizetype n)
{
    for (const char *ext :
         {"exe", "com", "dll", "cpl",  "bat", "cmd", "vbs", "vbe", "js",  "jse",
          "wsf", "wsh", "ps1", "psm1", "msc", "msi", "hta", "scr", "ocx", "sys"}) {
        qsizetype k = 0;
        while (ext[k] && pos + k < n && detail::asciiLower(data[pos + k]) == char16_t(ext[k]))
            ++k;
        if (!ext[k] && (pos + k >= n || !detail::isWordChar(data[pos + k])))
            return true;
    }
    return false;
}

// Program names sit between separators; a dot before or after (other than ".exe") makes it
// part of a .NET or DNS name.
bool programBoundaries(const char16_t *data, qsizetype start, qsizetype end, qsizetype n)
{
    if (start > 0 && (detail::isWordChar(data[start - 1]) || data[start - 1] == '.'))
        return false;
    if (end < n) {
        const char16_t c = data[end];
        if (detail::isWordChar(c))
            return false;
        if (c == '.' && !executableExtensionAt(data, end + 1, n))
            return false;
        // "/node:10.1.2.3", "/user:x": a switch, not the program of that name.
        if (c == ':')
            return false;
    }
    return true;
}

// A switch is a token of its own: the dash or slash starts the argument (or a quoted one), and
// the name ends it unless a value follows (":", "=", or glued on where the tool allows it).
bool switchBoundaries(const char16_t *data, qsizetype start, qsizetype end, qsizetype n, bool glued)
{
    if (start > 0) {
        const char16_t before = data[start - 1];
        if (!detail::isSpace(before) && !detail::isDoubleQuote(before) &&
            !detail::isSingleQuote(before))
            return false;
    }
    if (end >= n || glued)
        return true;
    const char16_t after = data[end];
    return detail::isSpace(after) || after == ':' || after == '=' || detail::isDoubleQuote(after) ||
           detail::isSingleQuote(after);
}

// Characters that end a path part or an argument, seen walking back from a colon.
bool endsPathPart(char16_t c)
{
    return detail::isSpace(c) || detail::isDoubleQuote(c) || detail::isSingleQuote(c) ||
           c == '\\' || c == '/' || c == ':' || c == '=' || c == ',' || c == ';' || c == '<' ||
           c == '>' || c == '|' || c == '(' || c == ')';
}

// Names before a colon that make it a URL or script scheme, not a file's stream.
bool isSchemeName(const char16_t *data, qsizetype from, qsizetype to)
{
    static const char *const schemes[] = {
        "http",   "https",  "ftp",  "file",        "vbscript", "javascript", "jscript",
        "script", "mk",     "its",  "ms-its",      "res",      "about",      "data",
        "shell",  "mailto", "ldap", "ms-settings", "search-ms"};
    for (const char *scheme : schemes) {
        qsizetype k = 0;
        while (scheme[k] && from + k < to &&
               detail::asciiLower(data[from + k]) == char16_t(scheme[k]))
            ++k;
        if (!scheme[k] && from + k == to)
            return true;
    }
    return false;
}

// The colon at pos names an alternate data stream ("file.txt:payload.exe", "archive:stream"):
// a stream name follows, and before it is a file name of two characters or more that is not a
// drive letter ("C:\\"), a switch ("/user:x", "-p:x"), a URL scheme, a number ("8080:host") or
// a port ("host:8080").
bool streamColonAt(const char16_t *data, qsizetype pos, qsizetype n)
{
    if (pos + 1 >= n)
        return false;
    const char16_t next = data[pos + 1];
    if (!(detail::isAsciiAlpha(next) || next == '_' || next == '$'))
        return false;
    qsizetype from = pos;
    bool letter = false;
    while (from > 0 && !endsPathPart(data[from - 1])) {
        --from;
        letter = letter || detail::isAsciiAlpha(data[from]);
    }
    if (pos - from < 2 || !letter || isSchemeName(data, from, pos))
        return false;
    auto argumentStart = [&](qsizetype at) {
        return at == 0 || detail::isSpace(data[at - 1]) || detail::isDoubleQuote(data[at - 1]) ||
               detail::isSingleQuote(data[at - 1]);
    };
    if (data[from] == '-' && argumentStart(from))
        return false;
    if (from > 0 && data[from - 1] == '/' && argumentStart(from - 1))
        return false;
    return true;
}

} // namespace

int KeywordMatcher::add(const QString &raw)
{
    const auto it = m_ids.constFind(raw);
    if (it != m_ids.constEnd())
        return *it;
    Keyword k;
    QString text = raw;
    if (text.startsWith(QLatin1String("prog:")) && text.size() > 5) {
        k.program = true;
        text.remove(0, 5);
    } else if (text.startsWith(QLatin1String("switch:")) && text.size() > 7 &&
               text != QLatin1String("switch:*")) {
        k.isSwitch = true;
        text.remove(0, 7);
        if (text.endsWith(QLatin1Char('*'))) {
            k.gluedValue = true;
            text.chop(1);
        }
        text.prepend(QLatin1Char('-'));
    } else if (text == QLatin1String("ads:")) {
        k.streamColon = true;
        text = QStringLiteral(":");
    } else if (text.startsWith(QLatin1Char('|')) && text.size() > 1) {
        k.leftBoundary = true;
        text.remove(0, 1);
    }
    if (!k.isSwitch && text.endsWith(QLatin1Char('|')) && text.size() > 1) {
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
    assignClasses();
    Outputs outputs = buildTrie();
    renumberBreadthFirst(outputs);
    addFailureTransitions(outputs);
    flattenOutputs(outputs);
    buildNarrowTable();
    m_built = true;
}

void KeywordMatcher::assignClasses()
{
    // Character classes: every ASCII character used by some keyword gets its own class;
    // everything else shares class 0 (which never continues a keyword).
    m_classOf.fill(0);
    m_classes = 1;
    for (const Keyword &k : m_keywords)
        for (QChar c : k.text)
            if (c.unicode() < 128 && m_classOf[c.unicode()] == 0)
                m_classOf[c.unicode()] = quint8(m_classes++);
    if (m_classOf['/'] == 0)
        m_classOf['/'] = quint8(m_classes++);
    // Scans are case-insensitive without a lowered copy: capitals share their letter's class.
    for (char16_t c = 'A'; c <= 'Z'; ++c)
        m_classOf[c] = m_classOf[c | 0x20];
}

KeywordMatcher::Outputs KeywordMatcher::buildTrie()
{
    Outputs outputs(1);
    m_next.assign(size_t(m_classes), -1);
    m_depth.assign(1, 0);
    auto insert = [&](const QString &text, int id) {
        qint32 node = 0;
        for (QChar c : text) {
            if (c.unicode() >= 128)
                return;
            const size_t slot = size_t(node) * size_t(m_classes) + m_classOf[c.unicode()];
            if (m_next[slot] < 0) {
                m_next[slot] = qint32(outputs.size());
                outputs.emplace_back();
                m_depth.push_back(m_depth[size_t(node)] + 1);
                m_next.resize(m_next.size() + size_t(m_classes), -1);
            }
            node = m_next[size_t(node) * size_t(m_classes) + m_classOf[c.unicode()]];
        }
        if (!text.isEmpty())
            outputs[size_t(node)].push_back(id);
    };
    for (int id = 0; id < int(m_keywords.size()); ++id) {
        const Keyword &k = m_keywords[size_t(id)];
        insert(k.text, id);
        // "/p" is the same switch as "-p": a second path to the same keyword.
        if (k.isSwitch)
            insert(QLatin1Char('/') + k.text.mid(1), id);
    }
    return outputs;
}

void KeywordMatcher::renumberBreadthFirst(Outputs &outputs)
{
    // The shallow nodes a scan visits most then share cache lines instead of being spread over
    // the whole table.
    const size_t count = outputs.size();
    const size_t classes = size_t(m_classes);
    std::vector<qint32> newId(count, -1);
    std::vector<qint32> order;
    order.reserve(count);
    newId[0] = 0;
    order.push_back(0);
    for (size_t head = 0; head < order.size(); ++head) {
        const size_t old = size_t(order[head]);
        for (size_t c = 0; c < classes; ++c) {
            const qint32 t = m_next[old * classes + c];
            if (t >= 0 && newId[size_t(t)] < 0) {
                newId[size_t(t)] = qint32(order.size());
                order.push_back(t);
            }
        }
    }
    std::vector<qint32> next(m_next.size(), -1);
    std::vector<qint32> depth(count, 0);
    Outputs outs(count);
    for (size_t o = 0; o < count; ++o) {
        const size_t n = size_t(newId[o]);
        for (size_t c = 0; c < classes; ++c) {
            const qint32 t = m_next[o * classes + c];
            next[n * classes + c] = t < 0 ? -1 : newId[size_t(t)];
        }
        outs[n] = std::move(outputs[o]);
        depth[n] = m_depth[o];
    }
    m_depth = std::move(depth);
    m_next = std::move(next);
    outputs = std::move(outs);
}

void KeywordMatcher::addFailureTransitions(Outputs &outputs)
{
    // Failure links, turned into a full transition table (a DFA) breadth first; each node also
    // takes the outputs of its failure node.
    std::vector<qint32> fail(outputs.size(), 0);
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
        outputs[size_t(node)].insert(outputs[size_t(node)].end(), inherited.begin(),
                                     inherited.end());
        for (int c = 0; c < m_classes; ++c) {
            qint32 &t = m_next[size_t(node) * size_t(m_classes) + size_t(c)];
            const qint32 viaFail =
                m_next[size_t(fail[size_t(node)]) * size_t(m_classes) + size_t(c)];
            if (t < 0) {
                t = viaFail;
            } else {
                fail[size_t(t)] = viaFail;
                queue.push_back(t);
            }
        }
    }
}

void KeywordMatcher::flattenOutputs(const Outputs &outputs)
{
    const size_t nodes = outputs.size();
    m_outBegin.assign(nodes + 1, 0);
    m_out.clear();
    for (size_t n = 0; n < nodes; ++n) {
        m_outBegin[n] = qint32(m_out.size());
        m_out.insert(m_out.end(), outputs[n].begin(), outputs[n].end());
    }
    m_outBegin[nodes] = qint32(m_out.size());
}

void KeywordMatcher::buildNarrowTable()
{
    // Half the table, twice the nodes per cache line, when the ids fit in 15 bits; the 16th
    // says whether the target node has outputs, so most characters cost one load.
    const size_t nodes = m_outBegin.size() - 1;
    m_next16.clear();
    if (nodes <= kNodeMask) {
        m_next16.resize(m_next.size());
        for (size_t i = 0; i < m_next.size(); ++i) {
            const qint32 t = m_next[i];
            const bool outputs = m_outBegin[size_t(t) + 1] > m_outBegin[size_t(t)];
            m_next16[i] = quint16(t) | (outputs ? kHasOutput : 0);
        }
    }
}

int KeywordMatcher::nonAsciiClass(char16_t c) const
{
    // The same folding as foldForMatching(): typographic dashes and quotes count as ASCII.
    if (detail::isDash(c))
        return m_classOf['-'];
    if (detail::isSingleQuote(c))
        return m_classOf['\''];
    if (detail::isDoubleQuote(c))
        return m_classOf['"'];
    const char16_t lower = QChar(c).toLower().unicode();
    return lower < 128 ? m_classOf[lower] : 0;
}

bool KeywordMatcher::acceptable(const Keyword &k, const char16_t *data, qsizetype start,
                                qsizetype end, qsizetype n) const
{
    if (k.leftBoundary && start > 0 && detail::isWordChar(data[start - 1]))
        return false;
    if (k.rightBoundary && end < n && detail::isWordChar(data[end]))
        return false;
    if (k.program && !programBoundaries(data, start, end, n))
        return false;
    if (k.isSwitch && !switchBoundaries(data, start, end, n, k.gluedValue))
        return false;
    if (k.streamColon && !streamColonAt(data, start, n))
        return false;
    return true;
}

void KeywordMatcher::scan(QStringView text, std::vector<qsizetype> *firstPos,
                          std::vector<int> *found,
                          const std::vector<std::pair<qsizetype, qsizetype>> *skip) const
{
    // Vectors kept from the previous scan only need that scan's hits cleared: resetting one slot
    // per catalogue keyword for every layer cost more than the scan itself.
    if (found && firstPos->size() == m_keywords.size()) {
        for (int id : *found)
            (*firstPos)[size_t(id)] = -1;
    } else {
        firstPos->assign(m_keywords.size(), -1);
    }
    if (found)
        found->clear();
    if (!m_built || m_keywords.empty())
        return;
    const qsizetype n = text.size();
    const char16_t *data = reinterpret_cast<const char16_t *>(text.utf16());
    qsizetype from = 0;
    if (skip) {
        for (const auto &[s, e] : *skip) {
            scanRange(data, n, from, qMin(s, n), firstPos, found);
            from = qMax(from, e);
        }
    }
    scanRange(data, n, from, n, firstPos, found);
}

void KeywordMatcher::scanRange(const char16_t *data, qsizetype n, qsizetype from, qsizetype to,
                               std::vector<qsizetype> *firstPos, std::vector<int> *found) const
{
    // Each step waits on a load from a table larger than L2, so two independent walks over the
    // range's halves take little longer than one. The second starts from the root kWarmUp
    // characters before its half. A state remembers as many characters as its depth, so when the
    // first walk ends in a state no deeper than kWarmUp, the second walk was in the same state by
    // then and its hits stand; otherwise (a long keyword's prefix across the split) the second
    // half is walked again from the first walk's state. The second walk's hits are taken after
    // the first's, which keeps "first" meaning first in the text.
    if (m_next16.empty() || to - from < 2 * kWarmUp + kMinSplitRange) {
        walk(data, n, from, to, 0, firstPos, found);
        return;
    }
    const qsizetype mid = (from + to + kWarmUp) / 2;
    thread_local std::vector<std::pair<qint32, qsizetype>> later;
    later.clear();
    quint32 a = 0, b = 0;
    qsizetype j = mid - kWarmUp;
    for (qsizetype i = from; i < mid; ++i, ++j) {
        const quint16 va = step16(a, data[i]);
        const quint16 vb = step16(b, data[j]);
        a = va & kNodeMask;
        b = vb & kNodeMask;
        if (va & kHasOutput) [[unlikely]]
            take(qint32(a), data, i, n, firstPos, found);
        if ((vb & kHasOutput) && j >= mid) [[unlikely]]
            hold(qint32(b), data, j, n, firstPos, later);
    }
    if (m_depth[a] > kWarmUp) {
        walk(data, n, mid, to, qint32(a), firstPos, found);
        return;
    }
    for (; j < to; ++j) {
        const quint16 vb = step16(b, data[j]);
        b = vb & kNodeMask;
        if (vb & kHasOutput)
            hold(qint32(b), data, j, n, firstPos, later);
    }
    for (const auto &[id, start] : later) {
        qsizetype &slot = (*firstPos)[size_t(id)];
        if (slot >= 0)
            continue;
        slot = start;
        if (found)
            found->push_back(id);
    }
}

void KeywordMatcher::walk(const char16_t *data, qsizetype n, qsizetype from, qsizetype to,
                          qint32 node, std::vector<qsizetype> *firstPos,
                          std::vector<int> *found) const
{
    const bool narrow = !m_next16.empty();
    for (qsizetype i = from; i < to; ++i) {
        const size_t slot = size_t(node) * size_t(m_classes) + size_t(classOf(data[i]));
        if (narrow) {
            const quint16 v = m_next16[slot];
            node = qint32(v & kNodeMask);
            if (!(v & kHasOutput))
                continue;
        } else {
            node = m_next[slot];
        }
        take(node, data, i, n, firstPos, found);
    }
}

// The keywords node completes at end (inclusive), first acceptable occurrences only.
void KeywordMatcher::take(qint32 node, const char16_t *data, qsizetype end, qsizetype n,
                          std::vector<qsizetype> *firstPos, std::vector<int> *found) const
{
    const qint32 b = m_outBegin[size_t(node)];
    const qint32 e = m_outBegin[size_t(node) + 1];
    for (qint32 o = b; o < e; ++o) {
        const int id = m_out[size_t(o)];
        qsizetype &slot = (*firstPos)[size_t(id)];
        if (slot >= 0)
            continue;
        const Keyword &k = m_keywords[size_t(id)];
        const qsizetype start = end + 1 - k.text.size();
        if (!acceptable(k, data, start, end + 1, n))
            continue;
        slot = start;
        if (found)
            found->push_back(id);
    }
}

// The same for the second walk, whose hits wait until the first walk is done.
void KeywordMatcher::hold(qint32 node, const char16_t *data, qsizetype end, qsizetype n,
                          const std::vector<qsizetype> *firstPos,
                          std::vector<std::pair<qint32, qsizetype>> &later) const
{
    const qint32 b = m_outBegin[size_t(node)];
    const qint32 e = m_outBegin[size_t(node) + 1];
    for (qint32 o = b; o < e; ++o) {
        const int id = m_out[size_t(o)];
        if ((*firstPos)[size_t(id)] >= 0) // the first walk's, which comes first in the text
            continue;
        const Keyword &k = m_keywords[size_t(id)];
        const qsizetype start = end + 1 - k.text.size();
        if (acceptable(k, data, start, end + 1, n))
            later.emplace_back(id, start);
    }
}

} // namespace causa
