package io.aquifer.conformance.databricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.conformance.ConformanceServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Databricks' JDBC driver (databricks-jdbc 3.4.5) in REST mode ({@code useThriftClient=0}: SQL
 * sessions and the Statement Execution API) against a real server, with the URL connection.json
 * gives.
 */
class DatabricksJdbcRestModeTest {
  @TempDir static Path dataDirectory;
  private static ConformanceServer server;
  private static String url;

  @BeforeAll
  static void start() throws Exception {
    server = ConformanceServer.start(dataDirectory);
    url = server.server().databricksRest().jdbcUrl() + ";UID=token;PWD=" + server.token();
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE fish (id INT, name STRING)");
      s.execute("INSERT INTO fish VALUES (1, 'pike'), (2, 'perch'), (3, NULL)");
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void unaliasedExpressionsAreNamedAsDatabricksNamesThem() throws SQLException {
    DatabricksJdbcAssertions.assertUnaliasedExpressionsNamedAsDatabricksNamesThem(url);
  }

  @Test
  void queriesReturnTypedRows() throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, name FROM fish ORDER BY id")) {
      assertEquals("id", rs.getMetaData().getColumnName(1));
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getInt(1) + ":" + rs.getString(2));
      }
      assertEquals(List.of("1:pike", "2:perch", "3:null"), rows);
    }
  }

  @Test
  void preparedStatementsBindParameters() throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement ps = c.prepareStatement("SELECT name FROM fish WHERE id = ?")) {
      ps.setInt(1, 2);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        assertEquals("perch", rs.getString(1));
        assertFalse(rs.next());
      }
    }
  }

  @Test
  void badSqlRaisesSqlExceptionWithTheErrorClass() throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      SQLException e =
          assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM no_such_fish"));
      assertTrue(e.getMessage().contains("TABLE_OR_VIEW_NOT_FOUND"), e.getMessage());
    }
  }

  @Test
  void metadataListsCatalogsSchemasTablesAndColumns() throws SQLException {
    try (Connection c = DriverManager.getConnection(url)) {
      DatabaseMetaData md = c.getMetaData();
      assertTrue(column(md.getCatalogs(), "TABLE_CAT").contains("main"));
      assertTrue(column(md.getSchemas("main", "%"), "TABLE_SCHEM").contains("default"));
      assertTrue(column(md.getTables("main", "default", "%", null), "TABLE_NAME").contains("fish"));
      assertEquals(
          List.of("id", "name"),
          column(md.getColumns("main", "default", "fish", "%"), "COLUMN_NAME"));
    }
  }

  @Test
  void aWrongTokenDoesNotConnect() {
    String bad = server.server().databricksRest().jdbcUrl() + ";UID=token;PWD=wrong";
    assertThrows(
        SQLException.class,
        () -> {
          try (Connection c = DriverManager.getConnection(bad);
              Statement s = c.createStatement()) {
            s.executeQuery("SELECT 1");
          }
        });
  }

  private static List<String> column(ResultSet rs, String name) throws SQLException {
    List<String> out = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        out.add(rs.getString(name));
      }
    }
    return out;
  }
}
