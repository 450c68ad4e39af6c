#include "tokenizer.h"

#include "textscan.h"

#include <limits>

namespace causa {

using namespace detail;

QList<CmdToken> Tokenizer::split(QStringView text, Dialect dialect, int maxTokens,
                                 const std::vector<std::pair<qsizetype, qsizetype>> *opaque,
                                 qsizetype maxTextChars)
{
    // A token's text keeps at most `cap` characters: one more than asked, so callers see that
    // it was longer.
    const qsizetype cap = maxTextChars < 0 ? std::numeric_limits<qsizetype>::max() : maxTextChars + 1;
    QList<CmdToken> tokens;
    size_t nextOpaque = 0;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        while (i < n && isSpace(text[i].unicode()))
            ++i;
        if (i >= n)
            break;
        CmdToken t;
        t.start = i;
        if (tokens.size() + 1 >= maxTokens) {
            t.text = text.mid(i, qMin(n - i, cap)).toString();
            t.end = n;
            tokens.push_back(std::move(t));
            break;
        }
        bool inDouble = false;
        bool inSingle = false;
        // Plain characters are copied in runs, not one by one: a multi-megabyte token costs
        // a memcpy.
        qsizetype runStart = i;
        auto flush = [&](qsizetype upTo) {
            if (upTo > runStart && t.text.size() < cap)
                t.text.append(text.mid(runStart, qMin(upTo - runStart, cap - t.text.size())));
        };
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
            const char16_t c = text[i].unicode();
            if (!inDouble && !inSingle && isSpace(c))
                break;
            if (dialect == Dialect::Cmd) {
                if (c == '"') {
                    flush(i);
                    // "" inside quotes is a literal quote (CommandLineToArgvW rule).
                    if (inDouble && i + 1 < n && text[i + 1] == QLatin1Char('"')) {
                        if (t.text.size() < cap)
                            t.text += QLatin1Char('"');
                        i += 2;
                        runStart = i;
                        continue;
                    }
                    inDouble = !inDouble;
                    t.quoted = true;
                    ++i;
                    runStart = i;
                    continue;
                }
                if (c == '^' && !inDouble && i + 1 < n) {
                    flush(i);
                    if (t.text.size() < cap)
                        t.text += text[i + 1];
                    i += 2;
                    runStart = i;
                    continue;
                }
            } else {
                if (!inDouble && isSingleQuote(c)) {
                    flush(i);
                    if (inSingle && i + 1 < n && isSingleQuote(text[i + 1].unicode())) {
                        if (t.text.size() < cap)
                            t.text += QLatin1Char('\'');
                        i += 2;
                        runStart = i;
                        continue;
                    }
                    inSingle = !inSingle;
                    t.quoted = true;
                    ++i;
                    runStart = i;
                    continue;
                }
                if (!inSingle && isDoubleQuote(c)) {
                    flush(i);
                    inDouble = !inDouble;
                    t.quoted = true;
                    ++i;
                    runStart = i;
                    continue;
                }
                if (!inSingle && c == '`' && i + 1 < n) {
                    flush(i);
                    if (t.text.size() < cap)
                        t.text += text[i + 1];
                    i += 2;
                    runStart = i;
                    continue;
                }
            }
            ++i;
        }
        flush(i);
        t.end = i;
        tokens.push_back(std::move(t));
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
