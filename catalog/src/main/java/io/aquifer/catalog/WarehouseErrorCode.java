package io.aquifer.catalog;

/**
 * Errors of warehouse management, named as the Databricks Warehouses API names them, each with its
 * SQLSTATE.
 */
public enum WarehouseErrorCode {
  /** A size, cluster count, auto-stop, concurrency, name or tag out of range. */
  INVALID_PARAMETER_VALUE("22023"),
  /** No warehouse with this id or name (or it was deleted). */
  RESOURCE_DOES_NOT_EXIST("42704"),
  /** Another warehouse already has this name. */
  RESOURCE_ALREADY_EXISTS("42710");

  private final String sqlState;

  WarehouseErrorCode(String sqlState) {
    this.sqlState = sqlState;
  }

  public String sqlState() {
    return sqlState;
  }

  public WarehouseException exception(String message) {
    return new WarehouseException(this, message);
  }
}
