-- Import speed (issue 19: SPEC §12, 20,000 XDR alerts/s). An XDR import writes ~16 link rows per
-- alert (case_indicators, alert_processes), 128 per multi-row INSERT. Two changes, rows unchanged:
--  - WITHOUT ROWID: each table is its primary key's B-tree, one insert per row fewer (the rowid
--    table beside the key's index is gone);
--  - foreign keys DEFERRABLE INITIALLY DEFERRED: with them, and INSERT OR IGNORE (the import's
--    values are never NULL), a multi-row INSERT can no longer stop halfway, so SQLite keeps no
--    statement journal for it (a copy of every 64 KiB page the statement touches). A dangling
--    reference still fails the transaction, at COMMIT.
CREATE TABLE case_indicators_017 (
    case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    indicator_id BIGINT NOT NULL REFERENCES indicators(id) DEFERRABLE INITIALLY DEFERRED,
    context TEXT NOT NULL,
    as_written TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (case_id, indicator_id, context)
) WITHOUT ROWID;
INSERT INTO case_indicators_017 (case_id, indicator_id, context, as_written)
    SELECT case_id, indicator_id, context, as_written FROM case_indicators;
DROP TABLE case_indicators;
ALTER TABLE case_indicators_017 RENAME TO case_indicators;
CREATE INDEX case_indicators_indicator ON case_indicators(indicator_id);

CREATE TABLE alert_processes_017 (
    alert_id BIGINT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    role TEXT NOT NULL,
    process_id BIGINT NOT NULL REFERENCES processes(id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (alert_id, role)
) WITHOUT ROWID;
INSERT INTO alert_processes_017 (alert_id, role, process_id)
    SELECT alert_id, role, process_id FROM alert_processes;
DROP TABLE alert_processes;
ALTER TABLE alert_processes_017 RENAME TO alert_processes;
CREATE INDEX alert_processes_process ON alert_processes(process_id);
