#pragma once

#include "core/result.h"
#include "processforest.h"

#include <nlohmann/json_fwd.hpp>

#include <vector>

namespace causa {

class CaseStore;

// A forest with the roots worth showing: for a case, the trees that hold its alert processes.
struct ScopedForest
{
    ProcessForest forest;
    std::vector<int> roots;
    QStringList hosts;
};

Result<ScopedForest> forestForCase(CaseStore &store, qint64 caseId);
Result<ScopedForest> forestForHost(CaseStore &store, const QString &host);

// Nested JSON: image, pid, user, start_time, command_line, signature_status, signature_vendor,
// badges[], alerts[], network[], pipes[], files[], services[], registry[], children[].
nlohmann::json toJson(const ProcessForest &forest, const std::vector<int> &roots);
nlohmann::json nodeToJson(const ProcessForest &forest, int index, int depthLeft = 1000);
// Indented text tree, one process per line.
QString toText(const ProcessForest &forest, const std::vector<int> &roots, int commandWidth = 100);

} // namespace causa
