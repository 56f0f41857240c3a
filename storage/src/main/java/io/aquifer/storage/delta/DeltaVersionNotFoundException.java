package io.aquifer.storage.delta;

import static java.util.Objects.requireNonNull;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;

/**
 * DELTA_VERSION_NOT_FOUND: a version or timestamp outside a table's log. {@link #detail()} says
 * what was asked and which versions exist, without the table's location, so that a caller who knows
 * the table by name can say "table main.s.t " + detail.
 */
public final class DeltaVersionNotFoundException extends StorageException {
  private final String detail;

  DeltaVersionNotFoundException(TableLocation table, String detail, Throwable cause) {
    super(StorageErrorCode.DELTA_VERSION_NOT_FOUND, "table " + table + " " + detail, cause);
    this.detail = requireNonNull(detail, "detail");
  }

  /** For example {@code "has no version 7: available versions are 0 to 3"}. */
  public String detail() {
    return detail;
  }

  /** The same failure, naming the table as the user knows it instead of its location. */
  public StorageException forTable(String tableName) {
    return new StorageException(
        StorageErrorCode.DELTA_VERSION_NOT_FOUND, "table " + tableName + " " + detail, this);
  }
}
