-- Enrichment and threat intelligence: PAP marking of intel entries (TLP is already there), so an
-- indicator that a feed shares as PAP:RED is never looked up outside the machine.
ALTER TABLE intel_entries ADD COLUMN pap TEXT NOT NULL DEFAULT '';
