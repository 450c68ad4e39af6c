#pragma once

#include <QString>
#include <QStringView>

namespace causa {

// Case and alert severity, ordered so that comparisons mean "more severe".
enum class Severity
{
    Unknown = 0,
    Informational,
    Low,
    Medium,
    High,
    Critical
};

// Accepts "medium", "High", "SEV_030_MEDIUM", "info", "4"; unknown text gives Severity::Unknown.
Severity severityFromString(QStringView text);
QString severityName(Severity s);

// Traffic Light Protocol 2.0 markings.
enum class Tlp
{
    Clear = 0,
    Green,
    Amber,
    AmberStrict,
    Red
};
Tlp tlpFromString(QStringView text, Tlp fallback = Tlp::Amber);
QString tlpName(Tlp t);

// DBot-style indicator score.
enum class Score
{
    Unknown = 0,
    Good = 1,
    Suspicious = 2,
    Malicious = 3
};
QString scoreName(Score s);

} // namespace causa
