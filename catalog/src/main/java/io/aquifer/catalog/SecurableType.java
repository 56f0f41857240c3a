package io.aquifer.catalog;

/**
 * The kinds of catalog object privileges are granted on. Tables and views share {@link #TABLE}, as
 * they share one namespace per schema; a {@link #FUNCTION} lives in a schema beside them, in a
 * namespace of its own.
 */
public enum SecurableType {
  CATALOG,
  SCHEMA,
  TABLE,
  FUNCTION;

  /** The number of name parts of an object of this kind: 1, 2 or 3. */
  public int nameParts() {
    return switch (this) {
      case CATALOG -> 1;
      case SCHEMA -> 2;
      case TABLE, FUNCTION -> 3;
    };
  }
}
