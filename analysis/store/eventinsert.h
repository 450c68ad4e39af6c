#pragma once

#include "core/records.h"
#include "core/result.h"
#include "preparedstatement.h"

namespace causa::detail {

// The events table's 64-bit key for an event's identity (EventRecord::key): the first 8 bytes
// of a hex SHA-1 as a two's-complement integer (migration 012 converts stored keys the same
// way), or of the SHA-1 of any other key text.
qint64 eventKeyId(const QString &key);

// The statements one event insert needs: `insert` is "INSERT INTO events (event_key, endpoint_id,
// process_key, kind, event_code, channel, ts, summary, source_file, source_line, data) VALUES
// (…11…) ON CONFLICT (event_key) DO NOTHING", `storedData` is "SELECT data FROM events WHERE
// event_key = ?".
struct EventInsertStatements
{
    PreparedStatement *insert = nullptr;
    PreparedStatement *storedData = nullptr;
};

// Inserts an event under its 64-bit key. When the key is taken, the stored record is compared:
// the same record (re-import) adds nothing and returns false; a different record (the first
// 8 bytes of two hashes agree) is never dropped but stored under the next free key.
Result<bool> insertEvent(const EventInsertStatements &s, const EventRecord &e, const SqlValue &endpointId);

} // namespace causa::detail
