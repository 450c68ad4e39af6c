#include "tokenizer.h"

#include "textscan.h"

#include <limits>

namespace causa {

using namespace detail;

namespace {

// The token being read. Plain characters are copied in runs, not one by one (flushed at each
// special character): a multi-megabyte token costs a memcpy.
struct TokenReader
{
    QStringView text;
    qsizetype cap; // most characters kept in the token's text
    CmdToken t;
    qsizetype runStart = 0;
    bool inDouble = false;
    bool inSingle = false;

    void flush(qsizetype upTo)
    {
        if (upTo > runStart && t.text.size() < cap)
            t.text.append(text.mid(runStart, qMin(upTo - runStart, cap - t.text.size())));
    }
    void put(QChar c)
    {
        if (t.text.size() < cap)
            t.text += c;
    }
    // After a special character at i was consumed up to next.
    void resume(qsizetype *i, qsizetype next)
    {
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

QList<CmdToken> Tokenizer::split(QStringView text, Dialect dialect, int maxTokens,
                                 const std::vector<std::pair<qsizetype, qsizetype>> *opaque,
                                 qsizetype maxTextChars)
{
    // A token's text keeps at most `cap` characters: one more than asked, so callers see that
    // it was longer.
    const qsizetype cap =
        maxTextChars < 0 ? std::numeric_limits<qsizetype>::max() : maxTextChars + 1;
    QList<CmdToken> tokens;
    size_t nextOpaque = 0;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        while (i < n && isSpace(text[i].unicode()))
            ++i;
        if (i >= n)
            break;
        TokenReader r{text, cap, CmdToken{}, i};
        r.t.start = i;
        if (tokens.size() + 1 >= maxTokens) {
            r.t.text = text.mid(i, qMin(n - i, cap)).toString();
            r.t.end = n;
            tokens.push_back(std::move(r.t));
            break;
        }
        while (i < n) {
            if (opaque) {
                while (nextOpaque < opaque->size() && (*opaque)[nextOpaque].second <= i)
                    ++nextOpaque;
                // Inside an opaque run nothing splits or escapes: jump to its end.
                if (nextOpaque < opaque->size() && i >= (*opaque)[nextOpaque].first) {
                    i = (*opaque)[nextOpaque].second;
                    continue;
                }
            }
            if (!r.inDouble && !r.inSingle && isSpace(text[i].unicode()))
                break;
            const bool special =
                dialect == Dialect::Cmd ? cmdSpecial(r, &i) : powerShellSpecial(r, &i);
            if (!special)
                ++i;
        }
        r.flush(i);
        r.t.end = i;
        tokens.push_back(std::move(r.t));
    }
    return tokens;
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
