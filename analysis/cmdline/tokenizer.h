#pragma once

#include <QList>
#include <QString>
#include <QStringView>

#include <utility>
#include <vector>

namespace causa {

// One argument of a command line, unquoted/unescaped, with its span in the source text.
struct CmdToken
{
    QString text;
    qsizetype start = 0;
    qsizetype end = 0;
    bool quoted = false;
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
    // opaqueRuns), copied whole instead of character by character.
    // maxTextChars (>= 0): a longer token's text is cut to maxTextChars + 1 characters (its span
    // stays whole), so looking for switches never copies a multi-megabyte payload.
    static QList<CmdToken>
    split(QStringView text, Dialect dialect, int maxTokens = 4096,
          const std::vector<std::pair<qsizetype, qsizetype>> *opaque = nullptr,
          qsizetype maxTextChars = -1);
    // Name of the program a token names: "C:\Windows\System32\certutil.exe" -> "certutil.exe".
    static QString programName(QStringView token);
};

} // namespace causa
