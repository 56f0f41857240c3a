package io.aquifer.exec;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Writes real Parquet files for tests with a plain (not locked-down) DuckDB. */
public final class TestParquet {
  private TestParquet() {}

  /** Writes the rows of {@code selectSql} to {@code file} and returns its {@code file:} URI. */
  public static String write(Path file, String selectSql) {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
      s.execute(
          "COPY ("
              + selectSql
              + ") TO '"
              + file.toString().replace("'", "''")
              + "' (FORMAT parquet)");
      return file.toUri().toString();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs a query on a plain DuckDB and returns the first column of the first row. */
  public static Object queryValue(String sql) {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getObject(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
