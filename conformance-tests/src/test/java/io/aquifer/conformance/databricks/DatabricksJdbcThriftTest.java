package io.aquifer.conformance.databricks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.conformance.ConformanceServer;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Databricks' JDBC driver (databricks-jdbc 3.4.5) in its default Thrift mode (the Databricks SQL
 * protocol, HiveServer2 Thrift over HTTP at the warehouse's httpPath) against a real server.
 */
class DatabricksJdbcThriftTest {
  @TempDir static Path dataDirectory;
  private static ConformanceServer server;
  private static String url;

  @BeforeAll
  static void start() throws Exception {
    server = ConformanceServer.start(dataDirectory);
    url = thriftUrl(server.token());
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE fish (id INT, name STRING)");
      s.execute("INSERT INTO fish VALUES (1, 'pike'), (2, 'perch'), (3, NULL)");
    }
  }

  /** The REST-mode URL the server hands out, in the driver's default (Thrift) mode. */
  static String thriftUrl(String token) {
    String rest = server.server().databricksRest().jdbcUrl();
    return rest.replace(";useThriftClient=0", "") + ";UID=token;PWD=" + token;
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
      assertEquals(Types.INTEGER, rs.getMetaData().getColumnType(1));
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getInt(1) + ":" + rs.getString(2));
      }
      assertEquals(List.of("1:pike", "2:perch", "3:null"), rows);
    }
  }

  @Test
  void everyTypeReadsBack() throws SQLException {
    String sql =
        "SELECT true AS b, CAST(7 AS TINYINT) AS ti, CAST(300 AS SMALLINT) AS si, 70000 AS i,"
            + " CAST(9000000000 AS BIGINT) AS bi, CAST(1.5 AS FLOAT) AS f, CAST(2.25 AS DOUBLE) AS d,"
            + " CAST(12.345 AS DECIMAL(10,3)) AS dec, 'text' AS s, DATE '2024-02-29' AS dt,"
            + " TIMESTAMP_NTZ '2024-02-29 12:34:56.123456' AS ts, X'CAFE' AS bin,"
            + " CAST(NULL AS INT) AS n";
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      assertEquals(13, md.getColumnCount());
      assertEquals(Types.DECIMAL, md.getColumnType(8));
      assertTrue(rs.next());
      assertTrue(rs.getBoolean("b"));
      assertEquals(7, rs.getByte("ti"));
      assertEquals(300, rs.getShort("si"));
      assertEquals(70000, rs.getInt("i"));
      assertEquals(9000000000L, rs.getLong("bi"));
      assertEquals(1.5f, rs.getFloat("f"));
      assertEquals(2.25d, rs.getDouble("d"));
      assertEquals(new BigDecimal("12.345"), rs.getBigDecimal("dec"));
      assertEquals("text", rs.getString("s"));
      assertEquals(Date.valueOf("2024-02-29"), rs.getDate("dt"));
      assertEquals(Timestamp.valueOf("2024-02-29 12:34:56.123456"), rs.getTimestamp("ts"));
      assertArrayEquals(new byte[] {(byte) 0xCA, (byte) 0xFE}, rs.getBytes("bin"));
      assertEquals(0, rs.getInt("n"));
      assertTrue(rs.wasNull());
      assertFalse(rs.next());
    }
  }

  /** ARRAY results travel column-based, as JSON text (primitive results as Arrow batches). */
  @Test
  void arraysReadBackAsJsonText() throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT array(1, 2) AS a, 'x' AS s")) {
      assertTrue(rs.next());
      assertEquals("[1,2]", rs.getString("a").replace(" ", ""));
      assertEquals("x", rs.getString("s"));
      assertFalse(rs.next());
    }
  }

  @Test
  void updatesReportTheirCounts() throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE counted (id INT)");
      assertEquals(2, s.executeUpdate("INSERT INTO counted VALUES (1), (2)"));
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM counted")) {
        assertTrue(rs.next());
        assertEquals(2, rs.getLong(1));
      }
    }
  }

  @Test
  void preparedStatementsBindParameters() throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement ps =
            c.prepareStatement("SELECT name, ? AS tag FROM fish WHERE id = ? OR id = ?")) {
      ps.setString(1, "t");
      ps.setInt(2, 2);
      ps.setLong(3, 99L);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        assertEquals("perch", rs.getString(1));
        assertEquals("t", rs.getString(2));
        assertFalse(rs.next());
      }
      ps.setString(1, "u");
      ps.setInt(2, 1);
      ps.setNull(3, Types.BIGINT);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        assertEquals("pike", rs.getString(1));
        assertFalse(rs.next());
      }
    }
  }

  @Test
  void badSqlRaisesSqlExceptionWithTheErrorClassAndSqlState() throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      SQLException e =
          assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM no_such_fish"));
      assertTrue(e.getMessage().contains("TABLE_OR_VIEW_NOT_FOUND"), e.getMessage());
      assertEquals("42P01", e.getSQLState(), e.getMessage());
      // The connection is still usable afterwards.
      try (ResultSet rs = s.executeQuery("SELECT 1")) {
        assertTrue(rs.next());
      }
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
      try (ResultSet rs = md.getColumns("main", "default", "fish", "id")) {
        assertTrue(rs.next());
        assertEquals(Types.INTEGER, rs.getInt("DATA_TYPE"));
        assertEquals("INT", rs.getString("TYPE_NAME"));
        assertEquals(1, rs.getInt("ORDINAL_POSITION"));
        assertFalse(rs.next());
      }
      assertTrue(column(md.getTypeInfo(), "TYPE_NAME").contains("DECIMAL"));
      assertEquals(List.of(), column(md.getPrimaryKeys("main", "default", "fish"), "COLUMN_NAME"));
      assertEquals(
          List.of("date_trunc"),
          column(md.getFunctions(null, null, "date_trunc"), "FUNCTION_NAME"));
      assertTrue(column(md.getTableTypes(), "TABLE_TYPE").contains("TABLE"));
    }
  }

  @Test
  void theInitialSchemaComesFromTheUrl() throws SQLException {
    try (Connection c = DriverManager.getConnection(url)) {
      c.createStatement().execute("CREATE SCHEMA IF NOT EXISTS lake");
      c.createStatement().execute("CREATE TABLE IF NOT EXISTS lake.trout (w INT)");
    }
    try (Connection c = DriverManager.getConnection(url + ";ConnCatalog=main;ConnSchema=lake");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_schema(), count(*) FROM trout")) {
      assertTrue(rs.next());
      assertEquals("lake", rs.getString(1));
      assertEquals(0, rs.getLong(2));
    }
  }

  @Test
  void cancelStopsARunningStatement() throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement setup = c.createStatement()) {
      setup.execute("CREATE TABLE IF NOT EXISTS spin (id BIGINT)");
      setup.execute("INSERT INTO spin VALUES (0)");
      for (long n = 1; n < 1 << 14; n *= 2) {
        setup.execute("INSERT INTO spin SELECT id + " + n + " FROM spin");
      }
    }
    String slow =
        "SELECT count(*) FROM spin a, spin b, spin c WHERE (a.id * 7 + b.id * 3 + c.id) % 1000003 = 17";
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      CompletableFuture<Object> running =
          CompletableFuture.supplyAsync(
              () -> {
                try (ResultSet rs = s.executeQuery(slow)) {
                  return rs.next() ? "row " + rs.getString(1) : "no rows";
                } catch (SQLException e) {
                  return e;
                }
              });
      // Cancel repeatedly until the query ends: the driver only cancels once it has a handle.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!running.isDone() && System.nanoTime() < deadline) {
        s.cancel();
        Thread.onSpinWait();
        try {
          running.get(200, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          // still running: cancel again
        }
      }
      Object outcome = running.get(60, TimeUnit.SECONDS);
      assertTrue(outcome instanceof SQLException, "the canceled query ended with " + outcome);
    }
  }

  @Test
  void aMillionRowsStreamThrough() throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE million (id BIGINT, label STRING)");
      s.execute("INSERT INTO million VALUES (0, 'row')");
      for (long n = 1; n < 1 << 20; n *= 2) {
        s.execute("INSERT INTO million SELECT id + " + n + ", label FROM million");
      }
      long rows = 0;
      long sum = 0;
      long started = System.nanoTime();
      try (ResultSet rs = s.executeQuery("SELECT id, label FROM million")) {
        while (rs.next()) {
          rows++;
          sum += rs.getLong(1);
        }
      }
      long n = 1L << 20;
      assertEquals(n, rows);
      assertEquals(n * (n - 1) / 2, sum);
      System.out.printf(
          "Thrift (Arrow batches): %d rows in %d ms%n",
          rows, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }
  }

  @Test
  void aWrongTokenDoesNotConnect() {
    assertThrows(
        SQLException.class,
        () -> {
          try (Connection c = DriverManager.getConnection(thriftUrl("wrong"));
              Statement s = c.createStatement()) {
            s.executeQuery("SELECT 1");
          }
        });
  }

  @Test
  void aBodyThatIsNotThriftIsRefusedWithAClearError() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI uri =
        URI.create(
            server.server().databricksRest().baseUrl()
                + server.server().databricksRest().httpPath());
    HttpResponse<String> garbage =
        http.send(
            HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + server.token())
                .header("Content-Type", "application/x-thrift")
                .POST(HttpRequest.BodyPublishers.ofString("SELECT 1"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(400, garbage.statusCode(), garbage.body());
    assertTrue(garbage.body().contains("MALFORMED_REQUEST"), garbage.body());
    HttpResponse<String> anonymous =
        http.send(
            HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-thrift")
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(401, anonymous.statusCode(), anonymous.body());
  }

  @Test
  void anUnknownWarehouseDoesNotConnect() {
    String bad =
        url.replace(
            server.server().databricksRest().httpPath(), "/sql/1.0/warehouses/nosuchwarehouse");
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
