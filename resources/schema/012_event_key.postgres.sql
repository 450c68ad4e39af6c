-- Import speed (SPEC §12): the events' identity key becomes a 64-bit integer, the first 8 bytes
-- of the record's SHA-1 (was its 40-character hex text); see 012_event_key.sqlite.sql. A hex
-- SHA-1 key keeps its first 16 digits as a two's-complement integer; any other key (never
-- written by an importer) takes the row's own id.
ALTER TABLE events ALTER COLUMN event_key TYPE BIGINT USING (
    CASE WHEN lower(event_key) ~ '^[0-9a-f]{40}$' THEN ('x' || substr(lower(event_key), 1, 16))::bit(64)::bigint
    ELSE id END);
-- No query looks processes up by their parent key (the forest and the investigation load a
-- host's processes by endpoint and link them in memory); the index cost every new process a
-- random insert into a B-tree of ~55-byte text keys.
DROP INDEX processes_parent;
