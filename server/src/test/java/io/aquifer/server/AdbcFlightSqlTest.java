package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.adbc.core.AdbcConnection;
import org.apache.arrow.adbc.core.AdbcDatabase;
import org.apache.arrow.adbc.core.AdbcDriver;
import org.apache.arrow.adbc.core.AdbcException;
import org.apache.arrow.adbc.core.AdbcStatement;
import org.apache.arrow.adbc.driver.flightsql.FlightSqlDriver;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user of ADBC's Flight SQL driver for Java ({@code adbc-driver-flight-sql} 0.20.0, the
 * driver behind ADBC's Python and R packages' Java sibling) gets from a real server: queries with
 * Arrow types (TIMESTAMP as an instant in UTC), prepared statements with bound parameters, updates,
 * catalog browsing, table schemas and errors with their SQLSTATE. ADBC's validation suite ({@code
 * adbc-driver-validation}) is not served by the package registry here, so these checks stand in for
 * it; docs/flight-sql-jdbc.md records the outcome.
 */
class AdbcFlightSqlTest {
  @TempDir static Path dataDirectory;
  private static RunningServer server;
  private static BufferAllocator allocator;
  private static AdbcDatabase database;

  @BeforeAll
  static void start() throws Exception {
    server = RunningServer.start(dataDirectory);
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA adbc");
      s.execute("CREATE TABLE adbc.t (id INT, name STRING, at TIMESTAMP) COMMENT 'for adbc'");
      s.execute(
          "INSERT INTO adbc.t VALUES (1, 'one', TIMESTAMP '2024-05-01 10:00:00'),"
              + " (2, 'two', NULL)");
    }
    allocator = new RootAllocator();
    Map<String, Object> parameters = new HashMap<>();
    AdbcDriver.PARAM_URI.set(parameters, "grpc+tcp://127.0.0.1:" + server.server().flightPort());
    AdbcDriver.PARAM_USERNAME.set(parameters, "token");
    AdbcDriver.PARAM_PASSWORD.set(parameters, server.token());
    // ADBC for Java speaks gRPC-Java, which the server takes for the Flight SQL JDBC driver: it
    // asks
    // for TIMESTAMP as an instant (docs/timestamps.md).
    parameters.put(
        org.apache.arrow.adbc.driver.flightsql.FlightSqlConnectionProperties.RPC_CALL_HEADER_PREFIX
            + "x-aquifer-timestamps",
        "instant");
    database = new FlightSqlDriver(allocator).open(parameters);
  }

  @AfterAll
  static void stop() throws Exception {
    if (database != null) {
      database.close();
    }
    if (server != null) {
      server.close();
    }
    if (allocator != null) {
      allocator.close();
    }
  }

  @Test
  void queryGivesArrowTypesAndRows() throws Exception {
    try (AdbcConnection c = database.connect();
        AdbcStatement s = c.createStatement()) {
      s.setSqlQuery("SELECT id, name, at FROM main.adbc.t ORDER BY id");
      try (AdbcStatement.QueryResult result = s.executeQuery();
          ArrowReader reader = result.getReader()) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        Schema schema = root.getSchema();
        assertEquals(new ArrowType.Int(32, true), schema.getFields().get(0).getType());
        assertEquals(ArrowType.Utf8.INSTANCE, schema.getFields().get(1).getType());
        ArrowType at = schema.getFields().get(2).getType();
        assertTrue(
            at instanceof ArrowType.Timestamp ts && "UTC".equals(ts.getTimezone()),
            "TIMESTAMP reaches Arrow-native clients as an instant: " + at);
        List<String> rows = new ArrayList<>();
        while (reader.loadNextBatch()) {
          for (int i = 0; i < root.getRowCount(); i++) {
            rows.add(
                root.getVector(0).getObject(i)
                    + "|"
                    + root.getVector(1).getObject(i)
                    + "|"
                    + root.getVector(2).getObject(i));
          }
        }
        assertEquals(List.of("1|one|1714557600000000", "2|two|null"), rows);
      }
    }
  }

  @Test
  void emptyResultKeepsItsSchema() throws Exception {
    try (AdbcConnection c = database.connect();
        AdbcStatement s = c.createStatement()) {
      s.setSqlQuery("SELECT id, name FROM main.adbc.t WHERE id > 100");
      try (AdbcStatement.QueryResult result = s.executeQuery();
          ArrowReader reader = result.getReader()) {
        assertEquals(2, reader.getVectorSchemaRoot().getSchema().getFields().size());
        long rows = 0;
        while (reader.loadNextBatch()) {
          rows += reader.getVectorSchemaRoot().getRowCount();
        }
        assertEquals(0, rows);
      }
    }
  }

  /**
   * ADBC 0.20.0 sends every call on a prepared statement after {@code prepare()} without its
   * credentials: {@code FlightSqlStatement} calls Arrow's {@code PreparedStatement.execute()} and
   * {@code executeUpdate()} with no {@code CallOption}s instead of going through its {@code
   * FlightSqlClientWithCallOptions}, and closes it with the option-less {@code close()}. The server
   * answers MISSING_CREDENTIALS, which it gives only to a call with no Authorization header at all
   * (a wrong token is UNAUTHENTICATED). Fixed upstream in ADBC 0.21.0 (apache/arrow-adbc #3586,
   * executing) and 0.24.0 (#4513, closing); neither is served by the registry here. When the driver
   * is upgraded these assertions fail: assert the rows instead (docs/flight-sql-jdbc.md).
   */
  @Test
  void preparedStatementCallsAfterPrepareCarryNoCredentialsInAdbc020() throws Exception {
    try (AdbcConnection c = database.connect()) {
      AdbcStatement s = c.createStatement();
      s.setSqlQuery("SELECT name FROM main.adbc.t WHERE id = ?");
      s.prepare(); // ActionCreatePreparedStatementRequest: sent with the credentials, works
      Schema parameters = s.getParameterSchema();
      assertEquals(1, parameters.getFields().size());
      try (VectorSchemaRoot bind =
          VectorSchemaRoot.create(
              new Schema(
                  List.of(
                      org.apache.arrow.vector.types.pojo.Field.nullable(
                          "p0", new ArrowType.Int(32, true)))),
              allocator)) {
        ((IntVector) bind.getVector(0)).setSafe(0, 2);
        bind.setRowCount(1);
        s.bind(bind);
        // DoPut of the parameters, without credentials.
        AdbcException e = assertThrows(AdbcException.class, s::executeQuery);
        assertTrue(e.getMessage().contains("[MISSING_CREDENTIALS]"), e.getMessage());
      }
      // ActionClosePreparedStatementRequest, without credentials. The server drops the statement
      // with the connection's session instead.
      Exception close = assertThrows(Exception.class, s::close);
      assertTrue(close.getMessage().contains("[MISSING_CREDENTIALS]"), close.getMessage());

      // Not about parameters: a prepared statement without any fails alike (GetFlightInfo).
      AdbcStatement plain = c.createStatement();
      plain.setSqlQuery("SELECT name FROM main.adbc.t WHERE id = 2");
      plain.prepare();
      AdbcException unbound = assertThrows(AdbcException.class, plain::executeQuery);
      assertTrue(unbound.getMessage().contains("[MISSING_CREDENTIALS]"), unbound.getMessage());
      assertThrows(Exception.class, plain::close);

      // The same query unprepared goes through the driver's call options and runs.
      try (AdbcStatement direct = c.createStatement()) {
        direct.setSqlQuery("SELECT name FROM main.adbc.t WHERE id = 2");
        try (AdbcStatement.QueryResult result = direct.executeQuery();
            ArrowReader reader = result.getReader()) {
          assertTrue(reader.loadNextBatch());
          assertEquals("two", reader.getVectorSchemaRoot().getVector(0).getObject(0).toString());
        }
      }
    }
  }

  @Test
  void updatesReportTheirCount() throws Exception {
    try (AdbcConnection c = database.connect();
        AdbcStatement s = c.createStatement()) {
      s.setSqlQuery("CREATE TABLE main.adbc.written (v INT)");
      s.executeUpdate();
      s.setSqlQuery("INSERT INTO main.adbc.written VALUES (1), (2), (3)");
      assertEquals(3, s.executeUpdate().getAffectedRows());
    }
  }

  @Test
  void catalogBrowsingAndTableSchema() throws Exception {
    try (AdbcConnection c = database.connect()) {
      // getTableTypes() is not implemented by the ADBC driver itself (NOT_IMPLEMENTED, no call).
      assertThrows(AdbcException.class, c::getTableTypes);
      // getTableSchema() is not implemented by the ADBC driver either; getObjects has columns.
      assertThrows(AdbcException.class, () -> c.getTableSchema("main", "adbc", "t"));
      // Depth ALL (columns) needs Arrow's flight-sql-jdbc-core classes, which this class path has
      // only shaded inside the Flight SQL JDBC driver (NoSuchMethodError): tables are checked.
      long catalogs = 0;
      try (ArrowReader reader =
          c.getObjects(AdbcConnection.GetObjectsDepth.TABLES, "main", "adbc", "t", null, null)) {
        while (reader.loadNextBatch()) {
          catalogs += reader.getVectorSchemaRoot().getRowCount();
        }
      }
      assertEquals(1, catalogs, "getObjects finds the catalog holding main.adbc.t");
      try (ArrowReader reader = c.getInfo()) {
        // The driver's info reader needs its root made before the first batch (NPE otherwise).
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        assertTrue(reader.loadNextBatch());
        assertTrue(root.getRowCount() > 0);
      }
    }
  }

  @Test
  void errorsCarryTheSqlState() throws Exception {
    try (AdbcConnection c = database.connect();
        AdbcStatement s = c.createStatement()) {
      s.setSqlQuery("SELECT nosuch FROM main.adbc.t");
      AdbcException e = assertThrows(AdbcException.class, s::executeQuery);
      assertTrue(e.getMessage().contains("[UNRESOLVED_COLUMN]"), e.getMessage());
      assertTrue(e.getMessage().contains("42703"), e.getMessage());
      assertFalse(e.getMessage().contains("duckdb"), e.getMessage());
    }
  }
}
