-- The engine a warehouse runs its statements on, chosen when it is created: 'duckdb' (warehouse
-- nodes started by the gateway) or 'spark' (an existing Apache Spark cluster reached through Spark
-- Connect at spark_connect_url, sc://host:port[/;param=value...]). Existing warehouses are DuckDB.
ALTER TABLE warehouses ADD COLUMN engine TEXT NOT NULL DEFAULT 'duckdb' CHECK (engine IN ('duckdb', 'spark'));
ALTER TABLE warehouses ADD COLUMN spark_connect_url TEXT;
