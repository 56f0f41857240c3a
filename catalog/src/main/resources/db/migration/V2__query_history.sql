-- Query history: one row per statement that reached a final state (FINISHED, FAILED, CANCELED).
-- Column names follow Databricks' system.query.history where it has the column. Times are
-- microseconds since the epoch; durations milliseconds. Kept for a bounded count and age
-- (QueryHistoryStore.prune); nothing references these rows.
CREATE TABLE query_history (
  statement_id            TEXT PRIMARY KEY,
  session_id              TEXT NOT NULL,
  executed_by             TEXT NOT NULL,
  warehouse_id            TEXT NOT NULL,
  statement_text          TEXT NOT NULL,
  statement_type          TEXT,
  execution_status        TEXT NOT NULL CHECK (execution_status IN ('FINISHED', 'FAILED', 'CANCELED')),
  error_class             TEXT,
  error_sqlstate          TEXT,
  error_message           TEXT,
  client_application      TEXT,
  start_time              INTEGER NOT NULL,
  end_time                INTEGER NOT NULL,
  compilation_duration_ms INTEGER,
  execution_duration_ms   INTEGER,
  total_duration_ms       INTEGER NOT NULL,
  produced_rows           INTEGER,
  produced_bytes          INTEGER,
  written_rows            INTEGER,
  read_files              INTEGER,
  pruned_files            INTEGER,
  from_result_cache       INTEGER NOT NULL CHECK (from_result_cache IN (0, 1))
);

CREATE INDEX query_history_by_end_time ON query_history (end_time);
CREATE INDEX query_history_by_user ON query_history (executed_by, end_time);
