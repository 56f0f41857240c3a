-- Time a statement waited in its warehouse's queue, in milliseconds, as Databricks'
-- system.query.history names it: waiting for compute (the warehouse's clusters were starting) and
-- waiting at capacity (every cluster ran as many statements as its concurrency allows). Null for
-- entries written before it and for statements that needed no warehouse (DDL, SHOW, metadata).
ALTER TABLE query_history ADD COLUMN waiting_for_compute_duration_ms INTEGER;
ALTER TABLE query_history ADD COLUMN waiting_at_capacity_duration_ms INTEGER;
