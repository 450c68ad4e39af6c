#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

namespace causa::intel {

// Reads and parses a whole intel JSON document (MISP, STIX) with a size cap and clear errors.
Result<nlohmann::json> readJsonDocument(const QString &path);

} // namespace causa::intel
