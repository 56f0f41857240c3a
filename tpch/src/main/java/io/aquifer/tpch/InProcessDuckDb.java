package io.aquifer.tpch;

import io.aquifer.storage.delta.DataFile;
import io.aquifer.storage.delta.DeltaSnapshot;
import io.aquifer.storage.delta.DeltaTables;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The reference the benchmark and tests compare with: an in-memory DuckDB in this process, with one
 * view per table over {@code read_parquet} of exactly the files of the table's latest Delta
 * snapshot, so it reads the very same bytes as the warehouse.
 */
public final class InProcessDuckDb {
  private InProcessDuckDb() {}

  /**
   * Opens the connection and creates the views.
   *
   * @param locations table name to Delta location
   * @param threads DuckDB worker threads
   * @throws TpchException TABLE_MISSING if a table has deletion vectors (not plain Parquet) or no
   *     files
   */
  public static Connection open(DeltaTables tables, Map<String, URI> locations, int threads)
      throws SQLException {
    Connection connection = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET threads = " + threads);
      for (Map.Entry<String, URI> table : locations.entrySet()) {
        statement.execute(viewSql(table.getKey(), tables.latest(table.getValue())));
      }
      return connection;
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  static String viewSql(String name, DeltaSnapshot snapshot) {
    if (snapshot.files().isEmpty()) {
      throw new TpchException(
          TpchErrorCode.TABLE_MISSING,
          "table " + name + " at " + snapshot.location() + " has no files");
    }
    for (DataFile file : snapshot.files()) {
      if (file.hasDeletionVector()) {
        throw new TpchException(
            TpchErrorCode.TABLE_MISSING,
            "table "
                + name
                + " has deleted rows (deletion vectors); reload it to compare with"
                + " plain Parquet");
      }
    }
    String files =
        snapshot.files().stream()
            .map(f -> DuckDbSql.string(Path.of(f.path()).toString()))
            .collect(Collectors.joining(", ", "[", "]"));
    return "CREATE OR REPLACE VIEW "
        + DuckDbSql.identifier(name)
        + " AS SELECT * FROM read_parquet("
        + files
        + ")";
  }
}
