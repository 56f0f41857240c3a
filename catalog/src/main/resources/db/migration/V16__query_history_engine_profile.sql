-- The engine's per-operator profile of a statement's query, kept for the query history page and
-- the history's profile call: JSON {"plan": logical plan outline, "profile": DuckDB's profile},
-- at most query-history-engine-profile-max-size bytes (larger ones are not kept). Null for entries
-- written before it, statements that ran no query on a warehouse, and with profiles turned off.
-- Listing the history never reads it; it goes with its row when the row is pruned.
ALTER TABLE query_history ADD COLUMN engine_profile TEXT;
