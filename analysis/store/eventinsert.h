#pragma once

#include "core/records.h"
#include "core/result.h"
#include "preparedstatement.h"

namespace causa::detail {

// The events table's 64-bit key for an event's identity (EventRecord::key): the first 8 bytes
// of a hex SHA-1 as a two's-complement integer (migration 012 converts stored keys the same
// way), or of the SHA-1 of any other key text.
qint64 eventKeyId(const QString &key);

// The statements one event insert needs, prepared from the two texts below. An event's identity
// in the store is (ts, event_key) (migration 015).
const QString &insertEventSql();
const QString &storedEventDataSql();

struct EventInsertStatements
{
    PreparedStatement *insert = nullptr;
    PreparedStatement *storedData = nullptr;
};

// Inserts an event under its time and 64-bit key. When both are taken, the stored record is
// compared: the same record (re-import) adds nothing and returns false; a different record (at
// the same time, the first 8 bytes of two hashes agree) is never dropped but stored under the
// next free key.
Result<bool> insertEvent(const EventInsertStatements &s, const EventRecord &e,
                         const SqlValue &endpointId);

} // namespace causa::detail
