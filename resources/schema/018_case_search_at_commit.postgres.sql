-- Issue 19: see 018_case_search_at_commit.sqlite.sql. PostgreSQL searches cases with ILIKE and
-- has no index to defer; the column keeps one schema and one import for both stores.
ALTER TABLE cases ADD COLUMN search_pending INTEGER NOT NULL DEFAULT 0;
