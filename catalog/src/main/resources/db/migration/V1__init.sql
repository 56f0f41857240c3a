-- Aquifer catalog schema, version 1: catalogs, schemas, tables and views, principals and
-- personal access tokens. Times are microseconds since the epoch (UTC). Object names are stored
-- in lower case. Owners are principal names; grants will refer to the same names.
-- Portable SQL only (SQLite now, PostgreSQL later): TEXT, INTEGER, BLOB, CHECK, partial indexes.

CREATE TABLE store_metadata (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE catalogs (
  name       TEXT PRIMARY KEY,
  owner      TEXT NOT NULL,
  comment    TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE schemas (
  catalog_name TEXT NOT NULL REFERENCES catalogs (name),
  name         TEXT NOT NULL,
  owner        TEXT NOT NULL,
  comment      TEXT,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (catalog_name, name)
);

-- Tables and views share one namespace per schema. Only ACTIVE rows are visible; CREATING and
-- DROPPING rows belong to the two-phase create/drop of a table's directory, and still hold their
-- name. A DROPPING row may outlive its schema (DROP SCHEMA ... CASCADE), so there is no foreign
-- key to schemas: the store checks the schema exists when it creates a row.
CREATE TABLE tables (
  catalog_name TEXT NOT NULL,
  schema_name  TEXT NOT NULL,
  name         TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('MANAGED', 'EXTERNAL', 'VIEW')),
  state        TEXT NOT NULL CHECK (state IN ('CREATING', 'ACTIVE', 'DROPPING')),
  owner        TEXT NOT NULL,
  comment      TEXT,
  location     TEXT,
  view_sql     TEXT,
  view_catalog TEXT,
  view_schema  TEXT,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (catalog_name, schema_name, name),
  CHECK ((kind = 'VIEW') = (location IS NULL)),
  CHECK ((kind = 'VIEW') = (view_sql IS NOT NULL AND view_catalog IS NOT NULL AND view_schema IS NOT NULL)),
  CHECK (kind <> 'VIEW' OR state = 'ACTIVE')
);

CREATE INDEX tables_pending ON tables (state) WHERE state <> 'ACTIVE';

CREATE TABLE table_properties (
  catalog_name TEXT NOT NULL,
  schema_name  TEXT NOT NULL,
  table_name   TEXT NOT NULL,
  key          TEXT NOT NULL,
  value        TEXT NOT NULL,
  PRIMARY KEY (catalog_name, schema_name, table_name, key),
  FOREIGN KEY (catalog_name, schema_name, table_name)
    REFERENCES tables (catalog_name, schema_name, name) ON DELETE CASCADE
);

CREATE TABLE principals (
  name       TEXT PRIMARY KEY,
  admin      INTEGER NOT NULL CHECK (admin IN (0, 1)),
  created_at INTEGER NOT NULL
);

-- Personal access tokens: only the SHA-256 of the token is kept, never the token.
CREATE TABLE access_tokens (
  id             TEXT PRIMARY KEY,
  principal_name TEXT NOT NULL REFERENCES principals (name) ON DELETE CASCADE,
  token_sha256   BLOB NOT NULL UNIQUE,
  comment        TEXT,
  created_at     INTEGER NOT NULL,
  expires_at     INTEGER,
  revoked_at     INTEGER
);

CREATE INDEX access_tokens_by_principal ON access_tokens (principal_name);
