package io.aquifer.catalog;

/**
 * The kinds of catalog object privileges are granted on, top to bottom. Tables and views share
 * {@link #TABLE}, as they share one namespace per schema.
 */
public enum SecurableType {
  CATALOG,
  SCHEMA,
  TABLE;

  /** The number of name parts of an object of this kind: 1, 2 or 3. */
  public int nameParts() {
    return ordinal() + 1;
  }
}
