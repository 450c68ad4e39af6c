-- The vocabulary of the case search index: every term and how many cases hold it. A word typed
-- in the queue filter is a prefix; the store expands it here to the terms it stands for, so a
-- word that matches most cases is counted from this table and checked per row in queue order
-- instead of materialising every match (store/casesearch.cpp).
CREATE VIRTUAL TABLE cases_vocab USING fts5vocab(cases_fts, 'row');
