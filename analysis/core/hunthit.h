#pragma once

#include <QString>

namespace causa {

// Where a hunted value was found.
struct HuntHit
{
    QString indicatorType; // ipv4, ipv6, sha256, md5, sha1
    QString value;
    QString where;     // alert, event, process
    qint64 refId = 0;  // alerts.id / events.id / processes.id
    qint64 caseId = 0; // for alerts and alert processes
    QString field;     // the column or JSON field that matched
    QString hostName;
    qint64 ts = 0;
    QString summary;
    qint64 endpointId = 0; // events and processes
    QString processKey;    // events and processes: the process it belongs to, when known
    // Decided by the hunt: whether the hit is evidence beyond the alert itself, and why.
    bool counts = true;
    QString why;
};

} // namespace causa
