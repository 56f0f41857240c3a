package io.aquifer.catalog;

import static java.util.Objects.requireNonNull;

/** A catalog failure a user can act on; the message names the object. */
public class CatalogException extends RuntimeException {
  private final CatalogErrorCode code;

  public CatalogException(CatalogErrorCode code, String message) {
    this(code, message, null);
  }

  public CatalogException(CatalogErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = requireNonNull(code, "code");
  }

  public CatalogErrorCode code() {
    return code;
  }
}
