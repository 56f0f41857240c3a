package io.aquifer.catalog;

/** Errors of the catalog, each with its SQLSTATE. */
public enum CatalogErrorCode {
  CATALOG_OBJECT_NOT_FOUND("42704"),
  /** A name taken by an object without a class of its own below (a catalog, a principal). */
  CATALOG_OBJECT_ALREADY_EXISTS("42710"),
  /** Databricks' classes for names taken by a table or view, schema, volume or function. */
  TABLE_OR_VIEW_ALREADY_EXISTS("42P07"),
  SCHEMA_ALREADY_EXISTS("42P06"),
  VOLUME_ALREADY_EXISTS("42000"),
  ROUTINE_ALREADY_EXISTS("42723"),
  /** DROP of a catalog or schema that still holds objects, without CASCADE. */
  CATALOG_OBJECT_NOT_EMPTY("2BP01"),
  /** A statement for one kind of object met another: DROP VIEW on a table, DROP TABLE on a view. */
  CATALOG_OBJECT_WRONG_KIND("42809"),
  INVALID_OBJECT_NAME("42602"),
  /** Adding a group to a group that it holds already, directly or through other groups. */
  GROUP_MEMBERSHIP_CYCLE("42000"),
  PERMISSION_DENIED("42501"),
  UNAUTHENTICATED("28000"),
  /** The catalog database could not be read or written. */
  CATALOG_STORE_ERROR("58000");

  private final String sqlState;

  CatalogErrorCode(String sqlState) {
    this.sqlState = sqlState;
  }

  public String sqlState() {
    return sqlState;
  }
}
