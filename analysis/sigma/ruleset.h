#pragma once

#include "core/result.h"
#include "sigmatypes.h"

#include <QStringList>

#include <memory>
#include <vector>

namespace causa::sigma {

namespace detail {
struct CompiledSet;
}

// A set of Sigma rules loaded from files and folders, compiled once into shared prefilter
// tables. Immutable after compile(): one RuleSet serves any number of SigmaMatchers, on any
// threads.
class RuleSet final
{
public:
    RuleSet();
    ~RuleSet();
    RuleSet(RuleSet &&) noexcept;
    RuleSet &operator=(RuleSet &&) noexcept;

    // Reads every rule from the paths (files, or folders searched for *.yml/*.yaml) and
    // compiles them. Rules that cannot run are listed in skipped(); an error only when a
    // path does not exist or cannot be read.
    static Result<RuleSet> fromPaths(const QStringList &paths);

    // Adds one rule file or a folder's rules; call compile() when done adding.
    Result<void> add(const QString &path);
    // Adds one rule from its YAML text (path names it in skip reasons and credits).
    void addText(const QByteArray &yaml, const QString &path);
    // Lists a path that gave no rules (a missing folder of the team's set) among the skipped.
    void skip(const QString &path, const QString &reason);
    void compile();

    const std::vector<RuleInfo> &rules() const;
    const std::vector<SkippedRule> &skipped() const;
    // The index of the rule with this id, or -1.
    int indexOf(const QString &ruleId) const;

    const detail::CompiledSet &compiled() const { return *m_compiled; }

private:
    std::unique_ptr<detail::CompiledSet> m_compiled;
};

// Per-event state for matching events against a RuleSet; one per thread.
class SigmaMatcher final
{
public:
    explicit SigmaMatcher(const RuleSet &rules);
    ~SigmaMatcher();

    struct EventMeta
    {
        QString host;
        qint64 ts = 0;
        qint64 eventId = 0;
    };

    // Matches one event, given as the flat JSON object the store keeps in events.data (nested
    // {"Event": {"System", "EventData"}} objects are flattened first). Appends one SigmaMatch
    // per matching rule and returns how many; -1 when the bytes are not a JSON object.
    int match(std::string_view json, const EventMeta &meta, std::vector<SigmaMatch> &out);

    // Off: every rule of the event's log source is evaluated in full, without the shared
    // literal prefilter (the tests compare both ways).
    void setPrefilter(bool on) { m_prefilter = on; }
    // Rules evaluated in full so far (after the prefilter), for the benchmark.
    qint64 evaluations() const { return m_evaluations; }

private:
    struct State;
    const RuleSet &m_rules;
    std::unique_ptr<State> m_state;
    bool m_prefilter = true;
    qint64 m_evaluations = 0;
};

} // namespace causa::sigma
