#pragma once

#include "core/records.h"
#include "core/severity.h"

#include <QString>

#include <vector>

namespace causa {

// What the forest is built from: stored processes (every source), the endpoint events that
// attach to them, and the alert roles that point at them. Filled by store/eventqueries.
struct ForestEvent
{
    QString processKey;
    QString endpointKey;
    QString kind; // pipe, network, file, registry, service_install, process_exit, …
    int code = 0;
    qint64 ts = 0;
    QString summary;
    QString name;       // pipe name, file path, registry key, service name
    QString imagePath;  // service image path (service_install)
    QString remoteIp;   // network
    int remotePort = 0; // network
    qint64 eventId = 0;
};

struct ForestAlertLink
{
    QString processKey;
    qint64 alertId = 0;
    qint64 caseId = 0;
    QString name;
    Severity severity = Severity::Unknown;
    QString role;
};

struct ForestInput
{
    std::vector<ProcessRecord> processes;
    std::vector<ForestEvent> events;
    std::vector<ForestAlertLink> alerts;
};

} // namespace causa
