#pragma once

#include "core/result.h"
#include "store/playbooktypes.h"

#include <QString>

#include <nlohmann/json.hpp>

namespace causa {

// What a connector did with one action: success, and a JSON result stored with the action
// (HTTP status, reply, remote action id, attempts, or the files written).
struct ConnectorOutcome
{
    bool succeeded = false;
    nlohmann::json result = nlohmann::json::object();
};

// Carries out approved response actions somewhere (Cortex XDR, an exported plan). Execute is
// called at most once per action; the engine guarantees it by claiming the action first.
class ActionConnector
{
public:
    virtual ~ActionConnector() = default;
    virtual QString name() const = 0;
    virtual bool supports(const QString &kind) const = 0;
    // Dry run: exactly what execute() would send or write, secrets redacted.
    virtual Result<nlohmann::json> preview(const ActionRecord &action) const = 0;
    virtual ConnectorOutcome execute(const ActionRecord &action) = 0;
};

} // namespace causa
