-- Trust boundaries (issue 18).
-- Approvals keep, beside the typed analyst name, the identity the store can vouch for (the
-- operating-system user here, the database login on PostgreSQL).
ALTER TABLE approvals ADD COLUMN login TEXT NOT NULL DEFAULT '';
-- Entries written from now on hash length-prefixed fields (format 2), so text cannot move
-- from one field into the next without changing the hash; format 1 entries keep verifying
-- with the separator encoding they were written with.
ALTER TABLE audit_log ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
-- Each case's chain head (last seq and its hash), kept beside the rows: truncating the tail or
-- deleting a whole chain leaves a head that no longer matches.
CREATE TABLE audit_heads (
    case_id BIGINT PRIMARY KEY,
    entries BIGINT NOT NULL,
    head TEXT NOT NULL,
    updated_at BIGINT NOT NULL DEFAULT 0
);
INSERT INTO audit_heads (case_id, entries, head, updated_at)
SELECT a.case_id, a.seq, a.hash, 0 FROM audit_log a
WHERE a.seq = (SELECT MAX(b.seq) FROM audit_log b WHERE b.case_id = a.case_id);
-- Append-only where the store can enforce it.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE refused');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: DELETE refused');
END;
CREATE TRIGGER audit_heads_no_delete BEFORE DELETE ON audit_heads
BEGIN
    SELECT RAISE(ABORT, 'audit heads only move forward: DELETE refused');
END;
CREATE TRIGGER audit_heads_forward BEFORE UPDATE ON audit_heads
WHEN NEW.entries <= OLD.entries OR NEW.case_id <> OLD.case_id
BEGIN
    SELECT RAISE(ABORT, 'audit heads only move forward');
END;
