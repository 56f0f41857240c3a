package io.aquifer.gateway;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The gateway's own error codes, each with its SQLSTATE and category: the statement lifecycle, the
 * statements the gateway executes itself, and the protocol pieces every front end shares. Errors of
 * the other areas (planner, catalog, storage, engine, result store) keep their area's code and are
 * translated once in {@code GatewayErrors}. A front end maps the {@link ErrorCategory} once to its
 * wire form; it never spells an error class of its own.
 */
public enum GatewayErrorCode {
  // ---- lifecycle ----
  /** A failure nobody foresaw; the log has the stack trace, under the statement id. */
  INTERNAL_ERROR("XX000", ErrorCategory.INTERNAL),
  /** Canceled by its client, another session of the same principal, or an admin. */
  QUERY_CANCELED("57014", ErrorCategory.CANCELLED),
  /** Ran longer than the session's STATEMENT_TIMEOUT (or the server default) and was canceled. */
  STATEMENT_TIMEOUT("57014", ErrorCategory.CANCELLED),
  /** No usable credentials, or credentials that do not check out. */
  UNAUTHENTICATED("28000", ErrorCategory.UNAUTHENTICATED),
  /** A statement id that is unknown, forgotten, or not the caller's. */
  STATEMENT_NOT_FOUND("42000", ErrorCategory.NOT_FOUND),
  /** Rows were asked of a statement that returns none. */
  STATEMENT_HAS_NO_RESULT("24000", ErrorCategory.INVALID_ARGUMENT),
  /** The statement nests too deeply to be planned. */
  STATEMENT_TOO_COMPLEX("54001", ErrorCategory.INVALID_ARGUMENT),
  /** A session setting with an unknown name or a value out of range. */
  INVALID_SETTING("22023", ErrorCategory.INVALID_ARGUMENT),

  // ---- statements the gateway executes ----
  /** A Delta commit lost to a concurrent one (Databricks' class for a write-write conflict). */
  DELTA_CONCURRENT_WRITE("2D521", ErrorCategory.CONFLICT),
  /** The caller may not do this (until grants exist: admin-only and owner-only operations). */
  PERMISSION_DENIED("42501", ErrorCategory.PERMISSION_DENIED),
  /** GRANT or REVOKE to a principal that is neither a user nor a known group. */
  PRINCIPAL_DOES_NOT_EXIST("42704", ErrorCategory.NOT_FOUND),
  /** CREATE GROUP with the name of an existing user, service principal or group. */
  PRINCIPAL_ALREADY_EXISTS("42710", ErrorCategory.ALREADY_EXISTS),
  /** A REST resource (an access token) that does not exist, or not for the caller. */
  RESOURCE_DOES_NOT_EXIST("42704", ErrorCategory.NOT_FOUND),
  /** A privilege granted on a kind of object it does not apply to (CREATE SCHEMA on a table). */
  PRIVILEGE_NOT_APPLICABLE("42000", ErrorCategory.INVALID_ARGUMENT),
  INVALID_IDENTIFIER("42602", ErrorCategory.INVALID_ARGUMENT),
  COLUMN_ALREADY_EXISTS("42711", ErrorCategory.INVALID_ARGUMENT),
  PARTITION_COLUMN_NOT_FOUND("42703", ErrorCategory.INVALID_ARGUMENT),
  UNRESOLVED_COLUMN("42703", ErrorCategory.INVALID_ARGUMENT),
  DELTA_TABLE_NOT_FOUND("42P01", ErrorCategory.NOT_FOUND),
  DELTA_CREATE_TABLE_SCHEME_MISMATCH("42KD7", ErrorCategory.INVALID_ARGUMENT),
  TABLE_OR_VIEW_NOT_FOUND("42P01", ErrorCategory.NOT_FOUND),
  /** CREATE TEMPORARY VIEW of a name the session's temporary views already hold. */
  TEMP_TABLE_OR_VIEW_ALREADY_EXISTS("42P07", ErrorCategory.ALREADY_EXISTS),
  /** A temporary view's name has one part: no catalog or schema. */
  TEMP_VIEW_NAME_TOO_MANY_NAME_PARTS("428EK", ErrorCategory.INVALID_ARGUMENT),
  /** A view in the catalog cannot read a session's temporary view. */
  INVALID_TEMP_OBJ_REFERENCE("42K0F", ErrorCategory.INVALID_ARGUMENT),
  /** DESCRIBE FUNCTION of a name that is not a known function. */
  UNRESOLVED_ROUTINE("42883", ErrorCategory.NOT_FOUND),
  /** DROP FUNCTION, SET ROW FILTER or SET MASK naming a SQL function that does not exist. */
  ROUTINE_NOT_FOUND("42883", ErrorCategory.NOT_FOUND),
  /** CREATE FUNCTION without OR REPLACE or IF NOT EXISTS naming an existing function. */
  ROUTINE_ALREADY_EXISTS("42723", ErrorCategory.ALREADY_EXISTS),
  /** A row filter or column mask passing more or fewer columns than its function takes. */
  WRONG_NUM_ARGS("42605", ErrorCategory.INVALID_ARGUMENT),
  WRONG_OBJECT_KIND("42809", ErrorCategory.INVALID_ARGUMENT),
  EXPECT_TABLE_NOT_VIEW("42809", ErrorCategory.INVALID_ARGUMENT),
  /** SHOW PARTITIONS of a Delta table that has no partition columns. */
  DELTA_SHOW_PARTITION_IN_NON_PARTITIONED_TABLE("42809", ErrorCategory.INVALID_ARGUMENT),
  INDEX_NOT_FOUND("42704", ErrorCategory.NOT_FOUND),
  INVALID_VIEW_TEXT("42000", ErrorCategory.INVALID_ARGUMENT),
  DUPLICATE_ASSIGNMENT("42701", ErrorCategory.INVALID_ARGUMENT),
  /** MERGE: a target row that two source rows match and a WHEN MATCHED clause would change. */
  DELTA_MULTIPLE_SOURCE_ROW_MATCHING_TARGET_ROW_IN_MERGE("21506", ErrorCategory.INVALID_ARGUMENT),
  /** MERGE's UPDATE SET * or INSERT * with a source that lacks a column of the target. */
  DELTA_MERGE_UNRESOLVED_EXPRESSION("42601", ErrorCategory.INVALID_ARGUMENT),
  /** MERGE: a WHEN MATCHED clause without a condition before another WHEN MATCHED clause. */
  NON_LAST_MATCHED_CLAUSE_OMIT_CONDITION("42613", ErrorCategory.INVALID_ARGUMENT),
  /** MERGE: a WHEN NOT MATCHED [BY TARGET] clause without a condition before another one. */
  NON_LAST_NOT_MATCHED_BY_TARGET_CLAUSE_OMIT_CONDITION("42613", ErrorCategory.INVALID_ARGUMENT),
  /** MERGE: a WHEN NOT MATCHED BY SOURCE clause without a condition before another one. */
  NON_LAST_NOT_MATCHED_BY_SOURCE_CLAUSE_OMIT_CONDITION("42613", ErrorCategory.INVALID_ARGUMENT),
  /** A catalog that does not exist or is not visible to the caller. */
  CATALOG_NOT_FOUND("42704", ErrorCategory.NOT_FOUND),
  /** CREATE CATALOG of a name that is taken (also the reserved system catalog). */
  CATALOG_ALREADY_EXISTS("42710", ErrorCategory.ALREADY_EXISTS),
  /** A schema that does not exist or is not visible to the caller. */
  SCHEMA_NOT_FOUND("3F000", ErrorCategory.NOT_FOUND),
  /** A table LOCATION that is not a usable directory URI. */
  INVALID_LOCATION("42K05", ErrorCategory.INVALID_ARGUMENT),
  /** A table LOCATION outside the allowed external locations. */
  LOCATION_NOT_ALLOWED("42501", ErrorCategory.PERMISSION_DENIED),
  UNBOUND_PARAMETER("42000", ErrorCategory.INVALID_ARGUMENT),
  NOT_A_QUERY("42000", ErrorCategory.INVALID_ARGUMENT),
  /** ALTER TABLE ADD COLUMNS / RENAME COLUMN to a name the table has. */
  FIELD_ALREADY_EXISTS("42710", ErrorCategory.INVALID_ARGUMENT),
  /** RENAME COLUMN on a table without column mapping (Databricks' class and advice). */
  DELTA_UNSUPPORTED_RENAME_COLUMN("0AKDC", ErrorCategory.INVALID_ARGUMENT),
  /** DROP COLUMN on a table without column mapping (Databricks' class and advice). */
  DELTA_UNSUPPORTED_DROP_COLUMN("0AKDC", ErrorCategory.INVALID_ARGUMENT),
  /** DROP COLUMN of a partition column. */
  DELTA_UNSUPPORTED_DROP_PARTITION_COLUMN("42000", ErrorCategory.INVALID_ARGUMENT),
  /** PARTITIONED BY a column whose type Delta cannot partition by (ARRAY, MAP, STRUCT, BINARY). */
  DELTA_INVALID_PARTITION_COLUMN_TYPE("42996", ErrorCategory.INVALID_ARGUMENT),
  /** PARTITIONED BY every column of the table: the files would hold no column. */
  DELTA_CANNOT_USE_ALL_COLUMNS_FOR_PARTITION("428FT", ErrorCategory.INVALID_ARGUMENT),
  /** DROP COLUMN of every column of a table. */
  DELTA_DROP_COLUMN_ON_SINGLE_FIELD_SCHEMA("0AKDC", ErrorCategory.INVALID_ARGUMENT),
  /** ALTER COLUMN to a type that is not a widening Delta allows, or SET NOT NULL. */
  NOT_SUPPORTED_CHANGE_COLUMN("0AKD0", ErrorCategory.INVALID_ARGUMENT),
  /** UNSET TBLPROPERTIES of a key the table does not have, without IF EXISTS. */
  UNSET_NONEXISTENT_PROPERTIES("42K0J", ErrorCategory.INVALID_ARGUMENT),
  /** ADD CONSTRAINT of a name the table's constraints already have. */
  CONSTRAINT_ALREADY_EXISTS("42710", ErrorCategory.INVALID_ARGUMENT),
  /** DROP CONSTRAINT of a name the table has no constraint of (without IF EXISTS). */
  DELTA_CONSTRAINT_DOES_NOT_EXIST("42704", ErrorCategory.INVALID_ARGUMENT),
  /** ADD CONSTRAINT whose rows already violate it: nothing is committed. */
  DELTA_NEW_CHECK_CONSTRAINT_VIOLATION("23512", ErrorCategory.INVALID_ARGUMENT),
  /** A CHECK constraint whose expression is not BOOLEAN. */
  DELTA_NON_BOOLEAN_CHECK_CONSTRAINT("42621", ErrorCategory.INVALID_ARGUMENT),
  /** A CHECK constraint that is not deterministic, holds a subquery or an aggregate. */
  INVALID_CHECK_CONSTRAINT("42621", ErrorCategory.INVALID_ARGUMENT),
  /** A generated column's expression that names an unknown or another generated column. */
  DELTA_INVALID_GENERATED_COLUMN_REFERENCES("42621", ErrorCategory.INVALID_ARGUMENT),
  /** A generated column's expression that is not deterministic. */
  DELTA_NON_DETERMINISTIC_EXPRESSION_IN_GENERATED_COLUMN("42621", ErrorCategory.INVALID_ARGUMENT),
  /** A generated column's expression with an aggregate function. */
  DELTA_AGGREGATE_IN_GENERATED_COLUMN("42621", ErrorCategory.INVALID_ARGUMENT),
  /** A generated column's expression Delta does not allow (a subquery, not an expression). */
  DELTA_UNSUPPORTED_EXPRESSION_GENERATED_COLUMN("42621", ErrorCategory.INVALID_ARGUMENT),
  /** A generated column whose expression's type is not the column's. */
  DELTA_GENERATED_COLUMNS_EXPR_TYPE_MISMATCH("42K09", ErrorCategory.INVALID_ARGUMENT),
  /** A table property change Delta refuses (e.g. column mapping mode back to none). */
  DELTA_INVALID_TABLE_PROPERTY_CHANGE("42000", ErrorCategory.INVALID_ARGUMENT),

  // ---- protocol pieces the front ends share ----
  /** No token, and no user and password. */
  MISSING_CREDENTIALS("28000", ErrorCategory.UNAUTHENTICATED),
  /** A prepared-statement handle or a ticket that is unknown, closed, or not the caller's. */
  INVALID_HANDLE("HY000", ErrorCategory.NOT_FOUND),
  /** A connection id that is not open (closed, idle too long, server restarted). */
  CONNECTION_NOT_FOUND("08003", ErrorCategory.NOT_FOUND),
  /** A connection id that is already open. */
  CONNECTION_ALREADY_OPEN("08002", ErrorCategory.ALREADY_EXISTS),
  /** Execute on a statement that was never prepared. */
  STATEMENT_NOT_PREPARED("HY010", ErrorCategory.INVALID_ARGUMENT),
  /** A fetch orientation other than forward or from the start (results are read forward). */
  FETCH_ORIENTATION_NOT_SUPPORTED("HY106", ErrorCategory.UNIMPLEMENTED),
  /** Fetch on a statement without an open result, or not at the result's position. */
  NO_OPEN_RESULT("24000", ErrorCategory.INVALID_ARGUMENT),
  /** A request the protocol allows but Aquifer does not support (transactions, Substrait). */
  UNSUPPORTED_FEATURE("0A000", ErrorCategory.UNIMPLEMENTED),
  /**
   * A statement Databricks refuses on a table with a row filter (INSERT OVERWRITE, TRUNCATE): it
   * would remove rows the caller cannot see.
   */
  ROW_LEVEL_SECURITY_FEATURE_NOT_SUPPORTED("0A000", ErrorCategory.UNIMPLEMENTED),
  /** A parameter value of a type Aquifer has no SQL type for. */
  UNSUPPORTED_PARAMETER_TYPE("0A000", ErrorCategory.INVALID_ARGUMENT),
  /** Parameters that do not fit the statement (row count, column count). */
  INVALID_PARAMETERS("07001", ErrorCategory.INVALID_ARGUMENT),
  /** A statement that returns rows was sent as an update. */
  STATEMENT_RETURNS_ROWS("42000", ErrorCategory.INVALID_ARGUMENT),
  /** A blank catalog or schema name. */
  INVALID_NAME("42602", ErrorCategory.INVALID_ARGUMENT),
  /** A name pattern that is too long. */
  INVALID_PATTERN("22025", ErrorCategory.INVALID_ARGUMENT),
  /** A COPY INTO source that is not a directory. */
  PATH_NOT_FOUND("42K03", ErrorCategory.NOT_FOUND),
  /** A COPY INTO source directory that cannot be listed. */
  /** read_files names a file format that does not exist. */
  DATA_SOURCE_NOT_FOUND("42K02", ErrorCategory.INVALID_ARGUMENT),
  /** read_files finds no files, or cannot tell their format. */
  UNABLE_TO_INFER_SCHEMA("42KD9", ErrorCategory.INVALID_ARGUMENT),
  /** XML files read without the rowTag option naming the row elements. */
  XML_ROW_TAG_MISSING("42KDF", ErrorCategory.INVALID_ARGUMENT),
  /** An option of read_files with a value of the wrong kind. */
  INVALID_OPTIONS("42K06", ErrorCategory.INVALID_ARGUMENT),
  /** COPY INTO's source has a column the table lacks (without mergeSchema). */
  COPY_INTO_SCHEMA_MISMATCH("42000", ErrorCategory.INVALID_ARGUMENT),
  PATH_NOT_READABLE("58030", ErrorCategory.INVALID_ARGUMENT),
  /** A COPY INTO source directory without Parquet files. */
  COPY_INTO_NO_FILES("42000", ErrorCategory.INVALID_ARGUMENT),
  /** A volume that does not exist or is not visible to the caller. */
  VOLUME_NOT_FOUND("42704", ErrorCategory.NOT_FOUND),
  /**
   * A file path that is not {@code /Volumes/<catalog>/<schema>/<volume>/...}: a URL scheme, {@code
   * ..}, an empty part, a symbolic link out of the volume.
   */
  INVALID_VOLUME_PATH("42K05", ErrorCategory.INVALID_ARGUMENT),
  /** A COPY INTO option Aquifer does not support, or one with a value of the wrong type. */
  COPY_INTO_UNSUPPORTED_OPTION("0A000", ErrorCategory.UNIMPLEMENTED),
  INVALID_COPY_INTO_OPTION("42K06", ErrorCategory.INVALID_ARGUMENT),
  /** A malformed protocol message. */
  INVALID_REQUEST("42000", ErrorCategory.INVALID_ARGUMENT),

  // ---- table maintenance (Delta Lake's error classes) ----
  /** RESTORE to a version the table's log does not have. */
  DELTA_CANNOT_RESTORE_TABLE_VERSION("22003", ErrorCategory.INVALID_ARGUMENT),
  /** RESTORE to a timestamp after the latest commit. */
  DELTA_CANNOT_RESTORE_TIMESTAMP_GREATER("22003", ErrorCategory.INVALID_ARGUMENT),
  /** RESTORE to a version whose data files are gone (VACUUM deleted them). */
  DELTA_FILE_NOT_FOUND_DETAILED("42K03", ErrorCategory.NOT_FOUND),
  /** VACUUM with a retention below the table's, while the retention check is on. */
  DELTA_VACUUM_RETENTION_PERIOD_TOO_SHORT("22023", ErrorCategory.INVALID_ARGUMENT),

  // ---- warehouses ----
  /** The warehouse's queue holds as many statements as it may; the client should retry later. */
  WAREHOUSE_QUEUE_FULL("53400", ErrorCategory.RESOURCE_EXHAUSTED),
  /** A queued statement's warehouse was stopped or deleted, or could not start. */
  WAREHOUSE_NOT_RUNNING("55000", ErrorCategory.UNAVAILABLE);

  private final String sqlState;
  private final ErrorCategory category;

  GatewayErrorCode(String sqlState, ErrorCategory category) {
    this.sqlState = requireNonNull(sqlState, "sqlState");
    this.category = requireNonNull(category, "category");
  }

  public String sqlState() {
    return sqlState;
  }

  public ErrorCategory category() {
    return category;
  }

  public GatewayException exception(String message) {
    return new GatewayException(name(), sqlState, category, message, Optional.empty(), null);
  }

  public GatewayException exception(String message, Throwable cause) {
    return new GatewayException(name(), sqlState, category, message, Optional.empty(), cause);
  }
}
