#pragma once

#include "cmdline/commandlineanalyzer.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace causa::test {

// What PowerShell's -EncodedCommand expects: base64 of the UTF-16LE bytes.
inline QString utf16Base64(const QString &s)
{
    const QByteArray bytes(reinterpret_cast<const char *>(s.utf16()), s.size() * 2);
    return QString::fromLatin1(bytes.toBase64());
}

// One analyser with the built-in knowledge, shared by a test's cases.
inline const CommandLineAnalyzer &analyzer()
{
    static const CommandLineAnalyzer a;
    return a;
}

inline const Finding *findCategory(const AnalysisResult &r, const QString &category)
{
    for (const Finding &f : r.findings)
        if (f.category == category)
            return &f;
    return nullptr;
}

// "score 62 malicious: category/rule(+20), ..." for failure messages.
inline QString describe(const AnalysisResult &r)
{
    QStringList parts;
    for (const Finding &f : r.findings)
        parts << QStringLiteral("%1/%2(+%3)").arg(f.category, f.rule).arg(f.contribution);
    return QStringLiteral("score %1 %2: %3")
        .arg(r.score)
        .arg(r.verdict, parts.join(QLatin1String(", ")));
}

} // namespace causa::test
