package io.aquifer.catalog;

/**
 * The kinds of catalog object privileges are granted on. Tables and views share {@link #TABLE}, as
 * they share one namespace per schema; a {@link #FUNCTION} and a {@link #VOLUME} live in a schema
 * beside them, each in a namespace of its own. The {@link #METASTORE} holds the catalogs and has no
 * name; its privileges (CREATE CATALOG) are not inherited by what it holds.
 */
public enum SecurableType {
  CATALOG,
  SCHEMA,
  TABLE,
  FUNCTION,
  VOLUME,
  METASTORE;

  /** The number of name parts of an object of this kind: 0, 1, 2 or 3. */
  public int nameParts() {
    return switch (this) {
      case METASTORE -> 0;
      case CATALOG -> 1;
      case SCHEMA -> 2;
      case TABLE, FUNCTION, VOLUME -> 3;
    };
  }
}
