-- SQL warehouses (Databricks SQL's compute objects). A warehouse is a size and limits; its
-- clusters (node processes) live only in the running gateway. Names are unique among warehouses
-- not deleted; a deleted warehouse keeps its row (state DELETED) so its id is never reused.
-- Times are microseconds since the epoch.
CREATE TABLE warehouses (
  id                  TEXT PRIMARY KEY,
  name                TEXT NOT NULL,
  size                TEXT NOT NULL,
  min_num_clusters    INTEGER NOT NULL CHECK (min_num_clusters >= 1),
  max_num_clusters    INTEGER NOT NULL CHECK (max_num_clusters >= min_num_clusters),
  auto_stop_mins      INTEGER NOT NULL CHECK (auto_stop_mins >= 0),
  cluster_concurrency INTEGER NOT NULL CHECK (cluster_concurrency >= 1),
  creator_name        TEXT NOT NULL,
  state               TEXT NOT NULL CHECK (state IN
                        ('STARTING', 'RUNNING', 'STOPPING', 'STOPPED', 'DELETING', 'DELETED')),
  health              TEXT NOT NULL CHECK (health IN ('HEALTHY', 'DEGRADED', 'FAILED')),
  health_message      TEXT,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL
);

CREATE UNIQUE INDEX warehouses_by_live_name ON warehouses (lower(name)) WHERE state <> 'DELETED';

CREATE TABLE warehouse_tags (
  warehouse_id TEXT NOT NULL REFERENCES warehouses (id) ON DELETE CASCADE,
  tag_key      TEXT NOT NULL,
  tag_value    TEXT NOT NULL,
  PRIMARY KEY (warehouse_id, tag_key)
);
