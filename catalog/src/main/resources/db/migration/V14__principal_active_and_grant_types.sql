-- Deactivated principals (issue 16): SCIM's active attribute of users and service principals.
-- A deactivated principal keeps its tokens, memberships, grants and ownerships, but its tokens are
-- refused on every front end until it is active again. Groups are always active.
ALTER TABLE principals ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));

-- Grants name their securable's type (issue 16): V6's check allowed CATALOG, SCHEMA and TABLE
-- only, so the grants of functions and volumes were TABLE rows whose table_name began with
-- 'function.' or 'volume.', and the metastore's were CATALOG rows with an empty catalog_name.
-- The table is rebuilt with every type (SQLite cannot change a check) and those rows rewritten;
-- the type joins the primary key, so a table and a function of one name keep their grants apart.
CREATE TABLE grants_v14 (
  securable_type TEXT NOT NULL
    CHECK (securable_type IN ('METASTORE', 'CATALOG', 'SCHEMA', 'TABLE', 'FUNCTION', 'VOLUME')),
  catalog_name   TEXT NOT NULL,
  schema_name    TEXT NOT NULL,
  table_name     TEXT NOT NULL,
  principal      TEXT NOT NULL,
  privilege      TEXT NOT NULL,
  granted_by     TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  PRIMARY KEY (securable_type, catalog_name, schema_name, table_name, principal, privilege)
);

INSERT INTO grants_v14 (securable_type, catalog_name, schema_name, table_name, principal,
    privilege, granted_by, created_at)
  SELECT
    CASE
      WHEN securable_type = 'TABLE' AND substr(table_name, 1, 9) = 'function.' THEN 'FUNCTION'
      WHEN securable_type = 'TABLE' AND substr(table_name, 1, 7) = 'volume.' THEN 'VOLUME'
      WHEN securable_type = 'CATALOG' AND catalog_name = '' THEN 'METASTORE'
      ELSE securable_type
    END,
    catalog_name,
    schema_name,
    CASE
      WHEN securable_type = 'TABLE' AND substr(table_name, 1, 9) = 'function.'
        THEN substr(table_name, 10)
      WHEN securable_type = 'TABLE' AND substr(table_name, 1, 7) = 'volume.'
        THEN substr(table_name, 8)
      ELSE table_name
    END,
    principal, privilege, granted_by, created_at
  FROM grants;

DROP TABLE grants;

ALTER TABLE grants_v14 RENAME TO grants;

CREATE INDEX grants_by_principal ON grants (principal);
