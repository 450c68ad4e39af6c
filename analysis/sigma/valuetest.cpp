#include "valuetest.h"

#include "core/platform.h"

#include <QHostAddress>

#include <re2/re2.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace causa::sigma::detail {

namespace {

bool segmentAt(const GlobSegment &s, std::string_view v, size_t pos)
{
    if (pos + s.text.size() > v.size())
        return false;
    if (s.anyAt.empty())
        return std::memcmp(v.data() + pos, s.text.data(), s.text.size()) == 0;
    for (size_t i = 0; i < s.text.size(); ++i)
        if (s.anyAt[i] != '1' && v[pos + i] != s.text[i])
            return false;
    return true;
}

// Leftmost occurrence of the segment in v[from, to); npos when none.
size_t findSegment(const GlobSegment &s, std::string_view v, size_t from, size_t to)
{
    if (s.text.empty())
        return from;
    if (to < from + s.text.size())
        return std::string_view::npos;
    if (s.anyAt.empty()) {
        const size_t p = v.substr(0, to).find(s.text, from);
        return p;
    }
    for (size_t p = from; p + s.text.size() <= to; ++p)
        if (segmentAt(s, v, p))
            return p;
    return std::string_view::npos;
}

bool parseNumber(std::string_view text, double &out)
{
    const std::string s(text);
    if (s.empty())
        return false;
    char *end = nullptr;
    const bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    out = hex ? double(std::strtoull(s.c_str() + 2, &end, 16)) : std::strtod(s.c_str(), &end);
    return end && *end == '\0';
}

// Walks an RE2 pattern's top level collecting runs of literal bytes that every match holds in
// sequence. Anything it does not fully understand ends the current run, so a run it keeps is
// always a substring of every match; a top-level '|' makes no run required at all.
class RegexRuns
{
public:
    RegexRuns(std::string_view p, bool icase) : m_p(p), m_icase(icase) {}

    std::string longest()
    {
        while (m_i < m_p.size()) {
            if (!step())
                return {};
        }
        flush();
        return m_best;
    }

private:
    void flush()
    {
        if (m_run.size() > m_best.size())
            m_best = m_run;
        m_run.clear();
    }
    // A quantifier that may repeat the last atom zero times: that atom is not required.
    void dropLast()
    {
        if (!m_run.empty())
            m_run.pop_back();
        flush();
    }
    void literal(char c)
    {
        const auto u = static_cast<unsigned char>(c);
        const char l = (c >= 'A' && c <= 'Z') ? char(c + 32) : c;
        // Non-ASCII bytes and (ignoring case) k and s, which fold to the Kelvin sign and the
        // long s, may be written differently in a match than in the pattern.
        if (u >= 0x80 || (m_icase && (l == 'k' || l == 's'))) {
            flush();
            return;
        }
        m_run += l;
    }
    void skipClass()
    {
        ++m_i; // '['
        if (m_i < m_p.size() && m_p[m_i] == '^')
            ++m_i;
        if (m_i < m_p.size() && m_p[m_i] == ']')
            ++m_i;
        while (m_i < m_p.size() && m_p[m_i] != ']') {
            if (m_p[m_i] == '\\')
                ++m_i;
            else if (m_p[m_i] == '[' && m_i + 1 < m_p.size() && m_p[m_i + 1] == ':') {
                const size_t end = m_p.find(":]", m_i + 2);
                m_i = end == std::string_view::npos ? m_p.size() : end + 1;
            }
            ++m_i;
        }
        ++m_i; // ']'
    }
    void skipGroup()
    {
        int depth = 0;
        while (m_i < m_p.size()) {
            const char c = m_p[m_i];
            if (c == '\\') {
                m_i += 2;
                continue;
            }
            if (c == '[') {
                skipClass();
                continue;
            }
            ++m_i;
            if (c == '(')
                ++depth;
            else if (c == ')' && --depth == 0)
                return;
        }
    }
    void skipTo(char close)
    {
        const size_t end = m_p.find(close, m_i);
        m_i = end == std::string_view::npos ? m_p.size() : end + 1;
    }
    void escape();
    bool step();

    std::string_view m_p;
    bool m_icase;
    size_t m_i = 0;
    std::string m_run, m_best;
};

void RegexRuns::escape()
{
    ++m_i; // '\\'
    if (m_i >= m_p.size())
        return;
    const char d = m_p[m_i++];
    const bool word = (d >= '0' && d <= '9') || (d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z');
    if (!word) {
        literal(d); // an escaped punctuation byte stands for itself
        return;
    }
    flush(); // a class, an anchor or a coded byte: not followed further
    if (d == 'Q') {
        const size_t end = m_p.find("\\E", m_i);
        m_i = end == std::string_view::npos ? m_p.size() : end + 2;
    } else if ((d == 'x' || d == 'p' || d == 'P') && m_i < m_p.size() && m_p[m_i] == '{') {
        skipTo('}');
    } else if (d == 'x') {
        m_i = std::min(m_p.size(), m_i + 2);
    } else if (d == 'p' || d == 'P') {
        m_i = std::min(m_p.size(), m_i + 1);
    }
}

bool RegexRuns::step()
{
    const char c = m_p[m_i];
    switch (c) {
    case '|': return false;
    case '(':
        flush();
        skipGroup();
        return true;
    case '[':
        flush();
        skipClass();
        return true;
    case '\\': escape(); return true;
    case '.':
    case '^':
    case '$': flush(); break;
    case '*':
    case '?': dropLast(); break;
    case '+':
        flush(); // the atom before it is there at least once
        break;
    case '{':
        dropLast(); // a repeat, possibly {0,n}; the counts are not read as literals
        skipTo('}');
        return true;
    default: literal(c); break;
    }
    ++m_i;
    return true;
}
} // namespace

void asciiLower(const char *in, size_t n, char *out)
{
    // Sixteen bytes a step (platform::asciiLower16), then eight: within each byte of the word, the top bit of b + 0x3F says b >= 'A'
    // and that of b + 0x25 says b > 'Z' (neither carries into the next byte for b < 0x80);
    // a byte between them, and ASCII, gets bit 0x20. GCC at -O2 does not vectorise the
    // byte loop (the output may alias the input), and a value's bytes are lowered per event.
    constexpr uint64_t highs = 0x8080808080808080ull;
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
        platform::asciiLower16(in + i, out + i);
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        std::memcpy(&v, in + i, 8);
        const uint64_t low7 = v & ~highs;
        const uint64_t upper =
            ~v & highs & ((low7 + 0x3F3F3F3F3F3F3F3Full) ^ (low7 + 0x2525252525252525ull));
        v |= upper >> 2;
        std::memcpy(out + i, &v, 8);
    }
    for (; i < n; ++i) {
        const char c = in[i];
        out[i] = (c >= 'A' && c <= 'Z') ? char(c + 32) : c;
    }
}

void asciiLower(std::string_view in, std::string &out)
{
    out.resize(in.size());
    asciiLower(in.data(), in.size(), out.data());
}

std::string asciiLower(std::string_view in)
{
    std::string out;
    asciiLower(in, out);
    return out;
}

bool globMatch(const std::vector<GlobSegment> &segs, std::string_view v)
{
    const size_t n = segs.size();
    if (n == 1)
        return v.size() == segs[0].text.size() && segmentAt(segs[0], v, 0);
    if (!segmentAt(segs[0], v, 0))
        return false;
    size_t start = segs[0].text.size();
    const GlobSegment &last = segs[n - 1];
    if (v.size() < start + last.text.size())
        return false;
    const size_t end = v.size() - last.text.size();
    if (!segmentAt(last, v, end))
        return false;
    // Middle segments leftmost first: a glob of literal runs between stars needs no backtracking.
    for (size_t i = 1; i + 1 < n; ++i) {
        const size_t p = findSegment(segs[i], v, start, end);
        if (p == std::string_view::npos)
            return false;
        start = p + segs[i].text.size();
    }
    return true;
}

bool parseIp(std::string_view text, std::string &out)
{
    QHostAddress a;
    if (!a.setAddress(QString::fromLatin1(text.data(), qsizetype(text.size()))))
        return false;
    if (a.protocol() == QAbstractSocket::IPv4Protocol) {
        const quint32 v = a.toIPv4Address();
        out = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
        return true;
    }
    const Q_IPV6ADDR v6 = a.toIPv6Address();
    out.assign(reinterpret_cast<const char *>(v6.c), 16);
    return true;
}

bool ValueTest::matchText(std::string_view raw, std::string_view lower) const
{
    switch (kind) {
    case Kind::Glob: return globMatch(segments, cased ? raw : lower);
    case Kind::Regex: return RE2::PartialMatch(re2::StringPiece(raw.data(), raw.size()), *regex);
    case Kind::Cidr: {
        std::string ip;
        if (raw.size() > 64 || !parseIp(raw, ip) || ip.size() != network.size())
            return false;
        const int full = prefix / 8;
        if (std::memcmp(ip.data(), network.data(), size_t(full)) != 0)
            return false;
        const int rest = prefix % 8;
        if (rest == 0)
            return true;
        const auto mask = uchar(0xFF << (8 - rest));
        return (uchar(ip[size_t(full)]) & mask) == (uchar(network[size_t(full)]) & mask);
    }
    case Kind::Compare: {
        double v = 0;
        if (raw.size() > 64 || !parseNumber(raw, v))
            return false;
        switch (cmp) {
        case Cmp::Gt: return v > number;
        case Cmp::Gte: return v >= number;
        case Cmp::Lt: return v < number;
        case Cmp::Lte: return v <= number;
        }
        return false;
    }
    case Kind::Exists: return exists;
    case Kind::Null: return raw.empty();
    case Kind::FieldRef: return false; // needs the other field: RuleSet evaluates it
    }
    return false;
}

std::string requiredRegexLiteral(std::string_view pattern, bool caseInsensitive)
{
    return RegexRuns(pattern, caseInsensitive).longest();
}

bool necessaryLiteral(const ValueTest &t, Literal &out)
{
    if (t.kind == ValueTest::Kind::Regex) {
        if (t.regexLiteral.empty())
            return false;
        out = {t.regexLiteral, Literal::Where::Anywhere};
        return true;
    }
    if (t.kind != ValueTest::Kind::Glob)
        return false;
    const size_t n = t.segments.size();
    size_t best = 0;
    bool found = false;
    auto consider = [&](const GlobSegment &s, Literal::Where where) {
        if (!s.anyAt.empty()) {
            // The longest run without '?' anywhere in the segment.
            size_t i = 0;
            while (i < s.text.size()) {
                while (i < s.text.size() && s.anyAt[i] == '1')
                    ++i;
                size_t j = i;
                while (j < s.text.size() && s.anyAt[j] != '1')
                    ++j;
                if (j > i && j - i > best) {
                    best = j - i;
                    out = {s.text.substr(i, j - i), Literal::Where::Anywhere};
                    found = true;
                }
                i = j;
            }
            return;
        }
        if (s.text.size() > best || (!found && !s.text.empty())) {
            best = s.text.size();
            out = {s.text, where};
            found = true;
        }
    };
    if (n == 1) {
        consider(t.segments[0], Literal::Where::Whole);
    } else {
        consider(t.segments[0], Literal::Where::Start);
        for (size_t i = 1; i + 1 < n; ++i)
            consider(t.segments[i], Literal::Where::Anywhere);
        consider(t.segments[n - 1], Literal::Where::End);
    }
    if (found && t.cased)
        out.text = asciiLower(out.text);
    return found && !out.text.empty();
}

} // namespace causa::sigma::detail
