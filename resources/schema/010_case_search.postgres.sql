-- Case queue ordering index (PostgreSQL searches with ILIKE; see 010_case_search.sqlite.sql).
CREATE INDEX cases_queue_order ON cases(severity DESC, created_at DESC, id DESC);
CREATE INDEX cases_created ON cases(created_at);
