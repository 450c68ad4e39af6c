#pragma once

#include <QString>
#include <QStringView>

#include <array>
#include <utility>
#include <vector>

// Small, allocation-free character helpers shared by the command-line scanners. Every scanner
// in this folder is a single forward pass: hostile lines (megabytes of carets, base64 or
// digits) cost linear time and never backtrack.
namespace causa::detail {

inline bool isAsciiAlpha(char16_t c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}
inline bool isDigit(char16_t c)
{
    return c >= '0' && c <= '9';
}
inline bool isAlnum(char16_t c)
{
    return isAsciiAlpha(c) || isDigit(c);
}
inline bool isWordChar(char16_t c)
{
    return isAlnum(c) || c == '_';
}
inline bool isSpace(char16_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
inline bool isHexDigit(char16_t c)
{
    return isDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}
inline int hexValue(char16_t c)
{
    if (isDigit(c))
        return c - '0';
    return (c | 0x20) - 'a' + 10;
}
inline char16_t asciiLower(char16_t c)
{
    return (c >= 'A' && c <= 'Z') ? char16_t(c | 0x20) : c;
}
// Dashes that PowerShell accepts in front of a parameter: - – — ―.
inline bool isDash(char16_t c)
{
    return c == '-' || c == 0x2013 || c == 0x2014 || c == 0x2015;
}
inline bool isSingleQuote(char16_t c)
{
    return c == '\'' || (c >= 0x2018 && c <= 0x201B);
}
inline bool isDoubleQuote(char16_t c)
{
    return c == '"' || (c >= 0x201C && c <= 0x201E);
}
inline bool isBase64Char(char16_t c)
{
    return isAlnum(c) || c == '+' || c == '/' || c == '=';
}

// Case-insensitive ASCII comparison of text at pos with a lowercase needle.
inline bool matchesAt(QStringView text, qsizetype pos, QLatin1StringView lowerNeedle)
{
    if (pos < 0 || pos + lowerNeedle.size() > text.size())
        return false;
    for (qsizetype i = 0; i < lowerNeedle.size(); ++i)
        if (asciiLower(text[pos + i].unicode()) != char16_t(lowerNeedle[i].unicode()))
            return false;
    return true;
}

// text.startsWith(lowerNeedle, Qt::CaseInsensitive), compared here while the text is ASCII; a
// non-ASCII character in the prefix takes Qt's Unicode case folding, so answers never differ.
inline bool startsWithNoCase(QStringView text, QLatin1StringView lowerNeedle)
{
    if (text.size() < lowerNeedle.size())
        return false;
    for (qsizetype i = 0; i < lowerNeedle.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (c >= 0x80)
            return text.startsWith(lowerNeedle, Qt::CaseInsensitive);
        if (asciiLower(c) != char16_t(uchar(lowerNeedle[i].toLatin1())))
            return false;
    }
    return true;
}

inline qsizetype skipSpaces(QStringView text, qsizetype pos)
{
    while (pos < text.size() && isSpace(text[pos].unicode()))
        ++pos;
    return pos;
}

// Case-insensitive forward search for a lowercase ASCII needle; -1 when absent.
qsizetype findNoCase(QStringView text, QLatin1StringView lowerNeedle, qsizetype from = 0);
// Case-sensitive forward search for an ASCII needle (QStringView::indexOf with a Latin-1 needle
// converts and searches without vector steps); -1 when absent. from below 0 counts as 0.
qsizetype findAscii(QStringView text, QLatin1StringView needle, qsizetype from = 0);
// The first code unit equal to unit at or after from (below 0 counts as 0); -1 when absent.
qsizetype findUnit(QStringView text, char16_t unit, qsizetype from = 0);

// A lowercased copy with typographic dashes and quotes folded to ASCII, same length and
// offsets as the input, so matches map back to spans in the original text.
QString foldForMatching(QStringView text);

// A PowerShell string literal starting at pos ('..' with '' escapes, ".." with `x and ""
// escapes). Returns false when pos is not a quote or the literal is unterminated.
struct Literal
{
    qsizetype start = 0;
    qsizetype end = 0;       // one past the closing quote
    QString value;           // unescaped content
    bool expandable = false; // double-quoted: PowerShell would expand $variables inside
};
bool parseLiteral(QStringView text, qsizetype pos, Literal *out, qsizetype maxLength);

// Runs of at least minLength base64 characters ([A-Za-z0-9+/=], no dot, colon, backslash or
// space): opaque data, either an encoded payload that the decoder analyses as its own layer or
// noise. Keyword and indicator scans step over them: short keywords found by chance inside
// random base64 are false positives, and multi-megabyte tokens stay cheap.
using Spans = std::vector<std::pair<qsizetype, qsizetype>>;
constexpr qsizetype kOpaqueRunChars = 4096;
Spans opaqueRuns(QStringView text, qsizetype minLength = kOpaqueRunChars);

// What one pass over a layer learns, shared by every transform and detector that looks at it:
// which characters occur (a transform whose trigger characters are absent returns at once,
// instead of each of them searching a 10 MB layer for its own) and the opaque runs.
struct LayerScan
{
    Spans opaque;
    qsizetype longestBase64Run = 0;  // the longest run of isBase64Char characters
    std::array<bool, 129> present{}; // ASCII characters seen; [128] = any non-ASCII character
    bool has(char c) const { return present[uchar(c)]; }
    // c or its upper-case form (c is a lowercase ASCII letter).
    bool hasNoCase(char c) const { return present[uchar(c)] || present[uchar(c) & 0xDF]; }
    bool hasNonAscii() const { return present[128]; }
    // Dashes PowerShell accepts (isDash) and the quotes isSingleQuote/isDoubleQuote fold.
    bool hasDash() const { return has('-') || hasNonAscii(); }
    bool hasQuote() const { return has('\'') || has('"') || hasNonAscii(); }
    // End of the opaque run containing pos, or -1.
    qsizetype opaqueEnd(qsizetype pos) const;
};
LayerScan scanLayer(QStringView text, qsizetype minOpaque = kOpaqueRunChars);

// findNoCase outside the opaque runs (keywords are never part of a 4,096-character base64 run).
qsizetype findNoCaseOutside(QStringView text, QLatin1StringView lowerNeedle, const Spans &opaque,
                            qsizetype from = 0);

// PowerShell single-quoted form of s.
QString singleQuoted(QStringView s);

} // namespace causa::detail
