-- The statement whose result a result-cache hit returned (Databricks' cache_origin_statement_id);
-- null for statements not answered from the result cache.
ALTER TABLE query_history ADD COLUMN cache_origin_statement_id TEXT;
