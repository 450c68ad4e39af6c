#pragma once

#include "core/records.h"

#include <nlohmann/json_fwd.hpp>

namespace simdjson::dom {
class object;
}

namespace causa::xdr {

// Maps one Cortex XDR alert object, in any API shape (incident extra data, fetched incident,
// get_alerts[_multi_events], get_alerts_by_filter_data "alert_fields"), to an AlertRecord.
AlertRecord mapAlert(const nlohmann::json &alert);
// The same for an alert simdjson parsed; both give the same record for the same JSON.
AlertRecord mapSimdAlert(simdjson::dom::object alert);
// Maps an incident object (reply.incident, or a fetched incident's top level) to a CaseRecord.
CaseRecord mapIncident(const nlohmann::json &incident);
// Indicators of the incident's file_artifacts / network_artifacts ({"data": [...]} or [...]).
std::vector<IndicatorRecord> mapArtifacts(const nlohmann::json &fileArtifacts,
                                          const nlohmann::json &networkArtifacts);
// True when the alert was blocked/prevented by the agent (playbook stage 1).
bool isBlocked(const QString &action, const QString &actionPretty);

} // namespace causa::xdr
