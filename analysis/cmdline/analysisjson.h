#pragma once

#include "analysisresult.h"

#include <string>

namespace causa {

// Writes the SPEC §6 object of an analysis straight to text, byte for byte what
// toJson(result).dump(-1, ' ', false, replace) gives (keys in the DOM's sorted order), without
// building the DOM: the `analyze --jsonl` stream spends its time analysing, not allocating
// tree nodes. line >= 0 adds the "line" key the JSON-lines stream numbers its objects with.
void appendAnalysisJson(std::string *out, const AnalysisResult &result, qint64 line = -1);
// The same for errorJson(commandLine, error) (plus "line" when line >= 0).
void appendErrorJson(std::string *out, const QString &commandLine, const QString &error,
                     qint64 line = -1);

} // namespace causa
