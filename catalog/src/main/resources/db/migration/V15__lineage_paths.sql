-- File sources and targets in table lineage (issue 16), as Databricks' source_path and
-- target_path: the path a statement read (COPY INTO's source, a read_files call) or wrote, as the
-- user wrote it (a /Volumes path or a URI below an external location). A row names a table, a
-- path, or both.
ALTER TABLE table_lineage ADD COLUMN source_path TEXT;

ALTER TABLE table_lineage ADD COLUMN target_path TEXT;
