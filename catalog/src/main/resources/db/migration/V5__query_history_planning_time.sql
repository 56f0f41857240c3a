-- Time spent planning a statement (parsing, validation, Delta snapshot binding, optimization), in
-- milliseconds; Aquifer's own column (Databricks' system.query.history has none). Null for entries
-- written before it and for statements that never reached planning.
ALTER TABLE query_history ADD COLUMN planning_duration_ms INTEGER;
