package io.aquifer.catalog;

/**
 * Where a table row stands in the two-phase create/drop protocol. Only {@link #ACTIVE} rows are
 * visible to {@link CatalogStore#getTable} and {@link CatalogStore#listTables}; all rows hold their
 * name.
 */
public enum TableState {
  /** The row exists, its Delta table may be only partly written. */
  CREATING,
  /** A visible table or view. */
  ACTIVE,
  /** The table was dropped; its directory may still exist. */
  DROPPING
}
