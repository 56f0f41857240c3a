-- The audit log and table lineage (issue 16), served as system.access.audit and
-- system.access.table_lineage. Times are microseconds since the epoch. request_params is a JSON
-- object of strings. Rows older than the retention (30 days) are deleted by the gateway.
CREATE TABLE audit_log (
  event_id          INTEGER PRIMARY KEY AUTOINCREMENT,
  event_time        INTEGER NOT NULL,
  service_name      TEXT NOT NULL,
  action_name       TEXT NOT NULL,
  user_name         TEXT,
  request_params    TEXT NOT NULL,
  status_code       INTEGER NOT NULL,
  error_message     TEXT,
  source_ip_address TEXT
);

CREATE INDEX audit_log_by_time ON audit_log (event_time);

CREATE TABLE table_lineage (
  lineage_id             INTEGER PRIMARY KEY AUTOINCREMENT,
  event_time             INTEGER NOT NULL,
  statement_id           TEXT NOT NULL,
  created_by             TEXT NOT NULL,
  source_table_full_name TEXT,
  target_table_full_name TEXT
);

CREATE INDEX table_lineage_by_time ON table_lineage (event_time);
