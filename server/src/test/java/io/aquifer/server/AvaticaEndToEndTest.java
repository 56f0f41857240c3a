package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user of Avatica's own remote JDBC driver (protobuf) sees against a real server: the
 * protocol as Aquifer serves it, without Aquifer's driver on top.
 */
class AvaticaEndToEndTest {
  @TempDir static Path dataDirectory;
  private static RunningServer server;

  @BeforeAll
  static void start() throws Exception {
    server = RunningServer.start(dataDirectory);
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      assertEquals(0, s.executeUpdate("CREATE SCHEMA av"));
      assertEquals(0, s.executeUpdate("CREATE TABLE av.ten (x BIGINT) COMMENT 'ten rows'"));
      assertEquals(
          10, s.executeUpdate("INSERT INTO av.ten VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)"));
      s.execute(
          "CREATE TABLE av.million AS SELECT a.x * 100000 + b.x * 10000 + c.x * 1000 + d.x * 100"
              + " + e.x * 10 + f.x AS id, 'row-' || CAST(a.x AS STRING) AS label"
              + " FROM av.ten a, av.ten b, av.ten c, av.ten d, av.ten e, av.ten f");
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static String url() {
    return "jdbc:avatica:remote:url=" + server.avaticaUrl() + ";serialization=protobuf";
  }

  static Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("token", server.token());
    return DriverManager.getConnection(url(), p);
  }

  /**
   * A PreparedStatement's prepare plans its text and its first execution runs that plan: one plan
   * for both; a plain Statement's prepareAndExecute plans once too.
   */
  @Test
  void aPreparedTextIsPlannedOnceForItsPrepareAndFirstRun() throws Exception {
    io.aquifer.gateway.Gateway gateway = server.server().gateway();
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      long planned = gateway.queriesPlanned();
      try (PreparedStatement ps =
          c.prepareStatement("SELECT count(*) AS avatica_prepared FROM av.ten WHERE x < 4")) {
        assertEquals(planned + 1, gateway.queriesPlanned(), "planned by the prepare");
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(4, rs.getLong(1));
        }
        assertEquals(planned + 1, gateway.queriesPlanned(), "and not by the first run");
      }
      planned = gateway.queriesPlanned();
      try (ResultSet rs = s.executeQuery("SELECT count(*) AS avatica_plain FROM av.ten")) {
        assertTrue(rs.next());
        assertEquals(10, rs.getLong(1));
      }
      assertEquals(planned + 1, gateway.queriesPlanned(), "prepareAndExecute plans once");
    }
  }

  @Test
  void queriesAndUpdateCounts() throws Exception {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT 40 + 2 AS answer, 'x' AS letter")) {
        assertTrue(rs.next());
        assertEquals(42, rs.getInt("answer"));
        assertEquals("x", rs.getString(2));
        assertFalse(rs.next());
      }
      // DDL counts 0 (DuckDB's -1 would trip an assertion in Avatica's server).
      assertEquals(0, s.executeUpdate("CREATE TABLE av.counts (v INT)"));
      assertEquals(3, s.executeUpdate("INSERT INTO av.counts VALUES (1), (2), (3)"));
      assertFalse(s.execute("UPDATE av.counts SET v = v + 1 WHERE v > 1"));
      assertEquals(2, s.getUpdateCount());
      assertEquals(1, s.executeUpdate("DELETE FROM av.counts WHERE v = 1"));
      try (ResultSet rs = s.executeQuery("SELECT sum(v) FROM av.counts")) {
        assertTrue(rs.next());
        assertEquals(7, rs.getLong(1));
      }
    }
  }

  @Test
  void theQueryHistoryListsStatementsRunThroughAvatica() throws Exception {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT 7 AS seven_for_the_history")) {
        assertTrue(rs.next());
      }
      String sql =
          "SELECT execution_status, client_application, produced_rows, statement_type"
              + " FROM system.query.history"
              + " WHERE statement_text = 'SELECT 7 AS seven_for_the_history'";
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
      while (true) {
        try (ResultSet rs = s.executeQuery(sql)) {
          if (rs.next()) {
            assertEquals("FINISHED", rs.getString(1));
            assertEquals("Avatica JDBC", rs.getString(2));
            assertEquals(1, rs.getLong(3));
            assertEquals("SELECT", rs.getString(4));
            assertFalse(rs.next());
            return;
          }
        }
        assertTrue(System.nanoTime() < deadline, "the history never listed the statement");
        Thread.sleep(20);
      }
    }
  }

  @Test
  void userTokenWithTheTokenAsPassword() throws Exception {
    Properties p = new Properties();
    p.setProperty("user", "token");
    p.setProperty("password", server.token());
    try (Connection c = DriverManager.getConnection(url(), p);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM av.ten")) {
      assertTrue(rs.next());
      assertEquals(10, rs.getLong(1));
    }
  }

  @Test
  void badTokenIsRejectedAtConnect() {
    Properties p = new Properties();
    p.setProperty("token", "dapi" + "0".repeat(64));
    // Avatica's driver lets the server's error out of connect() unchecked.
    RuntimeException e =
        assertThrows(RuntimeException.class, () -> DriverManager.getConnection(url(), p));
    assertTrue(
        e.getMessage().contains("UNAUTHENTICATED") && e.getMessage().contains("28000"),
        e.getMessage());
    RuntimeException none =
        assertThrows(
            RuntimeException.class, () -> DriverManager.getConnection(url(), new Properties()));
    assertTrue(none.getMessage().contains("access token is required"), none.getMessage());
  }

  @Test
  void badSqlNamesTheProblemTheSqlStateAndThePosition() throws Exception {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      SQLException e =
          assertThrows(
              SQLException.class, () -> s.executeQuery("SELECT x FROM av.ten\nWHERE nope = 1"));
      assertTrue(e.getMessage().contains("nope"), e.getMessage());
      assertTrue(e.getMessage().contains("line 2, column 7"), e.getMessage());
      assertEquals("42703", e.getSQLState(), e.getMessage());
      // Avatica sends the server's stack traces along; Aquifer's stay in its log.
      List<String> serverTraces =
          ((org.apache.calcite.avatica.AvaticaSqlException) e).getStackTraces();
      assertTrue(
          serverTraces.stream().noneMatch(t -> t.contains("\tat ")), serverTraces.toString());
      // The statement and connection stay usable.
      try (ResultSet rs = s.executeQuery("SELECT 1")) {
        assertTrue(rs.next());
      }
    }
  }

  @Test
  void preparedStatementsBindParameters() throws Exception {
    try (Connection c = connect()) {
      try (Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE av.params (id INT, name STRING, amount DECIMAL(10,2), day DATE, flag BOOLEAN)");
      }
      try (PreparedStatement insert =
          c.prepareStatement("INSERT INTO av.params VALUES (?, ?, ?, ?, ?)")) {
        for (int i = 1; i <= 3; i++) {
          insert.setInt(1, i);
          insert.setString(2, "name " + i);
          insert.setBigDecimal(3, new BigDecimal(i + ".25"));
          insert.setDate(4, java.sql.Date.valueOf("2024-02-2" + i));
          insert.setBoolean(5, i % 2 == 1);
          assertEquals(1, insert.executeUpdate());
        }
        insert.setInt(1, 4);
        insert.setNull(2, Types.VARCHAR);
        insert.setNull(3, Types.DECIMAL);
        insert.setNull(4, Types.DATE);
        insert.setNull(5, Types.BOOLEAN);
        assertEquals(1, insert.executeUpdate());
      }
      try (PreparedStatement query =
          c.prepareStatement(
              "SELECT name, amount, day FROM av.params WHERE id >= ? AND flag = ? ORDER BY id")) {
        assertEquals(2, query.getParameterMetaData().getParameterCount());
        query.setLong(1, 2);
        query.setBoolean(2, true);
        try (ResultSet rs = query.executeQuery()) {
          assertTrue(rs.next());
          assertEquals("name 3", rs.getString(1));
          assertEquals(new BigDecimal("3.25"), rs.getBigDecimal(2));
          assertEquals(java.sql.Date.valueOf("2024-02-23"), rs.getDate(3));
          assertFalse(rs.next());
        }
        // The same statement again, with other values.
        query.setLong(1, 1);
        query.setBoolean(2, false);
        try (ResultSet rs = query.executeQuery()) {
          assertTrue(rs.next());
          assertEquals("name 2", rs.getString(1));
          assertFalse(rs.next());
        }
      }
      try (PreparedStatement batch =
          c.prepareStatement("INSERT INTO av.params (id, name) VALUES (?, ?)")) {
        for (int i = 10; i < 13; i++) {
          batch.setInt(1, i);
          batch.setString(2, "batch " + i);
          batch.addBatch();
        }
        int[] counts = batch.executeBatch();
        assertEquals(List.of(1, 1, 1), List.of(counts[0], counts[1], counts[2]));
      }
    }
  }

  @Test
  void aResultLargerThanOneFrameIsFetchedInFrames() throws Exception {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.setFetchSize(1000);
      long rows = 0;
      long sum = 0;
      try (ResultSet rs =
          s.executeQuery("SELECT id, label FROM av.million WHERE id < 25000 ORDER BY id")) {
        while (rs.next()) {
          assertEquals(rows, rs.getLong(1));
          rows++;
          sum += rs.getLong(1);
        }
      }
      assertEquals(25_000, rows);
      assertEquals(24_999L * 25_000L / 2, sum);
      s.setMaxRows(1234);
      try (ResultSet rs = s.executeQuery("SELECT id FROM av.million")) {
        int limited = 0;
        while (rs.next()) {
          limited++;
        }
        assertEquals(1234, limited);
      }
    }
  }

  @Test
  void closingTheConnectionCancelsARunningQuery() throws Exception {
    // Avatica's Statement.cancel() never reaches the server (and waits for the running call);
    // closing the connection from another thread does.
    Connection c = connect();
    Statement s = c.createStatement();
    CompletableFuture<Throwable> outcome =
        CompletableFuture.supplyAsync(
            () -> {
              try (ResultSet rs =
                  s.executeQuery(
                      "SELECT count(*) FROM av.million a, av.million b WHERE (a.id * 31 + b.id * 17) % 1000003 = 5")) {
                rs.next();
                return null;
              } catch (SQLException | RuntimeException e) {
                return e;
              }
            });
    Thread.sleep(1500);
    assertFalse(outcome.isDone(), () -> "the query should still be running: " + outcome.join());
    c.close();
    Throwable error = outcome.get(30, TimeUnit.SECONDS);
    assertInstanceOf(SQLException.class, error);
    assertTrue(error.getMessage().toLowerCase().contains("cancel"), error.getMessage());
    try (Connection again = connect();
        Statement st = again.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM av.ten")) {
      assertTrue(rs.next());
      assertEquals(10, rs.getLong(1));
    }
  }

  @Test
  void metadataAsDbeaverBrowsesIt() throws Exception {
    try (Connection c = connect()) {
      DatabaseMetaData md = c.getMetaData();
      List<String> catalogs = strings(md.getCatalogs(), "TABLE_CAT");
      assertTrue(catalogs.contains("main"), catalogs.toString());
      List<String> schemas = strings(md.getSchemas("main", null), "TABLE_SCHEM");
      assertTrue(schemas.containsAll(List.of("default", "av")), schemas.toString());
      assertEquals(List.of("TABLE", "VIEW"), strings(md.getTableTypes(), "TABLE_TYPE"));
      try (ResultSet rs = md.getTables("main", "av", "%", new String[] {"TABLE"})) {
        List<String> tables = new ArrayList<>();
        while (rs.next()) {
          tables.add(rs.getString("TABLE_NAME"));
          assertEquals("TABLE", rs.getString("TABLE_TYPE"));
          if (rs.getString("TABLE_NAME").equals("ten")) {
            assertEquals("ten rows", rs.getString("REMARKS"));
          }
        }
        assertTrue(tables.containsAll(List.of("ten", "million")), tables.toString());
      }
      try (ResultSet rs = md.getColumns("main", "av", "million", "%")) {
        assertTrue(rs.next());
        assertEquals("id", rs.getString("COLUMN_NAME"));
        assertEquals(Types.BIGINT, rs.getInt("DATA_TYPE"));
        assertEquals("BIGINT", rs.getString("TYPE_NAME"));
        assertEquals(1, rs.getInt("ORDINAL_POSITION"));
        assertTrue(rs.next());
        assertEquals("label", rs.getString("COLUMN_NAME"));
        assertEquals(Types.VARCHAR, rs.getInt("DATA_TYPE"));
        assertEquals("STRING", rs.getString("TYPE_NAME"));
        assertFalse(rs.next());
      }
      try (ResultSet rs = md.getColumns("main", "av", "mil%", "lab_l")) {
        assertTrue(rs.next());
        assertEquals("label", rs.getString("COLUMN_NAME"));
        assertFalse(rs.next());
      }
      try (ResultSet rs = md.getPrimaryKeys("main", "av", "ten")) {
        assertEquals("PK_NAME", rs.getMetaData().getColumnName(6));
        assertFalse(rs.next());
      }
      try (ResultSet rs = md.getImportedKeys("main", "av", "ten")) {
        assertFalse(rs.next());
      }
      try (ResultSet rs = md.getIndexInfo("main", "av", "ten", false, true)) {
        assertFalse(rs.next());
      }
      try (ResultSet rs = md.getProcedures("main", "av", "%")) {
        assertFalse(rs.next());
      }
      List<String> types = strings(md.getTypeInfo(), "TYPE_NAME");
      assertTrue(
          types.containsAll(
              List.of(
                  "BOOLEAN",
                  "BIGINT",
                  "DECIMAL",
                  "STRING",
                  "BINARY",
                  "DATE",
                  "TIMESTAMP",
                  "TIMESTAMP_NTZ")),
          types.toString());
      // Avatica's protocol carries only catalogs, schemas, tables, table types, type info and
      // columns; its driver answers keys, indexes, procedures and functions itself, with no rows.
      try (ResultSet rs = md.getFunctions("main", "av", "%")) {
        assertFalse(rs.next());
      }
    }
  }

  @Test
  void catalogAndSchemaSwitchTheSession() throws Exception {
    try (Connection c = connect()) {
      c.setSchema("av");
      assertEquals("av", c.getSchema());
      assertEquals("main", c.getCatalog());
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM ten")) {
        assertTrue(rs.next());
        assertEquals(10, rs.getLong(1));
      }
      c.setSchema("does_not_exist");
      // Avatica's driver sends the change with the next request, and lets its error out unchecked.
      RuntimeException e = assertThrows(RuntimeException.class, c::getSchema);
      assertTrue(
          e.getMessage().contains("does_not_exist") && e.getMessage().contains("3F000"),
          e.getMessage());
    }
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      RuntimeException e = assertThrows(RuntimeException.class, c::createStatement);
      assertTrue(e.getMessage().contains("Transactions are not supported"), e.getMessage());
      assertTrue(e.getMessage().contains("0A000"), e.getMessage());
    }
  }

  @Test
  void describesResultColumns() throws Exception {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT CAST(1.5 AS DECIMAL(12,3)) AS d, DATE '2024-01-02' AS dt, NULL AS n")) {
      ResultSetMetaData md = rs.getMetaData();
      assertEquals(Types.DECIMAL, md.getColumnType(1));
      assertEquals(12, md.getPrecision(1));
      assertEquals(3, md.getScale(1));
      assertEquals(Types.DATE, md.getColumnType(2));
      assertTrue(rs.next());
      assertEquals(new BigDecimal("1.500"), rs.getBigDecimal(1));
      assertEquals(java.sql.Date.valueOf("2024-01-02"), rs.getDate(2));
      assertNull(rs.getObject(3));
    }
  }

  private static List<String> strings(ResultSet rs, String column) throws SQLException {
    List<String> values = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        values.add(rs.getString(column));
      }
    }
    return values;
  }
}
