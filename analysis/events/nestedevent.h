#pragma once

#include <QByteArray>
#include <QString>

#include <nlohmann/json_fwd.hpp>

#include <utility>
#include <vector>

namespace causa::events {

// Whether `obj` is an event in the nested shape of evtx dumps and SigmaHQ's regression cases:
// {"Event": {"System": {...}, "EventData": {...}}}.
bool isNestedEvent(const nlohmann::json &obj);

// The nested shape as the flat object the importers store (the keys EvtxReader::flatten writes):
// System leaves (Provider_Name, EventID, TimeCreated, Channel, Computer, EventRecordID,
// ExecutionProcessID, UserID, ...), every EventData value under its own name, UserData leaves
// by tag name. Numbers stay numbers; nothing is dropped but attributes nobody reads.
nlohmann::json flattenNestedEvent(const nlohmann::json &obj);

// The [begin, end) byte ranges of the top-level JSON values in a text that holds several of
// them one after another (pretty-printed objects, or JSON lines). Stops with `problem` set at
// the first byte that starts no value or at an unterminated one; ranges found before are kept.
std::vector<std::pair<qsizetype, qsizetype>> splitJsonValues(const QByteArray &text,
                                                             QString *problem);

} // namespace causa::events
