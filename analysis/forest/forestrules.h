#pragma once

#include <QString>

namespace causa::detail {

// How the forest builder tells records of one process apart and together: the rules that do
// not depend on the build's arrays.

inline constexpr qint64 kSameStartMs = 5000;
inline constexpr qint64 kZoneStepMs = 15 * 60 * 1000;
inline constexpr qint64 kMaxZoneMs = 14 * 3600 * 1000;

// A record's source, best first: sysmon 0, security 1, xdr 2, other 3, parent-ref 4.
int sourceRank(const QString &source);

// Sysmon writes UTC; OTRF's newer Security export writes local time. Two records of one
// process therefore start within seconds of each other, or a whole time-zone step apart.
inline bool sameStart(qint64 a, qint64 b, bool crossSource)
{
    const qint64 d = a > b ? a - b : b - a;
    if (d <= kSameStartMs)
        return true;
    if (!crossSource || d > kMaxZoneMs)
        return false;
    const qint64 r = d % kZoneStepMs;
    return r <= kSameStartMs || kZoneStepMs - r <= kSameStartMs;
}

// A key that names "the process with this PID" without a start time (Security parents,
// Sysmon events without ProcessGuid).
bool isPidReference(const QString &key, qint64 *pid);

// The lower-case image name of a service's command ("C:\x\svc.exe -k", "%comspec% /c …").
QString serviceImageName(QString path);

} // namespace causa::detail
