#pragma once

#include <QString>
#include <QStringList>

#include <vector>

namespace causa::sigma {

// What a loaded Sigma rule says about itself (and where it came from, for its credit line).
struct RuleInfo
{
    QString id;
    QString title;
    QString level; // informational, low, medium, high, critical
    QString status;
    QString author;
    QString description;
    QStringList tags;
    QString path;      // the file it was read from
    QString logsource; // "windows/process_creation", "windows/service:security"
    // The rule's credit: "rule by <author>, SigmaHQ, DRL 1.1" for SigmaHQ rules (their licence
    // asks for it wherever a rule is shown), "rule by <author>, <licence>" for others.
    QString credit;
};

// A rule that was not loaded, and why (never guessed: a rule the engine cannot run is skipped).
struct SkippedRule
{
    QString path;
    QString reason;
};

// One field test that made a rule match, as the explanation shows it.
struct MatchedField
{
    QString selection;  // the detection item ("selection_img")
    QString field;      // the rule's field name ("Image")
    QString eventField; // the event's field it read ("NewProcessName" for Security 4688)
    QString test;       // "endswith '\\psexesvc.exe'"
    QString value;      // the event's value (elided past 300 characters)
};

// What a hunt matched a rule against: a stored event or a stored XDR alert.
enum class MatchSource
{
    Event,
    Alert
};

// One rule matching one event: an immutable value, safe to pass between threads.
struct SigmaMatch
{
    int ruleIndex = -1; // into RuleSet::rules()
    QString ruleId;
    QString title;
    QString level;
    QStringList tags;
    QString author;
    QString credit;
    QString rulePath;
    QString target; // how the event was read: "sysmon 1", "security 4688", "service security"
    QString host;
    qint64 ts = 0;      // event time, ms since the epoch (UTC)
    qint64 eventId = 0; // events.id in the store; 0 for events matched outside a store
    MatchSource source = MatchSource::Event;
    qint64 alertRow = 0; // alerts.id, for an alert hit
    QString alertId;     // the XDR alert id as the source wrote it, for an alert hit
    QString alertName;   // the alert's name, for an alert hit
    int eventCode = 0;
    QString channel;
    std::vector<MatchedField> fields;
};

} // namespace causa::sigma
