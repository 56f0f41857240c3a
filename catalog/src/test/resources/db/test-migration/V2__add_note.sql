-- A second migration, for tests only: adds a column and a row.
ALTER TABLE catalogs ADD COLUMN note TEXT;
INSERT INTO store_metadata (key, value) VALUES ('test_migration', 'applied');
