#pragma once

#include "core/result.h"
#include "store/eventqueries.h"

#include <nlohmann/json_fwd.hpp>

#include <vector>

namespace causa {

class CaseStore;

// Playbook stage 4b: the alerts related to the one being triaged (the case's other alerts, and
// other alerts on its endpoint within ±window), grouped by ATT&CK tactic, with how many are
// high / critical.
struct EndpointInvestigation
{
    struct TacticGroup
    {
        QString tactic;   // "Lateral Movement", … or "Unknown"
        QString tacticId; // "TA0008" when given
        std::vector<AlertBrief> alerts;
        int high = 0;
        int critical = 0;
    };
    qint64 caseId = 0;
    qint64 primaryAlertId = 0; // the alert being triaged; never counted
    qint64 windowMs = 0;
    QStringList hosts;
    std::vector<TacticGroup> tactics; // ordered by the kill chain
    int relatedAlerts = 0;
    int highAlerts = 0;
    int criticalAlerts = 0;
};

Result<EndpointInvestigation> investigateEndpoint(CaseStore &store, qint64 caseId, qint64 windowMs);
nlohmann::json toJson(const EndpointInvestigation &inv);

// "TA0008 - Lateral Movement" → {"TA0008", "Lateral Movement"}; "lateral-movement" → name too.
std::pair<QString, QString> splitTactic(const QString &text);

} // namespace causa
