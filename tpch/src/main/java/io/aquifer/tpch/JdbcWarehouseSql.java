package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** {@link WarehouseSql} over a JDBC connection (the caller owns it). */
public final class JdbcWarehouseSql implements WarehouseSql {
  private final Connection connection;

  public JdbcWarehouseSql(Connection connection) {
    this.connection = requireNonNull(connection, "connection");
  }

  @Override
  public long update(String sql) {
    try (Statement statement = connection.createStatement()) {
      if (!statement.execute(sql)) {
        return Math.max(0, statement.getUpdateCount());
      }
      // COPY INTO answers a row (num_affected_rows, num_inserted_rows), as in Databricks.
      try (ResultSet rows = statement.getResultSet()) {
        return rows.next() ? Math.max(0, rows.getLong(1)) : 0;
      }
    } catch (SQLException e) {
      throw failed(sql, e);
    }
  }

  @Override
  public List<List<String>> query(String sql) {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      int columns = rows.getMetaData().getColumnCount();
      List<List<String>> result = new ArrayList<>();
      while (rows.next()) {
        List<String> row = new ArrayList<>(columns);
        for (int i = 1; i <= columns; i++) {
          row.add(rows.getString(i));
        }
        result.add(row);
      }
      return result;
    } catch (SQLException e) {
      throw failed(sql, e);
    }
  }

  private static TpchException failed(String sql, SQLException e) {
    return new TpchException(
        TpchErrorCode.LOAD_FAILED, "the warehouse refused '" + sql + "': " + e.getMessage(), e);
  }
}
