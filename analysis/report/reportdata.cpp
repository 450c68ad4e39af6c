#include "reportdata.h"

#include "cmdline/storeanalyzer.h"

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

// The case and everything recorded on it.
Result<void> loadCaseRecords(const CaseStore &store, qint64 caseId, ReportData &d)
{
    if (auto r = take(store.caseSummary(caseId), d.summary); !r)
        return r;
    if (auto r = take(reportq::caseDetail(store, caseId), d.detail); !r)
        return r;
    if (auto r = take(store.alertsOfCase(caseId), d.alerts); !r)
        return r;
    if (auto r = take(store.processesOfCase(caseId), d.processes); !r)
        return r;
    if (auto r = take(store.indicatorsOfCase(caseId), d.indicators); !r)
        return r;
    if (auto r = take(reportq::enrichments(store, caseId), d.enrichments); !r)
        return r;
    if (auto r = take(reportq::intelMatches(store, caseId), d.intel); !r)
        return r;
    if (auto r = take(reportq::evidence(store, caseId), d.evidence); !r)
        return r;
    if (auto r = take(reportq::actions(store, caseId), d.actions); !r)
        return r;
    if (auto r = take(reportq::playbookRuns(store, caseId), d.playbookRuns); !r)
        return r;
    if (auto r = take(reportq::notes(store, caseId), d.notes); !r)
        return r;
    return take(reportq::severityHistory(store, caseId), d.severityHistory);
}

// The investigation window: the case's alerts (and their processes) widened by the
// related-alerts window, as the playbook's endpoint investigation uses it; and what happened in it.
Result<void> loadInvestigationWindow(const CaseStore &store, qint64 caseId,
                                     const ReportOptions &options, ReportData &d)
{
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
    if (first <= 0)
        return {};
    d.windowFrom = first - options.relatedWindowMs;
    d.windowTo = last + options.relatedWindowMs;
    if (auto r =
            take(reportq::relatedAlerts(store, caseId, d.windowFrom, d.windowTo), d.relatedAlerts);
        !r)
        return r;
    if (auto r = take(reportq::eventPoints(store, caseId, d.windowFrom, d.windowTo), d.events); !r)
        return r;
    return take(reportq::eventCount(store, caseId, d.windowFrom, d.windowTo), d.eventCount);
}

// Static analysis is deterministic, so the report recomputes it rather than trusting a copy.
// The store's custom patterns and allowlist entries apply here as in the playbook.
void analyseCommandLines(const CaseStore &store, ReportData &d)
{
    auto analyzer = analyzerForStore(store);
    const QString loadError = !analyzer ? analyzer.error().message : analyzer.value()->loadError();
    if (!loadError.isEmpty()) {
        d.commandLineAnalysisNote =
            QStringLiteral("Command-line analysis is not available (%1): command lines are "
                           "shown exactly as recorded.")
                .arg(loadError);
    } else {
        for (ReportCommandLine &c : d.commandLines)
            c.analysis = toJson(analyzer.value()->analyze(c.commandLine));
    }
}

// The case's audit trail and whether its hash chain holds.
Result<void> loadAuditTrail(const CaseStore &store, qint64 caseId, ReportData &d)
{
    auto conn = store.connection();
    if (!conn)
        return conn.error();
    if (auto r = take(audit::entries(conn.value(), caseId), d.audit); !r)
        return r;
    return take(audit::verify(conn.value(), caseId), d.auditVerification);
}

} // namespace

Result<ReportData> loadReportData(const CaseStore &store, qint64 caseId,
                                  const ReportOptions &options)
{
    ReportData d;
    d.generatedAt =
        options.generatedAt > 0 ? options.generatedAt : QDateTime::currentMSecsSinceEpoch();
    d.generator = QStringLiteral("Causa %1").arg(QLatin1String(CAUSA_VERSION));
    if (auto r = loadCaseRecords(store, caseId, d); !r)
        return r.error();
    if (auto r = loadInvestigationWindow(store, caseId, options, d); !r)
        return r.error();
    d.commandLines = commandLinesOf(d.processes);
    analyseCommandLines(store, d);
    // The chain is one part of the report: when it cannot be read the report says so.
    if (auto chains = buildChainsForCase(store, caseId); chains)
        d.lateralChains = std::move(chains.value().chains);
    else
        d.lateralChainNote = QStringLiteral("The lateral-movement chain could not be read: %1")
                                 .arg(chains.error().message);
    if (auto r = loadAuditTrail(store, caseId, d); !r)
        return r.error();
    return d;
}

} // namespace causa
