#include "tokenizer.h"

#include "textscan.h"

#include <limits>

namespace causa {

using namespace detail;

namespace {

// The token being read. A token written without quotes or escapes is a view of the text; only
// one with them has its text built in the list's buffer, plain characters copied in runs (flushed
// at each special character) so a multi-megabyte token costs a copy, not a loop.
struct TokenReader
{
    QStringView text;
    qsizetype cap; // most characters kept in the token's text
    std::vector<char16_t> *buffer;
    CmdToken t;
    size_t bufferStart = 0;
    qsizetype length = 0; // characters of the text built in the buffer
    qsizetype runStart = 0;
    bool escaped = false;
    bool inDouble = false;
    bool inSingle = false;

    void flush(qsizetype upTo)
    {
        if (upTo > runStart && length < cap) {
            const qsizetype take = qMin(upTo - runStart, cap - length);
            const char16_t *from = reinterpret_cast<const char16_t *>(text.utf16()) + runStart;
            buffer->insert(buffer->end(), from, from + take);
            length += take;
        }
    }
    void put(QChar c)
    {
        if (length < cap) {
            buffer->push_back(c.unicode());
            ++length;
        }
    }
    // After a special character at i was consumed up to next.
    void resume(qsizetype *i, qsizetype next)
    {
        escaped = true;
        *i = next;
        runStart = next;
    }
};

// cmd.exe quoting at *i: "" inside quotes is a literal quote (CommandLineToArgvW rule), ^
// escapes the next character outside quotes. False when the character is plain.
bool cmdSpecial(TokenReader &r, qsizetype *i)
{
    const qsizetype n = r.text.size();
    const char16_t c = r.text[*i].unicode();
    if (c == '"') {
        r.flush(*i);
        if (r.inDouble && *i + 1 < n && r.text[*i + 1] == QLatin1Char('"')) {
            r.put(QLatin1Char('"'));
            r.resume(i, *i + 2);
            return true;
        }
        r.inDouble = !r.inDouble;
        r.t.quoted = true;
        r.resume(i, *i + 1);
        return true;
    }
    if (c == '^' && !r.inDouble && *i + 1 < n) {
        r.flush(*i);
        r.put(r.text[*i + 1]);
        r.resume(i, *i + 2);
        return true;
    }
    return false;
}

// PowerShell quoting at *i: single quotes ('' inside is a literal quote), double quotes, and the
// backtick escape outside single quotes. False when the character is plain.
bool powerShellSpecial(TokenReader &r, qsizetype *i)
{
    const qsizetype n = r.text.size();
    const char16_t c = r.text[*i].unicode();
    if (!r.inDouble && isSingleQuote(c)) {
        r.flush(*i);
        if (r.inSingle && *i + 1 < n && isSingleQuote(r.text[*i + 1].unicode())) {
            r.put(QLatin1Char('\''));
            r.resume(i, *i + 2);
            return true;
        }
        r.inSingle = !r.inSingle;
        r.t.quoted = true;
        r.resume(i, *i + 1);
        return true;
    }
    if (!r.inSingle && isDoubleQuote(c)) {
        r.flush(*i);
        r.inDouble = !r.inDouble;
        r.t.quoted = true;
        r.resume(i, *i + 1);
        return true;
    }
    if (!r.inSingle && c == '`' && *i + 1 < n) {
        r.flush(*i);
        r.put(r.text[*i + 1]);
        r.resume(i, *i + 2);
        return true;
    }
    return false;
}

} // namespace

TokenList Tokenizer::split(QStringView text, Dialect dialect, int maxTokens,
                           const std::vector<std::pair<qsizetype, qsizetype>> *opaque,
                           qsizetype maxTextChars)
{
    // A token's text keeps at most `cap` characters: one more than asked, so callers see that
    // it was longer.
    const qsizetype cap =
        maxTextChars < 0 ? std::numeric_limits<qsizetype>::max() : maxTextChars + 1;
    TokenList list;
    std::vector<CmdToken> &tokens = list.m_tokens;
    // Built texts as (token, offset, length): the buffer may still move while later tokens grow
    // it, so their views are set at the end.
    struct Built
    {
        size_t token;
        size_t offset;
        qsizetype length;
    };
    std::vector<Built> built;
    size_t nextOpaque = 0;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        while (i < n && isSpace(text[i].unicode()))
            ++i;
        if (i >= n)
            break;
        TokenReader r{text, cap, &list.m_buffer, CmdToken{}, list.m_buffer.size(), 0, i};
        r.t.start = i;
        if (qsizetype(tokens.size()) + 1 >= maxTokens) {
            r.t.text = text.mid(i, qMin(n - i, cap));
            r.t.end = n;
            tokens.push_back(r.t);
            break;
        }
        while (i < n) {
            qsizetype limit = n; // where the next opaque run starts
            if (opaque) {
                while (nextOpaque < opaque->size() && (*opaque)[nextOpaque].second <= i)
                    ++nextOpaque;
                // Inside an opaque run nothing splits or escapes: jump to its end.
                if (nextOpaque < opaque->size() && i >= (*opaque)[nextOpaque].first) {
                    i = (*opaque)[nextOpaque].second;
                    continue;
                }
                if (nextOpaque < opaque->size())
                    limit = (*opaque)[nextOpaque].first;
            }
            if (dialect == Dialect::Cmd) {
                // Step over the characters that can neither end the token nor escape.
                const char16_t *d = reinterpret_cast<const char16_t *>(text.utf16());
                if (r.inDouble) {
                    while (i < limit && d[i] != '"')
                        ++i;
                } else {
                    while (i < limit && d[i] != '"' && d[i] != '^' && !isSpace(d[i]))
                        ++i;
                }
                if (i >= limit)
                    continue;
            }
            if (!r.inDouble && !r.inSingle && isSpace(text[i].unicode()))
                break;
            const bool special =
                dialect == Dialect::Cmd ? cmdSpecial(r, &i) : powerShellSpecial(r, &i);
            if (!special)
                ++i;
        }
        r.t.end = i;
        if (r.escaped) {
            r.flush(i);
            built.push_back({tokens.size(), r.bufferStart, r.length});
        } else {
            r.t.text = text.mid(r.t.start, qMin(i - r.t.start, cap));
        }
        tokens.push_back(r.t);
    }
    for (const Built &b : built)
        tokens[b.token].text = QStringView(list.m_buffer.data() + b.offset, b.length);
    return list;
}

QString Tokenizer::programName(QStringView token)
{
    qsizetype cut = -1;
    for (qsizetype i = token.size() - 1; i >= 0; --i) {
        const QChar c = token[i];
        if (c == QLatin1Char('\\') || c == QLatin1Char('/') || c == QLatin1Char(':')) {
            cut = i;
            break;
        }
    }
    return token.mid(cut + 1).toString().toLower();
}

} // namespace causa
