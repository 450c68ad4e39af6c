-- Trust boundaries (issue 18); see 016_trust.sqlite.sql for why each change.
ALTER TABLE approvals ADD COLUMN login TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
CREATE TABLE audit_heads (
    case_id BIGINT PRIMARY KEY,
    entries BIGINT NOT NULL,
    head TEXT NOT NULL,
    updated_at BIGINT NOT NULL DEFAULT 0
);
INSERT INTO audit_heads (case_id, entries, head, updated_at)
SELECT a.case_id, a.seq, a.hash, 0 FROM audit_log a
WHERE a.seq = (SELECT MAX(b.seq) FROM audit_log b WHERE b.case_id = a.case_id);
-- Function bodies stay on one line: the migration runner ends a statement at a line-final ";".
CREATE FUNCTION causa_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP; END $$;
CREATE FUNCTION causa_audit_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP <> 'UPDATE' THEN RAISE EXCEPTION 'audit heads only move forward: % refused', TG_OP; END IF; IF NEW.entries <= OLD.entries OR NEW.case_id <> OLD.case_id THEN RAISE EXCEPTION 'audit heads only move forward: % refused', TG_OP; END IF; RETURN NEW; END $$;
CREATE OR REPLACE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION causa_audit_append_only();
CREATE OR REPLACE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION causa_audit_append_only();
CREATE OR REPLACE TRIGGER audit_heads_forward BEFORE UPDATE OR DELETE ON audit_heads
    FOR EACH ROW EXECUTE FUNCTION causa_audit_head_forward();
CREATE OR REPLACE TRIGGER audit_heads_no_truncate BEFORE TRUNCATE ON audit_heads
    FOR EACH STATEMENT EXECUTE FUNCTION causa_audit_head_forward();
-- Privileges: a new table grants nothing to other logins, so only the owner could change rows,
-- and the triggers above hold the owner back too (a superuser can still drop them; the signed
-- head in each report is what catches that).
