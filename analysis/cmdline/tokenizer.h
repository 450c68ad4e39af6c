#pragma once

#include <QString>
#include <QStringView>

#include <utility>
#include <vector>

namespace causa {

// One argument of a command line, unquoted/unescaped, with its span in the source text. The text
// views the split text itself when the token was written without quotes or escapes, else the
// TokenList's own buffer: it is valid while both live.
struct CmdToken
{
    QStringView text;
    qsizetype start = 0;
    qsizetype end = 0;
    bool quoted = false;
};

// The tokens of one split. Unescaped texts share one buffer, so a split allocates twice at most
// instead of once per token. Movable (the buffer moves with it), not copyable.
class TokenList
{
public:
    TokenList() = default;
    TokenList(TokenList &&) = default;
    TokenList &operator=(TokenList &&) = default;
    TokenList(const TokenList &) = delete;
    TokenList &operator=(const TokenList &) = delete;

    qsizetype size() const { return qsizetype(m_tokens.size()); }
    bool isEmpty() const { return m_tokens.empty(); }
    const CmdToken &operator[](qsizetype i) const { return m_tokens[size_t(i)]; }
    auto begin() const { return m_tokens.cbegin(); }
    auto end() const { return m_tokens.cend(); }

private:
    friend class Tokenizer;
    std::vector<CmdToken> m_tokens;
    std::vector<char16_t> m_buffer; // a vector, not a string: no inline buffer to move away
};

// Splits command lines the way the two Windows shells do (statically; nothing is expanded).
class Tokenizer
{
public:
    enum class Dialect
    {
        // cmd.exe / CommandLineToArgvW: "..." groups, ^ escapes outside quotes, "" inside
        Cmd,
        PowerShell // '...' with '' escapes, "..." with `x escapes, ` escapes outside quotes
    };
    // At most maxTokens tokens (the rest of the line is one last token) so hostile input stays
    // bounded.
    // opaque (optional): sorted runs with no space, quote or escape character (textscan.h
    // opaqueRuns), stepped over whole instead of character by character.
    // maxTextChars (>= 0): a longer token's text is cut to maxTextChars + 1 characters (its span
    // stays whole), so looking for switches never copies a multi-megabyte payload.
    static TokenList split(QStringView text, Dialect dialect, int maxTokens = 4096,
                           const std::vector<std::pair<qsizetype, qsizetype>> *opaque = nullptr,
                           qsizetype maxTextChars = -1);
    // Name of the program a token names: "C:\Windows\System32\certutil.exe" -> "certutil.exe".
    static QString programName(QStringView token);
};

} // namespace causa
