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
    int score = -1; // -1 until a line from endpoint events needs it
};

QList<IndicatorRecord> recordsOf(const QList<ExtractedIndicator> &indicators)
{
    QList<IndicatorRecord> out;
    for (const ExtractedIndicator &i : indicators) {
        if (!caseIndicatorType(i.type) || i.value.isEmpty())
            continue;
        IndicatorRecord rec;
        rec.type = i.type;
        rec.value = i.value;
        rec.asWritten = i.asWritten.left(kMaxAsWritten);
        rec.context = QString::fromLatin1(CommandLineIndicators::kContext);
        rec.internal = i.internal;
        out.push_back(std::move(rec));
    }
    return out;
}

LineIndicators analyseLine(const CommandLineAnalyzer &analyzer, const QString &commandLine)
{
    const AnalysisResult r = analyzer.analyze(commandLine);
    return {recordsOf(r.indicators), r.score};
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
    // Built on the first line only: the knowledge base's matchers take ~0.1 s to build, and
    // most event imports touch no endpoint with an alert (a one-line import took 0.13 s).
    const CommandLineAnalyzer *shared = nullptr;
    auto analyzer = [&shared]() -> const CommandLineAnalyzer & {
        if (!shared)
            shared = &sharedCommandLineAnalyzer();
        return *shared;
    };
    // Each distinct line is analysed once, however many cases share it. Both caches are bounded
    // so a huge import keeps memory flat (a line seen again after a reset is analysed again; the
    // store ignores links it already has).
    constexpr qsizetype kMaxCached = 20000;
    QHash<QString, LineIndicators> analysed;
    QSet<QPair<qint64, QString>> done;
    int links = 0;
    auto r = cmdlineq::forEachCommandLineSince(
        session.database(), mark, session.endpointsWritten(), kEventWindowMs,
        [&](const cmdlineq::CaseLine &l) -> Result<void> {
            if (done.contains({l.caseId, l.commandLine}))
                return {};
            if (analysed.size() > kMaxCached)
                analysed.clear();
            if (done.size() > kMaxCached)
                done.clear();
            auto it = analysed.find(l.commandLine);
            // A line seen only in endpoint events is fully analysed: its score decides whether
            // it counts.
            if (it == analysed.end())
                it = analysed.insert(l.commandLine, analyseLine(analyzer(), l.commandLine));
            if (it->score < kMinEventLineScore)
                return {};
            done.insert({l.caseId, l.commandLine});
            for (const IndicatorRecord &rec : it->records) {
                if (auto a = session.addCaseIndicator(l.caseId, rec); !a)
                    return a;
                ++links;
            }
            return {};
        });
    if (!r)
        return r.error();
    return links;
}

void AlertLineIndicators::addTo(AlertRecord &a)
{
    for (const auto &[role, process] : a.processes) {
        if (process.commandLine.isEmpty())
            continue;
        auto it = m_lines.constFind(process.commandLine);
        if (it == m_lines.cend()) {
            if (!m_analyzer)
                m_analyzer = &sharedCommandLineAnalyzer();
            if (m_lines.size() > kMaxCached)
                m_lines.clear();
            it = m_lines.insert(process.commandLine,
                                recordsOf(m_analyzer->extractIndicators(process.commandLine)));
        }
        a.indicators.insert(a.indicators.end(), it->cbegin(), it->cend());
    }
}

} // namespace causa
