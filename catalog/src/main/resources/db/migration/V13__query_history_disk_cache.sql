-- Bytes a statement's scans read through the warehouse node's disk cache, as Databricks' query
-- metrics name them: read_cache_bytes (found in the cache) and read_remote_bytes (fetched from the
-- object store into it). Null for entries written before it and for statements that read no
-- object-store file through the cache (local tables, DDL, results from the result cache).
ALTER TABLE query_history ADD COLUMN read_cache_bytes INTEGER;
ALTER TABLE query_history ADD COLUMN read_remote_bytes INTEGER;
