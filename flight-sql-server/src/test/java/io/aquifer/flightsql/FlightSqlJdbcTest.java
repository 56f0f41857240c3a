package io.aquifer.flightsql;

import static io.aquifer.flightsql.InMemoryStatementService.BIG;
import static io.aquifer.flightsql.InMemoryStatementService.BIG_BATCHES;
import static io.aquifer.flightsql.InMemoryStatementService.BIG_BATCH_ROWS;
import static io.aquifer.flightsql.InMemoryStatementService.CREATE_TABLE;
import static io.aquifer.flightsql.InMemoryStatementService.CURRENT;
import static io.aquifer.flightsql.InMemoryStatementService.DELETE_ORDERS;
import static io.aquifer.flightsql.InMemoryStatementService.DIVIDE_BY_ZERO;
import static io.aquifer.flightsql.InMemoryStatementService.INSERT_EVENTS;
import static io.aquifer.flightsql.InMemoryStatementService.ORDERS;
import static io.aquifer.flightsql.InMemoryStatementService.ORDERS_BY_ID;
import static io.aquifer.flightsql.InMemoryStatementService.SLEEP;
import static io.aquifer.flightsql.InMemoryStatementService.SYNTAX_ERROR;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
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
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The front end through the official Arrow Flight SQL JDBC driver, as tools use it. */
class FlightSqlJdbcTest {
  private static FrontEndFixture fixture;

  @BeforeAll
  static void start() {
    fixture = new FrontEndFixture();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(fixture.tokenUrl());
  }

  /** The values of one column; closes the result set (the 18.3 driver leaks unclosed ones). */
  private static List<String> column(ResultSet rs, String name) throws SQLException {
    try (rs) {
      List<String> values = new ArrayList<>();
      while (rs.next()) {
        values.add(rs.getString(name));
      }
      return values;
    }
  }

  /**
   * Closes a connection opened with the {@code catalog} property. The 18.3 driver closes its client
   * twice, and the second CloseSession fails on the shut channel after the first one succeeded.
   */
  private static void closeCatalogConnection(Connection connection) throws SQLException {
    try {
      connection.close();
    } catch (SQLException e) {
      if (!fullMessage(e).contains("Channel shutdown invoked")) {
        throw e;
      }
    }
  }

  private static List<String> current(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(CURRENT)) {
      assertTrue(rs.next());
      return List.of(rs.getString(1), rs.getString(2));
    }
  }

  // ---- authentication ----

  @Test
  void connectsWithAccessToken() throws SQLException {
    try (Connection connection = connect()) {
      assertEquals(List.of("main", "sales"), current(connection));
    }
  }

  @Test
  void connectsWithUserAndPassword() throws SQLException {
    String url =
        fixture.jdbcUrl(
            "user="
                + InMemoryStatementService.USER
                + "&password="
                + InMemoryStatementService.PASSWORD);
    try (Connection connection = DriverManager.getConnection(url)) {
      assertEquals(List.of("main", "sales"), current(connection));
    }
  }

  @Test
  void rejectsBadToken() {
    SQLException e =
        assertThrows(
            SQLException.class, () -> DriverManager.getConnection(fixture.jdbcUrl("token=nope")));
    assertTrue(fullMessage(e).contains("INVALID_TOKEN"), fullMessage(e));
  }

  @Test
  void rejectsWrongPassword() {
    SQLException e =
        assertThrows(
            SQLException.class,
            () -> DriverManager.getConnection(fixture.jdbcUrl("user=alice&password=wrong")));
    assertTrue(fullMessage(e).contains("INVALID_CREDENTIALS"), fullMessage(e));
  }

  @Test
  void rejectsCallsWithoutCredentials() throws SQLException {
    SQLException e =
        assertThrows(
            SQLException.class,
            () -> {
              try (Connection connection =
                  DriverManager.getConnection(fixture.jdbcUrl("retainAuth=true"))) {
                current(connection);
              }
            });
    assertTrue(fullMessage(e).contains("MISSING_CREDENTIALS"), fullMessage(e));
  }

  // ---- queries ----

  @Test
  void queriesRowsOfEveryType() throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(ORDERS)) {
      ResultSetMetaData meta = rs.getMetaData();
      assertEquals(10, meta.getColumnCount());
      assertEquals("id", meta.getColumnName(1));
      assertEquals(Types.INTEGER, meta.getColumnType(1));
      assertEquals(Types.VARCHAR, meta.getColumnType(2));
      assertEquals(Types.DECIMAL, meta.getColumnType(3));
      assertEquals(Types.DOUBLE, meta.getColumnType(4));
      assertEquals(Types.BOOLEAN, meta.getColumnType(5));
      assertEquals(Types.DATE, meta.getColumnType(6));
      // TIMESTAMP reaches the JDBC driver as a UTC wall clock without a zone (docs/timestamps.md).
      assertEquals(Types.TIMESTAMP, meta.getColumnType(7));
      assertEquals(Types.TIMESTAMP, meta.getColumnType(8));
      assertEquals(Types.BIGINT, meta.getColumnType(9));
      assertEquals(Types.VARBINARY, meta.getColumnType(10));

      assertTrue(rs.next());
      assertEquals(1, rs.getInt("id"));
      assertEquals("customer 1", rs.getString("customer"));
      assertEquals(new BigDecimal("10.25"), rs.getBigDecimal("amount"));
      assertEquals(1.5, rs.getDouble("weight"));
      assertTrue(rs.getBoolean("paid"));
      assertEquals(
          Date.valueOf(InMemoryStatementService.FIRST_ORDER_DAY), rs.getDate("ordered_on"));
      assertEquals(
          InMemoryStatementService.FIRST_ORDER_TIME,
          rs.getTimestamp("local_time").toLocalDateTime());
      // The driver's getObject reads it (a zoned column is "not implemented"), to the microsecond.
      assertEquals(
          InMemoryStatementService.FIRST_ORDER_TIME,
          rs.getObject("created_at", LocalDateTime.class));
      assertEquals(
          Timestamp.valueOf(InMemoryStatementService.FIRST_ORDER_TIME).toString(),
          rs.getString("created_at"));
      assertTrue(rs.getObject("created_at") instanceof Timestamp);
      assertEquals(Long.MAX_VALUE - 1, rs.getLong("big"));
      assertArrayEquals(new byte[] {1, 0, (byte) 0xff}, rs.getBytes("payload"));

      assertTrue(rs.next());
      assertEquals(2, rs.getInt("id"));
      assertFalse(rs.getBoolean("paid"));
      assertTrue(rs.next());
      assertEquals(3, rs.getInt("id"));
      assertNull(rs.getString("customer"));
      assertTrue(rs.wasNull());
      assertFalse(rs.next());
    }
  }

  @Test
  void streamsLargeResultsBatchByBatch() throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(BIG)) {
      long rows = 0;
      long sum = 0;
      while (rs.next()) {
        rows++;
        sum += rs.getLong(1);
      }
      long expectedRows = (long) BIG_BATCHES * BIG_BATCH_ROWS;
      assertEquals(expectedRows, rows);
      assertEquals(expectedRows * (expectedRows - 1) / 2, sum);
      assertEquals(BIG_BATCHES, fixture.service.bigBatchesMade);
    }
  }

  @Test
  void preparedQueryBindsParameters() throws SQLException {
    try (Connection connection = connect();
        PreparedStatement statement = connection.prepareStatement(ORDERS_BY_ID)) {
      assertEquals(1, statement.getParameterMetaData().getParameterCount());
      statement.setInt(1, 2);
      try (ResultSet rs = statement.executeQuery()) {
        assertEquals(List.of("2"), column(rs, "id"));
      }
      assertEquals(List.of(2), lastParameters());
      statement.setInt(1, 3);
      try (ResultSet rs = statement.executeQuery()) {
        assertEquals(List.of("3"), column(rs, "id"));
      }
    }
  }

  @Test
  void preparedUpdateHandsJavaValuesToTheService() throws SQLException {
    try (Connection connection = connect();
        PreparedStatement statement = connection.prepareStatement(INSERT_EVENTS)) {
      statement.setInt(1, 42);
      statement.setLong(2, 1L << 40);
      statement.setString(3, "héllo");
      statement.setBigDecimal(4, new BigDecimal("12.34"));
      statement.setDouble(5, 2.5);
      statement.setBoolean(6, true);
      statement.setDate(7, Date.valueOf("2024-02-29"));
      statement.setTimestamp(8, Timestamp.valueOf("2024-02-29 13:45:30.123"));
      statement.setBytes(9, new byte[] {1, 2, 3});
      assertEquals(1, statement.executeUpdate());

      List<Object> received = lastParameters();
      assertEquals(42, received.get(0));
      assertEquals(1L << 40, received.get(1));
      assertEquals("héllo", received.get(2));
      assertEquals(new BigDecimal("12.34"), received.get(3));
      assertEquals(2.5, received.get(4));
      assertEquals(true, received.get(5));
      assertEquals(LocalDate.of(2024, 2, 29), received.get(6));
      assertEquals(LocalDateTime.of(2024, 2, 29, 13, 45, 30, 123_000_000), received.get(7));
      assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) received.get(8));

      for (int i = 1; i <= 9; i++) {
        statement.setNull(i, Types.NULL);
      }
      assertEquals(1, statement.executeUpdate());
      assertEquals(9, lastParameters().size());
      assertTrue(lastParameters().stream().allMatch(v -> v == null));
    }
  }

  @Test
  void batchOfParameterRowsRunsOncePerRow() throws SQLException {
    try (Connection connection = connect();
        PreparedStatement statement = connection.prepareStatement(INSERT_EVENTS)) {
      int before = fixture.service.receivedParameters.size();
      for (int row = 0; row < 3; row++) {
        statement.setInt(1, row);
        for (int i = 2; i <= 9; i++) {
          statement.setNull(i, Types.NULL);
        }
        statement.addBatch();
      }
      int[] counts = statement.executeBatch();
      // The 18.3 driver sends all rows in one DoPut and reports the sum as one count.
      assertEquals(3, java.util.Arrays.stream(counts).sum());
      assertEquals(before + 3, fixture.service.receivedParameters.size());
    }
  }

  @Test
  void updatesReturnRowCountsAndDdlZero() throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      assertEquals(3, statement.executeUpdate(DELETE_ORDERS));
      assertEquals(0, statement.executeUpdate(CREATE_TABLE));
      assertFalse(statement.execute(CREATE_TABLE));
      assertEquals(0, statement.getUpdateCount());
    }
  }

  // ---- errors ----

  @Test
  void errorsCarrySqlStateAndPosition() throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      SQLException syntax =
          assertThrows(SQLException.class, () -> statement.executeQuery(SYNTAX_ERROR));
      String message = fullMessage(syntax);
      assertTrue(message.contains("[PARSE_SYNTAX_ERROR]"), message);
      assertTrue(message.contains("line 1, column 1"), message);
      assertTrue(message.contains("SQLSTATE: 42601"), message);

      SQLException runtime =
          assertThrows(
              SQLException.class,
              () -> {
                try (ResultSet rs = statement.executeQuery(DIVIDE_BY_ZERO)) {
                  rs.next();
                }
              });
      assertTrue(fullMessage(runtime).contains("SQLSTATE: 22012"), fullMessage(runtime));
    }
  }

  // ---- session: catalog and schema ----

  @Test
  void catalogPropertySwitchesTheConnectionsSession() throws SQLException {
    int closedBefore = fixture.service.closedSessions.size();
    Connection samples = DriverManager.getConnection(fixture.tokenUrl() + "&catalog=samples");
    try (Connection plain = connect()) {
      assertEquals(List.of("samples", "default"), current(samples));
      // Unqualified names now resolve in samples.default, where there is no orders.
      SQLException e =
          assertThrows(
              SQLException.class,
              () -> {
                try (Statement statement = samples.createStatement()) {
                  statement.executeQuery(ORDERS).close();
                }
              });
      assertTrue(fullMessage(e).contains("cannot be found in samples.default"), fullMessage(e));
      // Sessions are per connection.
      assertEquals(List.of("main", "sales"), current(plain));
      assertEquals(List.of("samples", "default"), current(samples));
    } finally {
      closeCatalogConnection(samples);
    }
    // With a catalog set, the driver closes its session on close.
    assertEquals(closedBefore + 1, fixture.service.closedSessions.size());
  }

  @Test
  void userPasswordConnectionKeepsItsSessionToo() throws SQLException {
    Connection connection =
        DriverManager.getConnection(fixture.jdbcUrl("user=alice&password=secret&catalog=samples"));
    try {
      assertEquals(List.of("samples", "default"), current(connection));
      assertEquals(List.of("samples", "default"), current(connection));
    } finally {
      closeCatalogConnection(connection);
    }
  }

  @Test
  void unknownCatalogFailsTheConnection() {
    SQLException e =
        assertThrows(
            SQLException.class,
            () -> DriverManager.getConnection(fixture.tokenUrl() + "&catalog=nope").close());
    assertTrue(fullMessage(e).contains("catalog"), fullMessage(e));
  }

  // ---- cancel ----

  @Test
  void statementCancelStopsALongQuery() throws Exception {
    fixture.service.sleepAwaited = new CountDownLatch(1);
    int canceledBefore = fixture.service.canceledStatements.size();
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      CompletableFuture<Void> running =
          CompletableFuture.runAsync(
              () -> {
                try (ResultSet rs = statement.executeQuery(SLEEP)) {
                  rs.next();
                } catch (SQLException e) {
                  throw new RuntimeException(e);
                }
              });
      // Wait for the DoGet to be waiting on the statement. (The 18.3 driver loses a cancel that
      // lands between creating its result set and registering its stream.)
      assertTrue(fixture.service.sleepAwaited.await(10, TimeUnit.SECONDS));
      statement.cancel();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (fixture.service.canceledStatements.size() == canceledBefore
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(canceledBefore + 1, fixture.service.canceledStatements.size());
      ExecutionException failure =
          assertThrows(ExecutionException.class, () -> running.get(10, TimeUnit.SECONDS));
      // The client sees either the server's CANCELLED status or, when the 18.3 driver's own
      // cancel closes the result set's queue first, its "FlightEndpointDataQueue closed": both are
      // this cancel (the server side is asserted above); any other failure is not.
      String message = fullMessage(failure).toLowerCase();
      assertTrue(
          message.contains("cancel") || message.contains("flightendpointdataqueue closed"),
          fullMessage(failure));
    }
  }

  // ---- DatabaseMetaData, as DBeaver browses ----

  @Test
  void listsCatalogsSchemasAndTables() throws SQLException {
    try (Connection connection = connect()) {
      DatabaseMetaData meta = connection.getMetaData();
      assertEquals(List.of("main", "samples"), column(meta.getCatalogs(), "TABLE_CAT"));

      try (ResultSet rs = meta.getSchemas()) {
        List<String> schemas = new ArrayList<>();
        while (rs.next()) {
          schemas.add(rs.getString("TABLE_CATALOG") + "." + rs.getString("TABLE_SCHEM"));
        }
        assertEquals(List.of("main.default", "main.sales", "samples.tpch"), schemas);
      }
      assertEquals(List.of("sales"), column(meta.getSchemas("main", "s%"), "TABLE_SCHEM"));

      try (ResultSet rs = meta.getTables(null, null, "%", null)) {
        List<String> tables = new ArrayList<>();
        while (rs.next()) {
          tables.add(
              rs.getString("TABLE_CAT")
                  + "."
                  + rs.getString("TABLE_SCHEM")
                  + "."
                  + rs.getString("TABLE_NAME")
                  + ":"
                  + rs.getString("TABLE_TYPE"));
        }
        assertEquals(
            List.of(
                "main.sales.orders:TABLE",
                "main.sales.orders_v:VIEW",
                "samples.tpch.lineitem:TABLE"),
            tables);
      }
      assertEquals(
          List.of("orders_v"),
          column(meta.getTables("main", "sales", "%", new String[] {"VIEW"}), "TABLE_NAME"));
      assertEquals(List.of("TABLE", "VIEW"), column(meta.getTableTypes(), "TABLE_TYPE"));
    }
  }

  @Test
  void describesColumns() throws SQLException {
    try (Connection connection = connect();
        ResultSet rs = connection.getMetaData().getColumns("main", "sales", "orders", null)) {
      assertTrue(rs.next());
      assertEquals("main", rs.getString("TABLE_CAT"));
      assertEquals("sales", rs.getString("TABLE_SCHEM"));
      assertEquals("orders", rs.getString("TABLE_NAME"));
      assertEquals("id", rs.getString("COLUMN_NAME"));
      assertEquals(Types.INTEGER, rs.getInt("DATA_TYPE"));
      assertEquals("INT", rs.getString("TYPE_NAME"));
      assertEquals(DatabaseMetaData.columnNoNulls, rs.getInt("NULLABLE"));
      assertEquals("order number", rs.getString("REMARKS"));
      assertEquals(1, rs.getInt("ORDINAL_POSITION"));

      assertTrue(rs.next());
      assertEquals("customer", rs.getString("COLUMN_NAME"));
      assertEquals("STRING", rs.getString("TYPE_NAME"));
      assertEquals("YES", rs.getString("IS_NULLABLE"));

      assertTrue(rs.next());
      assertEquals("amount", rs.getString("COLUMN_NAME"));
      assertEquals(Types.DECIMAL, rs.getInt("DATA_TYPE"));
      assertEquals("DECIMAL", rs.getString("TYPE_NAME"));
      assertEquals(10, rs.getInt("COLUMN_SIZE"));
      assertEquals(2, rs.getInt("DECIMAL_DIGITS"));

      List<String> rest = new ArrayList<>();
      while (rs.next()) {
        rest.add(rs.getString("COLUMN_NAME") + ":" + rs.getString("TYPE_NAME"));
      }
      assertEquals(
          List.of(
              "weight:DOUBLE",
              "paid:BOOLEAN",
              "ordered_on:DATE",
              "created_at:TIMESTAMP",
              "local_time:TIMESTAMP_NTZ",
              "big:BIGINT",
              "payload:BINARY"),
          rest);
    }
    try (Connection connection = connect()) {
      assertEquals(
          List.of("customer", "created_at"),
          column(
              connection.getMetaData().getColumns("main", "sales", "orders", "c%"), "COLUMN_NAME"));
    }
  }

  @Test
  void keysAreEmptyWithTheirColumns() throws SQLException {
    try (Connection connection = connect()) {
      DatabaseMetaData meta = connection.getMetaData();
      // The 18.3 driver skips zero-row batches, so an empty metadata result has no columns to
      // look up; the key schemas themselves are checked in FlightSqlClientTest.
      try (ResultSet rs = meta.getPrimaryKeys("main", "sales", "orders")) {
        assertFalse(rs.next());
      }
      try (ResultSet rs = meta.getImportedKeys("main", "sales", "orders")) {
        assertFalse(rs.next());
      }
      try (ResultSet rs = meta.getExportedKeys("main", "sales", "orders")) {
        assertFalse(rs.next());
      }
      try (ResultSet rs =
          meta.getCrossReference("main", "sales", "orders", "main", "sales", "orders_v")) {
        assertFalse(rs.next());
      }
      // The 18.3 driver answers getTypeInfo locally (empty), never asking the server.
      try (ResultSet rs = meta.getTypeInfo()) {
        assertNotNull(rs.getMetaData());
      }
    }
  }

  @Test
  void describesTheServer() throws SQLException {
    try (Connection connection = connect()) {
      DatabaseMetaData meta = connection.getMetaData();
      assertEquals("Aquifer", meta.getDatabaseProductName());
      // From the filtered version resource, so the project version, never "unknown".
      assertFalse(meta.getDatabaseProductVersion().equals("unknown"));
      assertEquals("`", meta.getIdentifierQuoteString());
      assertEquals("\\", meta.getSearchStringEscape());
      assertFalse(meta.supportsTransactions());
      assertFalse(meta.supportsStoredProcedures());
      assertTrue(meta.supportsFullOuterJoins());
      assertTrue(meta.supportsANSI92EntryLevelSQL());
      assertFalse(meta.supportsANSI92FullSQL());
      assertEquals("catalog", meta.getCatalogTerm());
      assertTrue(meta.supportsResultSetType(ResultSet.TYPE_FORWARD_ONLY));
      assertFalse(meta.supportsResultSetType(ResultSet.TYPE_SCROLL_SENSITIVE));
      assertTrue(meta.getSQLKeywords().contains("QUALIFY"));
    }
  }

  /**
   * Every no-argument DatabaseMetaData method answers: the 18.3 driver throws a
   * NullPointerException for any SqlInfo a server leaves out, and DBeaver calls most of them.
   */
  @Test
  void everyDatabaseMetaDataPropertyAnswers() throws Exception {
    try (Connection connection = connect()) {
      DatabaseMetaData meta = connection.getMetaData();
      List<String> failures = new ArrayList<>();
      for (Method method : DatabaseMetaData.class.getMethods()) {
        Class<?> type = method.getReturnType();
        if (method.getParameterCount() != 0 || !(type.isPrimitive() || type == String.class)) {
          continue;
        }
        try {
          method.invoke(meta);
        } catch (InvocationTargetException e) {
          if (e.getCause() instanceof NullPointerException
              || e.getCause() instanceof ClassCastException) {
            failures.add(method.getName() + ": " + e.getCause());
          }
        }
      }
      assertEquals(List.of(), failures);
    }
  }

  // ---- helpers ----

  private static List<Object> lastParameters() {
    List<List<Object>> all = fixture.service.receivedParameters;
    return all.get(all.size() - 1);
  }

  private static String fullMessage(Throwable e) {
    StringBuilder message = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      message.append(t.getMessage()).append(" / ");
    }
    return message.toString();
  }
}
