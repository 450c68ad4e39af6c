#include "cmdlineindicators.h"

#include "commandlineanalyzer.h"
#include "store/importsession.h"

#include <QHash>
#include <QSet>

namespace causa {

namespace {

constexpr qsizetype kMaxAsWritten = 2048;

bool caseIndicatorType(const QString &type)
{
    for (const char *t : {"ipv4", "ipv6", "url", "domain", "md5", "sha1", "sha256"})
        if (type == QLatin1String(t))
            return true;
    return false;
}

struct LineIndicators
{
    QList<IndicatorRecord> records;
    int score = 0;
};

LineIndicators analyseLine(const CommandLineAnalyzer &analyzer, const QString &commandLine)
{
    LineIndicators out;
    const AnalysisResult r = analyzer.analyze(commandLine);
    out.score = r.score;
    for (const ExtractedIndicator &i : r.indicators) {
        if (!caseIndicatorType(i.type) || i.value.isEmpty())
            continue;
        IndicatorRecord rec;
        rec.type = i.type;
        rec.value = i.value;
        rec.asWritten = i.asWritten.left(kMaxAsWritten);
        rec.context = QString::fromLatin1(CommandLineIndicators::kContext);
        rec.internal = i.internal;
        out.records.push_back(std::move(rec));
    }
    return out;
}

} // namespace

QList<IndicatorRecord> CommandLineIndicators::indicatorsOf(const CommandLineAnalyzer &analyzer,
                                                           const QString &commandLine, int minScore)
{
    LineIndicators l = analyseLine(analyzer, commandLine);
    if (minScore > 0 && l.score < minScore)
        return {};
    return l.records;
}

Result<cmdlineq::ImportMark> CommandLineIndicators::mark(ImportSession &session)
{
    return cmdlineq::importMark(session.database());
}

Result<int> CommandLineIndicators::apply(ImportSession &session, const cmdlineq::ImportMark &mark)
{
    auto lines = cmdlineq::commandLinesSince(session.database(), mark, kEventWindowMs);
    if (!lines)
        return lines.error();
    const CommandLineAnalyzer &analyzer = sharedCommandLineAnalyzer();
    // Each distinct line is analysed once, however many cases and alerts share it.
    QHash<QString, LineIndicators> analysed;
    QSet<QPair<qint64, QString>> done;
    int links = 0;
    for (const cmdlineq::CaseLine &l : lines.value()) {
        if (done.contains({l.caseId, l.commandLine}))
            continue;
        auto it = analysed.find(l.commandLine);
        if (it == analysed.end())
            it = analysed.insert(l.commandLine, analyseLine(analyzer, l.commandLine));
        if (!l.fromAlert && it->score < kMinEventLineScore)
            continue; // the same line may still count for this case through an alert
        done.insert({l.caseId, l.commandLine});
        for (const IndicatorRecord &rec : it->records) {
            if (auto r = session.addCaseIndicator(l.caseId, rec); !r)
                return r.error();
            ++links;
        }
    }
    return links;
}

} // namespace causa
