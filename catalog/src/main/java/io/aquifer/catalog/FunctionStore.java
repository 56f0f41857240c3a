package io.aquifer.catalog;

import static io.aquifer.catalog.CatalogDatabase.fromEpochMicros;
import static io.aquifer.catalog.CatalogDatabase.toEpochMicros;
import static io.aquifer.catalog.CatalogErrorCode.CATALOG_OBJECT_NOT_FOUND;
import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SQL user-defined functions, and the row filters and column masks of tables that name them. The
 * store keeps them; the gateway decides who may create, drop and set them, and the planner applies
 * them.
 */
public final class FunctionStore {
  private static final String COLUMNS =
      "SELECT catalog_name, schema_name, name, parameters, return_type, body, owner, comment,"
          + " created_at FROM functions";

  private final CatalogDatabase database;
  private final Clock clock;

  FunctionStore(CatalogDatabase database, Clock clock) {
    this.database = requireNonNull(database, "database");
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * Creates a function in an existing schema (the caller checks it exists). An existing one of the
   * same name is replaced with {@code orReplace}, kept with {@code ifNotExists} (empty answer),
   * else CATALOG_OBJECT_ALREADY_EXISTS.
   */
  public Optional<FunctionInfo> create(
      TableName name,
      List<FunctionInfo.Parameter> parameters,
      String returnType,
      String body,
      String owner,
      Optional<String> comment,
      boolean orReplace,
      boolean ifNotExists) {
    return database.write(
        connection -> {
          Optional<FunctionInfo> existing = find(connection, name);
          if (existing.isPresent() && !orReplace) {
            if (ifNotExists) {
              return Optional.empty();
            }
            throw new CatalogException(
                CatalogErrorCode.ROUTINE_ALREADY_EXISTS, "function " + name + " already exists");
          }
          FunctionInfo info =
              new FunctionInfo(
                  name,
                  parameters,
                  returnType,
                  body,
                  existing.map(FunctionInfo::owner).orElse(owner),
                  comment,
                  existing.map(FunctionInfo::createdAt).orElse(CatalogDatabase.now(clock)));
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT OR REPLACE INTO functions (catalog_name, schema_name, name, parameters,"
                      + " return_type, body, owner, comment, created_at)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, name.catalog());
            insert.setString(2, name.schema());
            insert.setString(3, name.table());
            insert.setString(4, info.parameterList());
            insert.setString(5, returnType);
            insert.setString(6, body);
            insert.setString(7, info.owner());
            insert.setString(8, comment.orElse(null));
            insert.setLong(9, toEpochMicros(info.createdAt()));
            insert.executeUpdate();
          }
          return Optional.of(info);
        });
  }

  public Optional<FunctionInfo> get(TableName name) {
    requireNonNull(name, "name");
    return database.read(connection -> find(connection, name));
  }

  /** The functions of one schema, by name. */
  public List<FunctionInfo> list(String catalog, String schema) {
    String c = ObjectNames.normalize("catalog", catalog);
    String s = ObjectNames.normalize("schema", schema);
    return database.read(
        connection -> {
          List<FunctionInfo> functions = new ArrayList<>();
          try (PreparedStatement select =
              connection.prepareStatement(
                  COLUMNS + " WHERE catalog_name = ? AND schema_name = ? ORDER BY name")) {
            select.setString(1, c);
            select.setString(2, s);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                functions.add(read(rows));
              }
            }
          }
          return functions;
        });
  }

  /**
   * Drops a function; false if there was none. A function a table's row filter or column mask names
   * cannot be dropped (CATALOG_OBJECT_NOT_EMPTY, naming the table).
   */
  public boolean drop(TableName name) {
    return database.write(
        connection -> {
          if (find(connection, name).isEmpty()) {
            return false;
          }
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT catalog_name, schema_name, table_name FROM table_policies"
                      + " WHERE function_catalog = ? AND function_schema = ? AND function_name = ?"
                      + " LIMIT 1")) {
            select.setString(1, name.catalog());
            select.setString(2, name.schema());
            select.setString(3, name.table());
            try (ResultSet rows = select.executeQuery()) {
              if (rows.next()) {
                throw new CatalogException(
                    CatalogErrorCode.CATALOG_OBJECT_NOT_EMPTY,
                    "function "
                        + name
                        + " is used by a row filter or column mask of table "
                        + rows.getString(1)
                        + "."
                        + rows.getString(2)
                        + "."
                        + rows.getString(3));
              }
            }
          }
          try (PreparedStatement delete =
              connection.prepareStatement(
                  "DELETE FROM functions WHERE catalog_name = ? AND schema_name = ? AND name = ?")) {
            delete.setString(1, name.catalog());
            delete.setString(2, name.schema());
            delete.setString(3, name.table());
            delete.executeUpdate();
          }
          GrantStore.deleteGrants(connection, Securable.function(name));
          return true;
        });
  }

  /** Hands a function to another owner. */
  public void setOwner(TableName name, String owner) {
    database.write(
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE functions SET owner = ? WHERE catalog_name = ? AND schema_name = ?"
                      + " AND name = ?")) {
            update.setString(1, Owners.check(owner));
            update.setString(2, name.catalog());
            update.setString(3, name.schema());
            update.setString(4, name.table());
            if (update.executeUpdate() == 0) {
              throw new CatalogException(
                  CATALOG_OBJECT_NOT_FOUND, "function " + name + " not found");
            }
          }
          return null;
        });
  }

  // ---------------------------------------------------------------- row filters and column masks

  /** The row filter and column masks of a table (none for a table without). */
  public TablePolicies policies(TableName table) {
    requireNonNull(table, "table");
    return database.read(connection -> policies(connection, table));
  }

  /** Sets (or replaces) the row filter of a table. */
  public void setRowFilter(TableName table, TableName function, List<String> columns) {
    setPolicy(table, "", function, columns);
  }

  /** Sets (or replaces) the mask of one column of a table. */
  public void setColumnMask(
      TableName table, String column, TableName function, List<String> usingColumns) {
    if (column.isEmpty()) {
      throw new IllegalArgumentException("column must not be empty");
    }
    setPolicy(table, column, function, usingColumns);
  }

  /** Drops the row filter of a table; false if it had none. */
  public boolean dropRowFilter(TableName table) {
    return dropPolicy(table, "");
  }

  /** Drops the mask of one column; false if it had none. */
  public boolean dropColumnMask(TableName table, String column) {
    return dropPolicy(table, column);
  }

  private void setPolicy(TableName table, String column, TableName function, List<String> args) {
    database.write(
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT OR REPLACE INTO table_policies (catalog_name, schema_name, table_name,"
                      + " column_name, function_catalog, function_schema, function_name, columns)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, table.catalog());
            insert.setString(2, table.schema());
            insert.setString(3, table.table());
            insert.setString(4, column.toLowerCase(java.util.Locale.ROOT));
            insert.setString(5, function.catalog());
            insert.setString(6, function.schema());
            insert.setString(7, function.table());
            insert.setString(
                8,
                String.join(
                    ",", args.stream().map(a -> a.toLowerCase(java.util.Locale.ROOT)).toList()));
            insert.executeUpdate();
          }
          return null;
        });
  }

  private boolean dropPolicy(TableName table, String column) {
    return database.write(
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement(
                  "DELETE FROM table_policies WHERE catalog_name = ? AND schema_name = ?"
                      + " AND table_name = ? AND column_name = ?")) {
            delete.setString(1, table.catalog());
            delete.setString(2, table.schema());
            delete.setString(3, table.table());
            delete.setString(4, column.toLowerCase(java.util.Locale.ROOT));
            return delete.executeUpdate() > 0;
          }
        });
  }

  static TablePolicies policies(Connection connection, TableName table) throws SQLException {
    Optional<TablePolicies.RowFilter> filter = Optional.empty();
    Map<String, TablePolicies.ColumnMask> masks = new LinkedHashMap<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT column_name, function_catalog, function_schema, function_name, columns"
                + " FROM table_policies WHERE catalog_name = ? AND schema_name = ?"
                + " AND table_name = ? ORDER BY column_name")) {
      select.setString(1, table.catalog());
      select.setString(2, table.schema());
      select.setString(3, table.table());
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          String column = rows.getString(1);
          TableName function =
              new TableName(rows.getString(2), rows.getString(3), rows.getString(4));
          String columns = rows.getString(5);
          List<String> args = columns.isEmpty() ? List.of() : List.of(columns.split(","));
          if (column.isEmpty()) {
            filter = Optional.of(new TablePolicies.RowFilter(function, args));
          } else {
            masks.put(column, new TablePolicies.ColumnMask(column, function, args));
          }
        }
      }
    }
    return new TablePolicies(filter, masks);
  }

  /** A renamed table keeps its row filter and masks. */
  static void movePolicies(Connection connection, TableName from, TableName to)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE table_policies SET catalog_name = ?, schema_name = ?, table_name = ?"
                + " WHERE catalog_name = ? AND schema_name = ? AND table_name = ?")) {
      update.setString(1, to.catalog());
      update.setString(2, to.schema());
      update.setString(3, to.table());
      update.setString(4, from.catalog());
      update.setString(5, from.schema());
      update.setString(6, from.table());
      update.executeUpdate();
    }
  }

  static void deletePolicies(Connection connection, TableName table) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement(
            "DELETE FROM table_policies WHERE catalog_name = ? AND schema_name = ?"
                + " AND table_name = ?")) {
      delete.setString(1, table.catalog());
      delete.setString(2, table.schema());
      delete.setString(3, table.table());
      delete.executeUpdate();
    }
  }

  /** Drops the functions of a schema, or of a whole catalog ({@code schema} null). */
  static void deleteFunctions(Connection connection, String catalog, String schema)
      throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement(
            "DELETE FROM functions WHERE catalog_name = ?"
                + (schema == null ? "" : " AND schema_name = ?"))) {
      delete.setString(1, catalog);
      if (schema != null) {
        delete.setString(2, schema);
      }
      delete.executeUpdate();
    }
  }

  private static Optional<FunctionInfo> find(Connection connection, TableName name)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            COLUMNS + " WHERE catalog_name = ? AND schema_name = ? AND name = ?")) {
      select.setString(1, name.catalog());
      select.setString(2, name.schema());
      select.setString(3, name.table());
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(read(rows)) : Optional.empty();
      }
    }
  }

  private static FunctionInfo read(ResultSet rows) throws SQLException {
    return new FunctionInfo(
        new TableName(rows.getString(1), rows.getString(2), rows.getString(3)),
        parseParameters(rows.getString(4)),
        rows.getString(5),
        rows.getString(6),
        rows.getString(7),
        Optional.ofNullable(rows.getString(8)),
        fromEpochMicros(rows.getLong(9)));
  }

  /** {@code "a STRING, b DECIMAL(10, 2)"}: split at top-level commas, name then type. */
  static List<FunctionInfo.Parameter> parseParameters(String list) {
    List<FunctionInfo.Parameter> parameters = new ArrayList<>();
    if (list.isBlank()) {
      return parameters;
    }
    int depth = 0;
    int start = 0;
    for (int i = 0; i <= list.length(); i++) {
      char ch = i < list.length() ? list.charAt(i) : ',';
      if (ch == '(' || ch == '<') {
        depth++;
      } else if (ch == ')' || ch == '>') {
        depth--;
      } else if (ch == ',' && depth == 0) {
        String part = list.substring(start, i).trim();
        int space = part.indexOf(' ');
        parameters.add(
            new FunctionInfo.Parameter(part.substring(0, space), part.substring(space + 1).trim()));
        start = i + 1;
      }
    }
    return parameters;
  }
}
