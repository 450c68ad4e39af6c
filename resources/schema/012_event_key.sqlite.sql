-- Import speed (SPEC §12): the events' identity key becomes a 64-bit integer, the first 8 bytes
-- of the record's SHA-1 (was its 40-character hex text). The unique index on the key took a
-- random insert into a B-tree of ~50-byte text entries per event; 8-byte integers make that
-- index a third of the size. Two different records whose hashes share the first 8 bytes are
-- both kept: the importer compares the stored record and moves on to the next free key.
-- SQLite cannot change a column's type in place: the table is rebuilt, ids kept.
CREATE TABLE events_new (
    id {{ID}},
    event_key BIGINT NOT NULL UNIQUE,
    endpoint_id BIGINT REFERENCES endpoints(id),
    process_key TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT '',
    event_code INTEGER NOT NULL DEFAULT 0,
    channel TEXT NOT NULL DEFAULT '',
    ts BIGINT NOT NULL DEFAULT 0,
    summary TEXT NOT NULL DEFAULT '',
    source_file TEXT NOT NULL DEFAULT '',
    source_line BIGINT NOT NULL DEFAULT 0,
    data TEXT NOT NULL DEFAULT ''
);
-- A hex SHA-1 key keeps its first 16 digits as a two's-complement integer (as the importer
-- computes it); any other key (never written by an importer) takes the row's own id.
INSERT INTO events_new (id, event_key, endpoint_id, process_key, kind, event_code, channel, ts,
                        summary, source_file, source_line, data)
SELECT id,
       CASE WHEN length(event_key) = 40 AND lower(event_key) NOT GLOB '*[^0-9a-f]*' THEN
         ((instr('0123456789abcdef', substr(lower(event_key), 1, 1)) - 1) << 60)
         | ((instr('0123456789abcdef', substr(lower(event_key), 2, 1)) - 1) << 56)
         | ((instr('0123456789abcdef', substr(lower(event_key), 3, 1)) - 1) << 52)
         | ((instr('0123456789abcdef', substr(lower(event_key), 4, 1)) - 1) << 48)
         | ((instr('0123456789abcdef', substr(lower(event_key), 5, 1)) - 1) << 44)
         | ((instr('0123456789abcdef', substr(lower(event_key), 6, 1)) - 1) << 40)
         | ((instr('0123456789abcdef', substr(lower(event_key), 7, 1)) - 1) << 36)
         | ((instr('0123456789abcdef', substr(lower(event_key), 8, 1)) - 1) << 32)
         | ((instr('0123456789abcdef', substr(lower(event_key), 9, 1)) - 1) << 28)
         | ((instr('0123456789abcdef', substr(lower(event_key), 10, 1)) - 1) << 24)
         | ((instr('0123456789abcdef', substr(lower(event_key), 11, 1)) - 1) << 20)
         | ((instr('0123456789abcdef', substr(lower(event_key), 12, 1)) - 1) << 16)
         | ((instr('0123456789abcdef', substr(lower(event_key), 13, 1)) - 1) << 12)
         | ((instr('0123456789abcdef', substr(lower(event_key), 14, 1)) - 1) << 8)
         | ((instr('0123456789abcdef', substr(lower(event_key), 15, 1)) - 1) << 4)
         | (instr('0123456789abcdef', substr(lower(event_key), 16, 1)) - 1)
       ELSE id END,
       endpoint_id, process_key, kind, event_code, channel, ts, summary, source_file, source_line, data
FROM events;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
CREATE INDEX events_endpoint_time ON events(endpoint_id, ts);
-- No query looks processes up by their parent key (the forest and the investigation load a
-- host's processes by endpoint and link them in memory); the index cost every new process a
-- random insert into a B-tree of ~55-byte text keys.
DROP INDEX processes_parent;
