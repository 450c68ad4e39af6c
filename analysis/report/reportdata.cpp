#include "reportdata.h"

#include "services/storeanalyzer.h"

#include "cmdline/commandlineanalyzer.h"

#include "store/casestore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QSet>

#include <algorithm>

namespace causa {

namespace {

template<typename T>
Result<void> take(Result<T> r, T &into)
{
    if (!r)
        return r.error();
    into = std::move(r).value();
    return {};
}

// Distinct command lines in process order, each with the roles its process plays.
std::vector<ReportCommandLine> commandLinesOf(const std::vector<StoredProcess> &processes)
{
    std::vector<ReportCommandLine> out;
    QSet<QString> seen;
    for (const StoredProcess &p : processes) {
        const QString line = p.process.commandLine;
        if (line.trimmed().isEmpty() || seen.contains(line))
            continue;
        seen.insert(line);
        ReportCommandLine c;
        c.processKey = p.process.key;
        c.image = p.process.imageName;
        c.roles = p.roles;
        c.commandLine = line;
        out.push_back(std::move(c));
    }
    return out;
}

} // namespace

Result<ReportData> loadReportData(const CaseStore &store, qint64 caseId, const ReportOptions &options)
{
    ReportData d;
    d.generatedAt = options.generatedAt > 0 ? options.generatedAt : QDateTime::currentMSecsSinceEpoch();
    d.generator = QStringLiteral("Causa %1").arg(QLatin1String(CAUSA_VERSION));
    const ReportQueries rq(store);
    if (auto r = take(store.caseSummary(caseId), d.summary); !r)
        return r.error();
    if (auto r = take(rq.caseDetail(caseId), d.detail); !r)
        return r.error();
    if (auto r = take(store.alertsOfCase(caseId), d.alerts); !r)
        return r.error();
    if (auto r = take(store.processesOfCase(caseId), d.processes); !r)
        return r.error();
    if (auto r = take(store.indicatorsOfCase(caseId), d.indicators); !r)
        return r.error();
    if (auto r = take(rq.enrichments(caseId), d.enrichments); !r)
        return r.error();
    if (auto r = take(rq.intelMatches(caseId), d.intel); !r)
        return r.error();
    if (auto r = take(rq.evidence(caseId), d.evidence); !r)
        return r.error();
    if (auto r = take(rq.actions(caseId), d.actions); !r)
        return r.error();
    if (auto r = take(rq.playbookRuns(caseId), d.playbookRuns); !r)
        return r.error();
    if (auto r = take(rq.notes(caseId), d.notes); !r)
        return r.error();
    if (auto r = take(rq.severityHistory(caseId), d.severityHistory); !r)
        return r.error();

    // The investigation window: the case's alerts (and their processes) widened by the
    // related-alerts window, as the playbook's endpoint investigation uses it.
    qint64 first = 0, last = 0;
    auto widen = [&](qint64 t) {
        if (t <= 0)
            return;
        first = first == 0 ? t : std::min(first, t);
        last = std::max(last, t);
    };
    for (const StoredAlert &a : d.alerts)
        widen(a.alert.detectedAt);
    for (const StoredProcess &p : d.processes)
        widen(p.process.startedAt);
    if (first > 0) {
        d.windowFrom = first - options.relatedWindowMs;
        d.windowTo = last + options.relatedWindowMs;
        if (auto r = take(rq.relatedAlerts(caseId, d.windowFrom, d.windowTo), d.relatedAlerts); !r)
            return r.error();
        if (auto r = take(rq.eventPoints(caseId, d.windowFrom, d.windowTo), d.events); !r)
            return r.error();
        if (auto r = take(rq.eventCount(caseId, d.windowFrom, d.windowTo), d.eventCount); !r)
            return r.error();
    }

    d.commandLines = commandLinesOf(d.processes);
    // Static analysis is deterministic, so the report recomputes it rather than trusting a copy.
    // The store's custom patterns and allowlist entries apply here as in the playbook.
    auto analyzer = analyzerForStore(store);
    const QString loadError = !analyzer ? analyzer.error().message : analyzer.value()->loadError();
    if (!loadError.isEmpty()) {
        d.commandLineAnalysisNote = QStringLiteral("Command-line analysis is not available (%1): command lines are "
                                                   "shown exactly as recorded.").arg(loadError);
    } else {
        for (ReportCommandLine &c : d.commandLines)
            c.analysis = toJson(analyzer.value()->analyze(c.commandLine));
    }

    // The chain is one part of the report: when it cannot be read the report says so.
    if (auto chains = buildChainsForCase(store, caseId); chains)
        d.lateralChains = std::move(chains.value().chains);
    else
        d.lateralChainNote = QStringLiteral("The lateral-movement chain could not be read: %1")
                                 .arg(chains.error().message);

    auto conn = store.connection();
    if (!conn)
        return conn.error();
    if (auto r = take(audit::entries(conn.value(), caseId), d.audit); !r)
        return r.error();
    if (auto r = take(audit::verify(conn.value(), caseId), d.auditVerification); !r)
        return r.error();
    return d;
}

} // namespace causa
