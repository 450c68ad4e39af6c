#pragma once

#include "core/records.h"
#include "core/result.h"
#include "store/cmdlinequeries.h"

#include <QHash>
#include <QList>

namespace causa {

class CommandLineAnalyzer;
class ImportSession;

// Turns the IPs, URLs, domains and hashes written in a case's command lines into case
// indicators at import time (SPEC §6), so enrichment and blocking see them: the C2 written as
// 0xB9DC652A inside an encoded PowerShell line becomes indicator 185.220.101.42 with context
// "cmdline" and its written form. Private and reserved addresses are kept, marked internal.
// Usage inside one import: mark() right after ImportSession::begin(), apply() before commit().
// The lines of the import's own alerts come with the alerts (AlertLineIndicators, below);
// apply() adds the lines of endpoint events near the cases' alerts. Idempotent: a re-import adds
// nothing.
class CommandLineIndicators final
{
public:
    static constexpr const char *kContext = "cmdline";
    // Endpoint-event processes count for a case when they start this close to one of its
    // alerts on the same endpoint (the playbook's default RelatedAlertsWindow).
    static constexpr qint64 kEventWindowMs = 2 * 60 * 60 * 1000;
    // Event lines (not pointed at by an alert) must score at least this (suspicious), so the
    // update URLs of ordinary software do not become case indicators.
    static constexpr int kMinEventLineScore = 26;

    static Result<cmdlineq::ImportMark> mark(ImportSession &session);
    // Returns how many (case, indicator) links were considered.
    static Result<int> apply(ImportSession &session, const cmdlineq::ImportMark &mark);

    // The indicators of one command line as case-indicator records (network and hash types
    // only). minScore > 0: none unless the line's score reaches it.
    static QList<IndicatorRecord> indicatorsOf(const CommandLineAnalyzer &analyzer,
                                               const QString &commandLine, int minScore = 0);
};

// The indicators written in an alert's command lines, found by the importer as it reads each
// alert (XdrImporter's reading thread) and stored with the alert's other indicators: an alert's
// lines need no score, only their indicators. Each distinct line is analysed once; the cache is
// bounded (a line seen again after a reset is analysed again). One per reading thread.
class AlertLineIndicators final
{
public:
    static constexpr qsizetype kMaxCached = 20000;
    // Appends the indicators of a's process command lines to a.indicators (context "cmdline").
    void addTo(AlertRecord &a);

private:
    const CommandLineAnalyzer *m_analyzer = nullptr; // built on the first line
    QHash<QString, QList<IndicatorRecord>> m_lines;
};

} // namespace causa
