-- SQL user-defined functions (CREATE FUNCTION ... RETURN expr) and the row filters and column
-- masks of tables that name them (issue 16), as in Unity Catalog. Names are lower case.
-- parameters holds the parameter list as written ("region STRING, n INT"); body the returned
-- expression's text. A function is dropped with its schema; a table's filter and masks go with
-- the table and follow it when it is renamed.
CREATE TABLE functions (
  catalog_name TEXT NOT NULL,
  schema_name  TEXT NOT NULL,
  name         TEXT NOT NULL,
  parameters   TEXT NOT NULL,
  return_type  TEXT NOT NULL,
  body         TEXT NOT NULL,
  owner        TEXT NOT NULL,
  comment      TEXT,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (catalog_name, schema_name, name)
);

-- column_name '' is the table's row filter; any other is the mask of that column. columns are
-- the function's arguments after the masked column (the filter's ON columns, a mask's USING
-- COLUMNS), comma-separated lower-case names.
CREATE TABLE table_policies (
  catalog_name     TEXT NOT NULL,
  schema_name      TEXT NOT NULL,
  table_name       TEXT NOT NULL,
  column_name      TEXT NOT NULL,
  function_catalog TEXT NOT NULL,
  function_schema  TEXT NOT NULL,
  function_name    TEXT NOT NULL,
  columns          TEXT NOT NULL,
  PRIMARY KEY (catalog_name, schema_name, table_name, column_name)
);
