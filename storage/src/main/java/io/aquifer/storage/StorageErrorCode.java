package io.aquifer.storage;

/** Errors of the storage layer, each with its SQLSTATE. */
public enum StorageErrorCode {
  /** No Delta table (no _delta_log) at the location. */
  DELTA_TABLE_NOT_FOUND("42P01"),
  /** A version or timestamp outside the table's history. */
  DELTA_VERSION_NOT_FOUND("22023"),
  /** The table needs a reader or writer feature or protocol version we do not support. */
  DELTA_UNSUPPORTED_PROTOCOL("0A000"),
  /** The log is damaged: missing or non-contiguous commits, unreadable checkpoint. */
  DELTA_LOG_CORRUPT("XX001"),
  /** A concurrent commit touched what this commit changes. */
  DELTA_COMMIT_CONFLICT("40001"),
  /** A table already exists at the location. */
  DELTA_TABLE_ALREADY_EXISTS("42P07"),
  /**
   * Delta refuses the table definition or change: an unknown or invalid {@code delta.*} table
   * property, a partition column missing from the schema or of a type that cannot partition, a
   * remove on an append-only table.
   */
  DELTA_CHANGE_REJECTED("42000"),
  /**
   * A column {@code DEFAULT} on a table without the {@code allowColumnDefaults} table feature
   * (Databricks' error class of that name).
   */
  WRONG_COLUMN_DEFAULTS_FOR_DELTA_FEATURE_NOT_ENABLED("0AKDE"),
  /** A file or directory of a file store that does not exist. */
  FILE_NOT_FOUND("42K03"),
  /** A file written without overwrite where one exists, or a directory where a file is wanted. */
  FILE_ALREADY_EXISTS("42K04"),
  /**
   * A file path that is not allowed: {@code ..} or {@code .} parts, empty parts, control
   * characters, or a symbolic link that leads out of the store's root.
   */
  INVALID_FILE_PATH("42K05"),
  /** A directory deleted while it still holds files. */
  DIRECTORY_NOT_EMPTY("42K04"),
  /** I/O failure reading or writing the object store. */
  STORAGE_IO_ERROR("58030");

  private final String sqlState;

  StorageErrorCode(String sqlState) {
    this.sqlState = sqlState;
  }

  public String sqlState() {
    return sqlState;
  }
}
