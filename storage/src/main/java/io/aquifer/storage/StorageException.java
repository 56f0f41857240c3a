package io.aquifer.storage;

import static java.util.Objects.requireNonNull;

/** A storage failure a user can act on; the message names the table and the problem. */
public class StorageException extends RuntimeException {
  private final StorageErrorCode code;

  public StorageException(StorageErrorCode code, String message) {
    this(code, message, null);
  }

  public StorageException(StorageErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = requireNonNull(code, "code");
  }

  public StorageErrorCode code() {
    return code;
  }
}
