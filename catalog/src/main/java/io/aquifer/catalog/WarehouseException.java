package io.aquifer.catalog;

import static java.util.Objects.requireNonNull;

/** A warehouse request that cannot be done; the message names the warehouse and the limit. */
public class WarehouseException extends RuntimeException {
  private final WarehouseErrorCode code;

  public WarehouseException(WarehouseErrorCode code, String message) {
    super(message);
    this.code = requireNonNull(code, "code");
  }

  public WarehouseErrorCode code() {
    return code;
  }
}
