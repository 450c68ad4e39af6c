-- Full-text search over the case queue (SQLite FTS5), kept in sync by triggers.
-- PostgreSQL uses ILIKE over the same columns (store/sqldialect.cpp) and needs no migration.
CREATE VIRTUAL TABLE cases_fts USING fts5(title, hosts, users, source_ref, status, verdict,
    content='cases', content_rowid='id', tokenize="unicode61 tokenchars '-_.'");

INSERT INTO cases_fts(rowid, title, hosts, users, source_ref, status, verdict)
    SELECT id, title, hosts, users, source_ref, status, verdict FROM cases;

CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO cases_fts(rowid, title, hosts, users, source_ref, status, verdict)
        VALUES (new.id, new.title, new.hosts, new.users, new.source_ref, new.status, new.verdict);
END;

CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases BEGIN
    INSERT INTO cases_fts(cases_fts, rowid, title, hosts, users, source_ref, status, verdict)
        VALUES ('delete', old.id, old.title, old.hosts, old.users, old.source_ref, old.status, old.verdict);
END;

CREATE TRIGGER cases_fts_update AFTER UPDATE OF title, hosts, users, source_ref, status, verdict ON cases BEGIN
    INSERT INTO cases_fts(cases_fts, rowid, title, hosts, users, source_ref, status, verdict)
        VALUES ('delete', old.id, old.title, old.hosts, old.users, old.source_ref, old.status, old.verdict);
    INSERT INTO cases_fts(rowid, title, hosts, users, source_ref, status, verdict)
        VALUES (new.id, new.title, new.hosts, new.users, new.source_ref, new.status, new.verdict);
END;

CREATE INDEX cases_queue_order ON cases(severity DESC, created_at DESC, id DESC);
CREATE INDEX cases_created ON cases(created_at);
