#pragma once

#include "result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <nlohmann/json_fwd.hpp>

namespace causa::js {

// Lenient readers for API fields that may be null, numbers, strings or arrays.
QString str(const nlohmann::json &obj, const char *key);
qint64 int64(const nlohmann::json &obj, const char *key, qint64 fallback = 0);
bool boolean(const nlohmann::json &obj, const char *key, bool fallback = false);
// "a, b", ["a","b"], "a" -> {"a","b"}; null/"N/A"/"None" dropped.
QStringList list(const nlohmann::json &obj, const char *key);
QString toQString(const nlohmann::json &value);
bool isPlaceholder(const QString &s);

// Finds the byte offset where nesting first exceeds maxDepth, or -1. Linear, no recursion,
// so hostile documents (200,000 open brackets) are refused before a parser sees them.
qint64 findExcessiveNesting(const char *data, qint64 size, int maxDepth);

// Parses a whole document with a clear error: "file: byte N: message".
Result<nlohmann::json> parseDocument(const QByteArray &bytes, const QString &fileName,
                                     int maxDepth = 256);

std::string toStd(const QString &s);

} // namespace causa::js
