-- Import speed (issue 19): the case search index is written once per case, at the import's
-- commit, instead of at every INSERT INTO cases. A trigger that writes to cases_fts (a virtual
-- table) makes SQLite keep a statement journal for each statement that fires it: for the one-row
-- INSERT of each new case that journal cost more than the rest of the case's rows together.
-- An import inserts its new cases with search_pending = 1 (not indexed) and its commit sets it
-- back to 0 in one multi-row UPDATE (ImportSession::updateCases), which indexes them. A case
-- with search_pending = 1 never outlives its transaction; every other writer leaves it 0, and
-- the triggers then do what migration 010's did.
ALTER TABLE cases ADD COLUMN search_pending INTEGER NOT NULL DEFAULT 0;

DROP TRIGGER cases_fts_insert;
DROP TRIGGER cases_fts_delete;
DROP TRIGGER cases_fts_update;

CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases WHEN new.search_pending = 0 BEGIN
    INSERT INTO cases_fts(rowid, title, hosts, users, source_ref, status, verdict)
        VALUES (new.id, new.title, new.hosts, new.users, new.source_ref, new.status, new.verdict);
END;

CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases WHEN old.search_pending = 0 BEGIN
    INSERT INTO cases_fts(cases_fts, rowid, title, hosts, users, source_ref, status, verdict)
        VALUES ('delete', old.id, old.title, old.hosts, old.users, old.source_ref, old.status, old.verdict);
END;

-- An indexed case that changes: its old terms out, its new terms in (as before).
CREATE TRIGGER cases_fts_update AFTER UPDATE OF title, hosts, users, source_ref, status, verdict, search_pending ON cases
WHEN old.search_pending = 0 AND new.search_pending = 0 BEGIN
    INSERT INTO cases_fts(cases_fts, rowid, title, hosts, users, source_ref, status, verdict)
        VALUES ('delete', old.id, old.title, old.hosts, old.users, old.source_ref, old.status, old.verdict);
    INSERT INTO cases_fts(rowid, title, hosts, users, source_ref, status, verdict)
        VALUES (new.id, new.title, new.hosts, new.users, new.source_ref, new.status, new.verdict);
END;

-- A pending case is indexed: its terms go in (it had none).
CREATE TRIGGER cases_fts_index AFTER UPDATE OF search_pending ON cases
WHEN old.search_pending <> 0 AND new.search_pending = 0 BEGIN
    INSERT INTO cases_fts(rowid, title, hosts, users, source_ref, status, verdict)
        VALUES (new.id, new.title, new.hosts, new.users, new.source_ref, new.status, new.verdict);
END;

-- An indexed case made pending again: its terms come out.
CREATE TRIGGER cases_fts_unindex AFTER UPDATE OF search_pending ON cases
WHEN old.search_pending = 0 AND new.search_pending <> 0 BEGIN
    INSERT INTO cases_fts(cases_fts, rowid, title, hosts, users, source_ref, status, verdict)
        VALUES ('delete', old.id, old.title, old.hosts, old.users, old.source_ref, old.status, old.verdict);
END;
