-- Privileges granted on catalogs, schemas, tables and views (issue 16), as in Unity Catalog.
-- The securable is named by its lower-case parts; schema_name and table_name are '' where the
-- securable has no such part (tables and views share the TABLE securable type, as they share a
-- namespace). privilege is the SQL name: SELECT, USE CATALOG, ALL PRIVILEGES, ...; principal is a
-- user name or the built-in group 'account users' (everyone). Grants are removed with their object.
CREATE TABLE grants (
  securable_type TEXT NOT NULL CHECK (securable_type IN ('CATALOG', 'SCHEMA', 'TABLE')),
  catalog_name   TEXT NOT NULL,
  schema_name    TEXT NOT NULL,
  table_name     TEXT NOT NULL,
  principal      TEXT NOT NULL,
  privilege      TEXT NOT NULL,
  granted_by     TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  PRIMARY KEY (catalog_name, schema_name, table_name, principal, privilege)
);

CREATE INDEX grants_by_principal ON grants (principal);
