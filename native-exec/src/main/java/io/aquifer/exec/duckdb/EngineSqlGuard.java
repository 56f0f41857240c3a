package io.aquifer.exec.duckdb;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Lets only one SELECT statement through as a fragment's engine SQL. The engine's lock-down stops
 * file and network access and configuration changes; this also stops statements that change the
 * engine's state (ATTACH, CREATE, INSTALL, PRAGMA, COPY, SET VARIABLE, several statements). It asks
 * DuckDB's own parser through {@code json_serialize_sql}, which serializes SELECTs only.
 */
final class EngineSqlGuard {
  private static final String CHECK =
      "SELECT coalesce(CAST(json_extract(j, '$.error') AS BOOLEAN), false),"
          + " json_array_length(j, '$.statements'), json_extract_string(j, '$.error_message')"
          + " FROM (SELECT json_serialize_sql(CAST(? AS VARCHAR)) AS j)";

  private EngineSqlGuard() {}

  static void checkSingleSelect(Connection connection, String engineSql) throws SQLException {
    try (PreparedStatement check = connection.prepareStatement(CHECK)) {
      check.setString(1, engineSql);
      try (ResultSet rs = check.executeQuery()) {
        rs.next();
        boolean error = rs.getBoolean(1);
        long statements = rs.getLong(2);
        String message = rs.getString(3);
        if (error && message != null && !message.startsWith("Only SELECT statements")) {
          throw new ExecException(
              ExecErrorCode.ENGINE_ERROR,
              "The engine rejected the compiled query: " + DuckDbErrorTranslator.clean(message));
        }
        if (error || statements != 1) {
          throw new ExecException(
              ExecErrorCode.ACCESS_DENIED,
              "Access denied: a warehouse node runs exactly one SELECT statement per fragment");
        }
      }
    }
  }

  /** The SQL without trailing semicolons, so that it can be nested in a larger statement. */
  static String withoutTrailingSemicolons(String engineSql) {
    String sql = engineSql.strip();
    while (sql.endsWith(";")) {
      sql = sql.substring(0, sql.length() - 1).strip();
    }
    return sql;
  }
}
