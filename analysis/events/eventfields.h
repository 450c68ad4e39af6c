#pragma once

#include <QString>

#include <nlohmann/json_fwd.hpp>

#include <string_view>

namespace causa::events {

// Small, allocation-light readers for flat Windows event objects (the exporters write every
// EventData field as a top-level key, as a string or a number).
const nlohmann::json *field(const nlohmann::json &obj, const char *key);
QString text(const nlohmann::json &obj, const char *key);
std::string_view view(const nlohmann::json &obj, const char *key);
// Decimal ("7256", 7256) or hex ("0x1c58", "0x0000000000000c24"); -1 when absent or invalid.
qint64 pidValue(const nlohmann::json &obj, const char *key);
qint64 parseNumber(std::string_view s);

// A time read from an event's text: epoch ms (0 when the text is not a time), and whether the
// text named its zone ('Z', "+02:00", "-0400"). A named offset is applied (the time is UTC);
// without a zone the time is as the exporter wrote it, UTC or the host's local time.
struct TimeText
{
    qint64 ms = 0;
    bool zoned = false;
};

// "2020-10-19 07:30:46.251", "2021-04-21 09:40:32.343355", "2020-09-20T16:16:39.625Z",
// "2020-10-19T03:30:46-04:00". Written by hand: QDateTime parsing dominated the import profile.
TimeText parseTime(std::string_view s);
// parseTime(s).ms.
qint64 parseTimeMs(std::string_view s);

// Security/System insertion strings and Sysmon registry values double '%' ("%%COMSPEC%%");
// "%%1833"-style codes are unresolved message ids and are left for decodeMessageCodes.
QString undoublePercent(const QString &s);
// Replaces known "%%NNNN" message codes with their text ("%%4417" → "WriteData").
QString decodeMessageCodes(const QString &s);

QString fileNameOf(const QString &path);

} // namespace causa::events
