package io.aquifer.results;

import static java.util.Objects.requireNonNull;

/** A failure of the result store; the gateway translates it once into its error shape. */
public final class ResultStoreException extends RuntimeException {
  private final ResultStoreErrorCode code;

  public ResultStoreException(ResultStoreErrorCode code, String message) {
    this(code, message, null);
  }

  public ResultStoreException(ResultStoreErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = requireNonNull(code, "code");
  }

  public ResultStoreErrorCode code() {
    return code;
  }
}
