#pragma once

#include "storetypes.h"

#include <nlohmann/json.hpp>

namespace causa {

// Stable JSON forms of stored values (CLI output, reports, tests).
nlohmann::json toJson(const CaseSummary &c);
nlohmann::json toJson(const StoredAlert &a);
nlohmann::json toJson(const StoredProcess &p);
nlohmann::json toJson(const CaseIndicator &i);
nlohmann::json toJson(const StoreStats &s);
nlohmann::json toJson(const ImportCounts &c);
nlohmann::json toJson(const QStringList &list);
nlohmann::json toJson(const QString &s);

} // namespace causa
