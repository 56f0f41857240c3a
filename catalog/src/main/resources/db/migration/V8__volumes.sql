-- Volumes (issue 17), as in Unity Catalog: directories of files of any format inside a schema,
-- read and written by path (/Volumes/<catalog>/<schema>/<volume>/...). A MANAGED volume's
-- directory is under the server's data directory and goes with the volume; an EXTERNAL volume's is
-- below an admin-defined external location and stays when the volume is dropped. Names are stored
-- in lower case; times are microseconds since the epoch (UTC). Like tables, a volume may outlive
-- no schema: the store checks the schema exists on create and refuses to drop a schema holding
-- volumes.
CREATE TABLE volumes (
  catalog_name     TEXT NOT NULL,
  schema_name      TEXT NOT NULL,
  name             TEXT NOT NULL,
  kind             TEXT NOT NULL CHECK (kind IN ('MANAGED', 'EXTERNAL')),
  owner            TEXT NOT NULL,
  comment          TEXT,
  storage_location TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  PRIMARY KEY (catalog_name, schema_name, name)
);
