package io.aquifer.catalog;

/** What a table-like object is. */
public enum TableKind {
  /** Aquifer owns the Delta table and its directory; DROP deletes the data. */
  MANAGED,
  /** A Delta table at a location the user gave; DROP leaves the data where it is. */
  EXTERNAL,
  /** A stored query. */
  VIEW;

  /** Whether objects of this kind have a storage location (and so a side effect on create/drop). */
  public boolean hasLocation() {
    return this != VIEW;
  }
}
