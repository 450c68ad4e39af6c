#pragma once

#include "playbook/playbookengine.h"
#include "store/casestore.h"

#include <nlohmann/json.hpp>

#include <functional>

namespace causa::test {

// Imports the bundled sample incident after letting `mutate` edit its JSON (e.g. to make the
// PsExec alert blocked); returns the case id.
qint64 importSample(CaseStore &store,
                    const std::function<void(nlohmann::json &reply)> &mutate = {});

// Scripted answers for the stage services that the engine calls, so transition tests can set
// exactly what each analysis found. A field left unset keeps its hook empty ("unavailable").
struct ScriptedServices
{
    std::optional<QString> cmdVerdict; // "malicious", "suspicious", "benign"
    bool cmdFlag = false;              // one XSOAR flag set
    std::optional<int> high;           // additional high alerts
    int critical = 0;
    std::optional<int> huntHits;
    std::optional<std::map<QString, int>> scores; // indicator value -> DBot score
};
StageServices makeServices(CaseStore &store, const ScriptedServices &s);

PlaybookDefinition samplePlaybook();
QString stageState(const RunView &v, const QString &stageId);
const StageStateRecord *stage(const RunView &v, const QString &stageId);

} // namespace causa::test
