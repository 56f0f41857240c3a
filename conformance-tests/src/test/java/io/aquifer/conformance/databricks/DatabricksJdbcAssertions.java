package io.aquifer.conformance.databricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Checks that hold for Databricks' JDBC driver in every mode (Thrift and REST). */
final class DatabricksJdbcAssertions {
  private DatabricksJdbcAssertions() {}

  /**
   * A query's unaliased expressions have the column names Databricks gives them, over a connection
   * to {@code url}, where table {@code fish} holds three rows.
   */
  static void assertUnaliasedExpressionsNamedAsDatabricksNamesThem(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), max(upper(name)), 1 + 1 FROM fish")) {
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        names.add(rs.getMetaData().getColumnName(i));
      }
      assertEquals(List.of("count(1)", "max(upper(name))", "(1 + 1)"), names);
      assertTrue(rs.next());
      assertEquals(3, rs.getLong(1));
    }
  }
}
