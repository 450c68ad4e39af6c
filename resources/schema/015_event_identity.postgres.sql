-- Import speed (SPEC §12): an event's identity becomes (ts, event_key), was event_key alone;
-- see 015_event_identity.sqlite.sql. Led by the time, new events land next to each other at
-- the unique index's end instead of at a random place.
ALTER TABLE events DROP CONSTRAINT events_event_key_key;
ALTER TABLE events ADD CONSTRAINT events_identity UNIQUE (ts, event_key);
