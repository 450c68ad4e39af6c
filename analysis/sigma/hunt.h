#pragma once

#include "core/result.h"
#include "ruleset.h"

#include <nlohmann/json_fwd.hpp>

#include <functional>

namespace causa {
class CaseStore;
}

namespace causa::sigma {

// Which stored events a hunt reads: a case's endpoints, one host, or (neither) every event.
struct HuntScope
{
    qint64 caseId = 0;
    QString host;
    // Also match the scope's stored XDR alerts (the case's, the host's, or all) as process
    // creations (xdrAlertEvent).
    bool alerts = true;
    // Asked between events; true stops the hunt (a newer hunt was asked for).
    std::function<bool()> cancelled;
};

// A hunt's outcome: the rule set's counts and every match, ordered by host, time and rule.
struct HuntReport
{
    int rulesLoaded = 0;
    std::vector<SkippedRule> skipped;
    std::vector<SigmaMatch> matches;
    qint64 eventsScanned = 0;
    qint64 eventsUnreadable = 0; // rows whose data is not a JSON object
    qint64 alertsScanned = 0;
    bool cancelled = false; // stopped early: the matches are partial
};

// Runs the rules over the scope's stored events (one thread, the caller's).
Result<HuntReport> huntStore(CaseStore &store, const RuleSet &rules, const HuntScope &scope);

// {"rules_loaded", "rules_skipped": [{"path","reason"}], "events_scanned", "alerts_scanned",
// "matches": [{"source": "event"|"alert", "rule_id", "title", "level", "tags", "author", "credit",
// "rule_path", "host", "ts", "ts_ms", "event" (0 for an alert), "alert", "alert_row" and "alert_name"
// (alert hits only), "event_code", "channel", "target", "fields": [{"selection","field","event_field",
// "test","value"}]}]}
nlohmann::json toJson(const HuntReport &report);
nlohmann::json toJson(const SigmaMatch &match);
// A readable listing: counts, the top skip reasons, then one block per match.
QString toText(const HuntReport &report);

} // namespace causa::sigma
