package io.aquifer.planner;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the planner needs to know of the catalog to resolve names. Names passed in are as the user
 * wrote them; implementations compare them ignoring case. The gateway implements this over the
 * catalog store (and checks privileges there).
 */
public interface PlannerCatalog {
  Set<String> catalogNames();

  Set<String> schemaNames(String catalog);

  Set<String> tableNames(String catalog, String schema);

  Optional<ResolvedTable> table(String catalog, String schema, String table);

  /**
   * Called each time a statement refers to the table or view {@code qualifiedName} (catalog,
   * schema, table as stored), before it is read: fails, with a {@link PlannerException} of code
   * PERMISSION_DENIED, if it may not be read. Views are read with their owner's rights.
   *
   * @param view the innermost permanent view whose text holds the reference (its qualified name);
   *     empty when the statement itself, or a temporary view of the session, refers to it
   */
  default void checkRead(List<String> qualifiedName, Optional<List<String>> view) {}

  /** The names of the session's temporary views, which one-part names reach. */
  default Set<String> temporaryViewNames() {
    return Set.of();
  }

  /** A session's temporary view by its one-part name (any case). */
  default Optional<ViewEntry> temporaryView(String name) {
    return Optional.empty();
  }

  /**
   * A catalog entry the planner can read: a Delta table, a view to expand, or a system table whose
   * rows the gateway supplies.
   */
  sealed interface ResolvedTable {
    List<String> qualifiedName();
  }

  /**
   * Whether the statement's caller is a member of {@code group} (directly or through other groups):
   * what {@code is_account_group_member('group')} answers. False where no caller is known.
   */
  default boolean isAccountGroupMember(String group) {
    return false;
  }

  /**
   * @param policy the table's row filter and column masks, applied to every read of it
   */
  record DeltaTableEntry(List<String> qualifiedName, java.net.URI location, TablePolicy policy)
      implements ResolvedTable {
    public DeltaTableEntry {
      qualifiedName = List.copyOf(qualifiedName);
      java.util.Objects.requireNonNull(location, "location");
      java.util.Objects.requireNonNull(policy, "policy");
    }

    public DeltaTableEntry(List<String> qualifiedName, java.net.URI location) {
      this(qualifiedName, location, TablePolicy.NONE);
    }
  }

  /**
   * A SQL function as a row filter or column mask calls it.
   *
   * @param qualifiedName catalog, schema, function
   * @param parameters the parameter names, in order
   * @param body the returned expression's text (Databricks SQL)
   */
  record SqlFunction(
      List<String> qualifiedName, List<String> parameters, String body, String returnType) {
    public SqlFunction {
      qualifiedName = List.copyOf(qualifiedName);
      parameters = List.copyOf(parameters);
      java.util.Objects.requireNonNull(body, "body");
      java.util.Objects.requireNonNull(returnType, "returnType");
    }

    public SqlFunction(List<String> qualifiedName, List<String> parameters, String body) {
      this(qualifiedName, parameters, body, "");
    }

    /** The body as an expression's text: cast to the declared return type, if any. */
    public String expression() {
      return returnType.isEmpty() ? body : "CAST((" + body + ") AS " + returnType + ")";
    }
  }

  /**
   * The SQL function of this name (catalog, schema, function) that the statement's caller may call,
   * or empty if there is none; PERMISSION_DENIED if the caller may not execute it.
   */
  default java.util.Optional<SqlFunction> function(List<String> qualifiedName) {
    return java.util.Optional.empty();
  }

  /**
   * The SQL function of this name called inside {@code context}: a view ({@code catalog, schema,
   * view}), whose owner must be allowed to call it, or a row filter or column mask ({@link
   * QueryPlanner#FUNCTION_CONTEXT}, the policy's function, then the table), whose table's owner
   * must; the statement's caller outside both.
   */
  default java.util.Optional<SqlFunction> function(
      List<String> qualifiedName, java.util.Optional<List<String>> context) {
    return function(qualifiedName);
  }

  /**
   * A call of a row filter or column mask function on a table's columns.
   *
   * @param arguments the table's columns passed, in the order of the function's parameters (for a
   *     mask: the masked column first)
   */
  record PolicyCall(SqlFunction function, List<String> arguments) {
    public PolicyCall {
      java.util.Objects.requireNonNull(function, "function");
      arguments = List.copyOf(arguments);
    }
  }

  /**
   * The row filter and column masks of a table (Unity Catalog's): a read of the table sees only the
   * rows the filter keeps, and each masked column as its mask returns it.
   *
   * @param masks by lower-case column name
   */
  record TablePolicy(
      java.util.Optional<PolicyCall> rowFilter, java.util.Map<String, PolicyCall> masks) {
    public static final TablePolicy NONE =
        new TablePolicy(java.util.Optional.empty(), java.util.Map.of());

    public TablePolicy {
      java.util.Objects.requireNonNull(rowFilter, "rowFilter");
      masks = java.util.Map.copyOf(masks);
    }

    public boolean isEmpty() {
      return rowFilter.isEmpty() && masks.isEmpty();
    }
  }

  /**
   * @param defaultPath catalog and schema that were current when the view was created; the view's
   *     unqualified names resolve there
   */
  record ViewEntry(List<String> qualifiedName, String sql, List<String> defaultPath)
      implements ResolvedTable {
    public ViewEntry {
      qualifiedName = List.copyOf(qualifiedName);
      defaultPath = List.copyOf(defaultPath);
      java.util.Objects.requireNonNull(sql, "sql");
    }
  }

  /**
   * A read-only table whose rows the gateway holds, not a Delta table ({@code
   * system.query.history}; {@code information_schema} can work the same way). Queries that read one
   * run in the gateway ({@link SystemTableQueries}).
   *
   * @param rows called once per statement that scans the table; one list per row, in the order of
   *     {@code schema}'s columns, values as String, Boolean, Integer, Long, Double, BigDecimal,
   *     LocalDate (DATE), Instant (TIMESTAMP) or null
   */
  record SystemTableEntry(
      List<String> qualifiedName,
      io.aquifer.storage.types.TableSchema schema,
      java.util.function.Supplier<List<List<Object>>> rows)
      implements ResolvedTable {
    public SystemTableEntry {
      qualifiedName = List.copyOf(qualifiedName);
      java.util.Objects.requireNonNull(schema, "schema");
      java.util.Objects.requireNonNull(rows, "rows");
    }
  }

  /**
   * The files a {@code read_files(...)} call reads, their columns and how to read them: the gateway
   * checks the path (volumes and external locations only) and the caller's READ VOLUME privilege,
   * lists the files and infers their schema.
   */
  default FileSourceEntry readFiles(ReadFilesCall call) {
    throw new PlannerException(
        PlannerErrorCode.UNSUPPORTED_FEATURE, "read_files is not supported in this context");
  }

  /**
   * What a {@code read_files} call reads.
   *
   * @param schema the columns, inferred or as the call's {@code schema} option names them
   * @param files the files, in the order read
   * @param source how to read them
   */
  record FileSourceEntry(
      io.aquifer.storage.types.TableSchema schema,
      List<io.aquifer.storage.delta.DataFile> files,
      FileSource source) {
    public FileSourceEntry {
      java.util.Objects.requireNonNull(schema, "schema");
      files = List.copyOf(files);
      java.util.Objects.requireNonNull(source, "source");
    }
  }
}
