package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.math.BigDecimal;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Aquifer's JDBC driver as a tool uses it: the built jar (jdbc-driver/target/aquifer-jdbc-*.jar)
 * alone in its own class loader, found through {@code java.sql.Driver} service loading, against a
 * real server. Values are checked against what the Arrow Flight SQL driver reads from the same
 * table.
 */
class AquiferJdbcDriverTest {
  private static final String LONG_QUERY =
      "SELECT count(*) FROM million a, million b WHERE (a.id * 31 + b.id * 17) % 1000003 = 5";

  @TempDir static Path dataDirectory;
  private static RunningServer server;
  private static Path jar;
  private static URLClassLoader loader;
  private static Driver driver;

  @BeforeAll
  static void start() throws Exception {
    jar = driverJar();
    loader =
        new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    List<Driver> drivers = new ArrayList<>();
    ServiceLoader.load(Driver.class, loader).forEach(drivers::add);
    assertEquals(1, drivers.size(), drivers.toString());
    driver = drivers.get(0);
    assertEquals("io.aquifer.jdbc.AquiferDriver", driver.getClass().getName());
    assertEquals(loader, driver.getClass().getClassLoader());

    server = RunningServer.start(dataDirectory);
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA jd");
      s.execute("CREATE TABLE jd.ten (x BIGINT)");
      s.execute("INSERT INTO jd.ten VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)");
      s.execute(
          "CREATE TABLE jd.million AS SELECT a.x * 100000 + b.x * 10000 + c.x * 1000 + d.x * 100"
              + " + e.x * 10 + f.x AS id, 'row-' || CAST(a.x AS STRING) AS label"
              + " FROM jd.ten a, jd.ten b, jd.ten c, jd.ten d, jd.ten e, jd.ten f");
      s.execute(
          "CREATE TABLE jd.types (b BOOLEAN, i INT, l BIGINT, f FLOAT, d DOUBLE, dec DECIMAL(20,5),"
              + " small DECIMAL(4,2), s STRING, bin BINARY, dt DATE, ts TIMESTAMP, ntz TIMESTAMP_NTZ)");
      s.execute(
          "INSERT INTO jd.types VALUES (true, 3, 4, CAST(1.5 AS FLOAT), 2.25,"
              + " CAST(-12345.67891 AS DECIMAL(20,5)), CAST(0.5 AS DECIMAL(4,2)), 'text é', CAST('ab' AS BINARY),"
              + " DATE '2024-02-29', TIMESTAMP '2024-05-01 10:00:00.123', CAST('1969-12-31 23:59:58.250' AS TIMESTAMP_NTZ))");
      s.execute("INSERT INTO jd.types (b) VALUES (NULL)");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (loader != null) {
      loader.close();
    }
  }

  /** The shaded jar as built in this checkout (mvn package), else as installed. */
  private static Path driverJar() {
    for (String property : List.of("aquifer.jdbc.jar", "aquifer.jdbc.installedJar")) {
      String location = System.getProperty(property);
      if (location != null && Files.isRegularFile(Path.of(location))) {
        return Path.of(location);
      }
    }
    throw new IllegalStateException(
        "The Aquifer JDBC driver jar is not built; run 'mvn -pl jdbc-driver package' (looked at "
            + System.getProperty("aquifer.jdbc.jar")
            + ")");
  }

  private static Connection connect(String pathAndQuery) throws SQLException {
    Properties p = new Properties();
    p.setProperty("token", server.token());
    return connect(pathAndQuery, p);
  }

  private static Connection connect(String pathAndQuery, Properties p) throws SQLException {
    Connection c = driver.connect(server.aquiferJdbcUrl() + pathAndQuery, p);
    assertNotNull(c, "the driver should accept its own URL");
    return c;
  }

  @Test
  void theJarHoldsOnlyAquiferClassesAndOneDriver() throws Exception {
    try (JarFile file = new JarFile(jar.toFile())) {
      List<String> foreign = new ArrayList<>();
      for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
        String name = entries.nextElement().getName();
        if (name.endsWith(".class") && !name.startsWith("io/aquifer/jdbc/")) {
          foreign.add(name);
        }
      }
      assertEquals(List.of(), foreign);
      assertTrue(
          Stream.of(
                  file.getEntry(
                      "io/aquifer/jdbc/shaded/org/apache/calcite/avatica/remote/Driver.class"),
                  file.getEntry("io/aquifer/jdbc/shaded/com/google/protobuf/Message.class"))
              .allMatch(e -> e != null));
    }
    assertThrows(
        ClassNotFoundException.class,
        () -> loader.loadClass("org.apache.calcite.avatica.remote.Driver"));
    assertFalse(driver.acceptsURL("jdbc:avatica:remote:url=http://localhost:8765"));
    assertTrue(driver.acceptsURL("jdbc:aquifer://localhost"));
  }

  @Test
  void identifiesAsAquifer() throws Exception {
    try (Connection c = connect("?token=" + server.token(), new Properties())) {
      DatabaseMetaData md = c.getMetaData();
      assertEquals("Aquifer", md.getDatabaseProductName());
      assertFalse(md.getDatabaseProductVersion().isBlank());
      assertEquals("Aquifer JDBC Driver", md.getDriverName());
      assertTrue(
          jar.getFileName().toString().contains(md.getDriverVersion()), md.getDriverVersion());
      assertEquals("`", md.getIdentifierQuoteString());
      assertTrue(md.storesLowerCaseIdentifiers());
      assertFalse(md.supportsTransactions());
      assertTrue(md.nullsAreSortedLow());
      assertEquals(server.aquiferJdbcUrl(), md.getURL(), "no token in the URL shown");
      assertEquals("main", c.getCatalog());
      assertEquals("default", c.getSchema());
    }
  }

  @Test
  void defaultCatalogAndSchemaFromTheUrl() throws Exception {
    try (Connection c = connect("/main/jd");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), sum(x) FROM ten")) {
      assertEquals("jd", c.getSchema());
      assertTrue(rs.next());
      assertEquals(10, rs.getLong(1));
      assertEquals(45, rs.getLong(2));
    }
    Properties p = new Properties();
    p.setProperty("token", server.token());
    p.setProperty("schema", "jd");
    try (Connection c = connect("", p);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM ten")) {
      assertTrue(rs.next());
      assertEquals(10, rs.getLong(1));
    }
    SQLException catalog = assertThrows(SQLException.class, () -> connect("/nope"));
    assertEquals("42704", catalog.getSQLState(), catalog.getMessage());
    assertTrue(catalog.getMessage().contains("nope"), catalog.getMessage());
    SQLException schema = assertThrows(SQLException.class, () -> connect("/main/nope"));
    assertEquals("3F000", schema.getSQLState(), schema.getMessage());
  }

  @Test
  void badTokenAndMissingTokenFailWithSqlExceptions() {
    Properties p = new Properties();
    p.setProperty("token", "dapi" + "0".repeat(64));
    SQLException bad = assertThrows(SQLException.class, () -> connect("", p));
    assertEquals("28000", bad.getSQLState(), bad.getMessage());
    assertTrue(bad.getMessage().contains("invalid or expired access token"), bad.getMessage());
    SQLException none = assertThrows(SQLException.class, () -> connect("", new Properties()));
    assertEquals("28000", none.getSQLState(), none.getMessage());
    Properties basic = new Properties();
    basic.setProperty("user", "token");
    basic.setProperty("password", "wrong");
    assertThrows(SQLException.class, () -> connect("", basic));
  }

  @Test
  void badSqlNamesTheProblemTheSqlStateAndThePosition() throws Exception {
    try (Connection c = connect("/main/jd");
        Statement s = c.createStatement()) {
      SQLException e =
          assertThrows(
              SQLException.class, () -> s.executeQuery("SELECT x FROM ten\nWHERE nope = 1"));
      assertEquals("42703", e.getSQLState());
      assertTrue(
          e.getMessage().contains("nope") && e.getMessage().contains("line 2, column 7"),
          e.getMessage());
      SQLException table =
          assertThrows(SQLException.class, () -> c.prepareStatement("SELECT * FROM no_such_table"));
      assertTrue(table.getMessage().contains("no_such_table"), table.getMessage());
    }
  }

  /** Labels as written, duplicates included, as Databricks and the Flight SQL path show them. */
  @Test
  void duplicateColumnLabelsAreKeptAsWritten() throws Exception {
    String sql = "SELECT 1 AS a, 2 AS a, x AS a0 FROM ten WHERE x = 3";
    List<String> expected = List.of("a", "a", "a0");
    try (Connection c = connect("/main/jd")) {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(sql)) {
        assertEquals(expected, labels(rs.getMetaData()));
        assertTrue(rs.next());
        assertEquals(List.of(1, 2, 3), List.of(rs.getInt(1), rs.getInt(2), rs.getInt(3)));
      }
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        assertEquals(expected, labels(ps.getMetaData()));
        try (ResultSet rs = ps.executeQuery()) {
          assertEquals(expected, labels(rs.getMetaData()));
        }
      }
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT t.x, u.x FROM ten t JOIN ten u ON t.x = u.x")) {
        assertEquals(List.of("x", "x"), labels(rs.getMetaData()));
      }
      // A star keeps each column's own name; an alias the statement writes stays.
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT * FROM ten t JOIN ten u ON t.x = u.x")) {
        assertEquals(List.of("x", "x"), labels(rs.getMetaData()));
      }
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery("SELECT t.*, u.x AS x0, u.* FROM ten t JOIN ten u ON t.x = u.x")) {
        assertEquals(List.of("x", "x0", "x"), labels(rs.getMetaData()));
      }
    }
    // The same labels over Flight SQL.
    try (Connection c = server.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM jd.ten t JOIN jd.ten u ON t.x = u.x")) {
      assertEquals(List.of("x", "x"), labels(rs.getMetaData()));
    }
  }

  private static List<String> labels(java.sql.ResultSetMetaData md) throws SQLException {
    List<String> labels = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      labels.add(md.getColumnLabel(i));
    }
    return labels;
  }

  @Test
  void preparedStatementsBindParameters() throws Exception {
    try (Connection c = connect("/main/jd")) {
      try (Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE events (id INT, at TIMESTAMP, ntz TIMESTAMP_NTZ, amount DECIMAL(10,2), raw BINARY)");
      }
      java.sql.Timestamp at = java.sql.Timestamp.valueOf("2024-05-01 10:00:00.5");
      // A TIMESTAMP (with local time zone) parameter fails in the engine, over Flight SQL as
      // well ("Type with name TIMESTAMP_WITH_LOCAL_TIME_ZONE does not exist"); TIMESTAMP_NTZ works.
      try (PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO events VALUES (?, TIMESTAMP '2024-05-01 10:00:00.5', ?, ?, ?)")) {
        insert.setInt(1, 1);
        insert.setTimestamp(2, at);
        insert.setBigDecimal(3, new BigDecimal("12.34"));
        insert.setBytes(4, new byte[] {0, 1, (byte) 255});
        assertEquals(1, insert.executeUpdate());
      }
      try (PreparedStatement query =
          c.prepareStatement(
              "SELECT id, at, ntz, amount, raw FROM events WHERE ntz = ? AND amount > ?")) {
        query.setTimestamp(1, at);
        query.setDouble(2, 1.5);
        try (ResultSet rs = query.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(1, rs.getInt(1));
          assertEquals(at, rs.getTimestamp(2));
          assertEquals(at, rs.getTimestamp(3));
          assertEquals(new BigDecimal("12.34"), rs.getBigDecimal(4));
          assertTrue(Arrays.equals(new byte[] {0, 1, (byte) 255}, rs.getBytes(5)));
          assertFalse(rs.next());
        }
      }
    }
  }

  @Test
  void cancelStopsALongQueryAndTheStatementStaysUsable() throws Exception {
    try (Connection c = connect("/main/jd");
        Statement s = c.createStatement()) {
      CompletableFuture<Throwable> outcome = runAsync(() -> s.executeQuery(LONG_QUERY).next());
      Thread.sleep(1500);
      assertFalse(outcome.isDone(), () -> "the query should still be running: " + outcome.join());
      s.cancel();
      Throwable error = outcome.get(30, TimeUnit.SECONDS);
      assertTrue(error instanceof SQLException, String.valueOf(error));
      assertEquals("57014", ((SQLException) error).getSQLState(), error.getMessage());
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM ten")) {
        assertTrue(rs.next());
        assertEquals(10, rs.getLong(1));
      }
      try (PreparedStatement p = c.prepareStatement(LONG_QUERY.replace("= 5", "= ?"))) {
        p.setInt(1, 5);
        CompletableFuture<Throwable> prepared = runAsync(() -> p.executeQuery().next());
        Thread.sleep(1000);
        assertFalse(
            prepared.isDone(), () -> "the query should still be running: " + prepared.join());
        p.cancel();
        Throwable preparedError = prepared.get(30, TimeUnit.SECONDS);
        assertTrue(preparedError instanceof SQLException, String.valueOf(preparedError));
        assertEquals("57014", ((SQLException) preparedError).getSQLState());
      }
    }
  }

  @Test
  void anotherConnectionOfTheSameUserCancelsARunningStatement() throws Exception {
    Properties bob = new Properties();
    bob.setProperty("token", QueryHistoryEndToEndTest.createUserToken(server, "bob"));
    try (Connection runner = connect("/main/jd");
        Statement s = runner.createStatement();
        Connection other = connect("");
        Connection bobs = connect("", bob)) {
      assertEquals(Optional.empty(), runningStatementId(s), "nothing runs yet");
      CompletableFuture<Throwable> outcome = runAsync(() -> s.executeQuery(LONG_QUERY).next());
      try {
        crossConnectionCancel(s, outcome, other, bobs);
      } finally {
        // A failed assertion must not leave the query running (closing s would wait for it).
        s.cancel();
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM ten")) {
        assertTrue(rs.next());
        assertEquals(10, rs.getLong(1));
      }
      assertEquals(Optional.empty(), runningStatementId(s), "the count was read to its end");
      try (PreparedStatement p = runner.prepareStatement(LONG_QUERY.replace("= 5", "= ?"))) {
        p.setInt(1, 5);
        CompletableFuture<Throwable> prepared = runAsync(() -> p.executeQuery().next());
        try {
          cancelStatement(other, awaitRunningStatementId(p, prepared));
          Throwable preparedError = prepared.get(30, TimeUnit.SECONDS);
          assertTrue(preparedError instanceof SQLException, String.valueOf(preparedError));
          assertEquals("57014", ((SQLException) preparedError).getSQLState());
        } finally {
          p.cancel();
        }
      }
    }
  }

  private static void crossConnectionCancel(
      Statement s, CompletableFuture<Throwable> outcome, Connection other, Connection bobs)
      throws Exception {
    String id = awaitRunningStatementId(s, outcome);
    SQLException unknown =
        assertThrows(SQLException.class, () -> cancelStatement(other, "no-such-statement"));
    assertEquals("42000", unknown.getSQLState(), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("STATEMENT_NOT_FOUND"), unknown.getMessage());
    SQLException foreign = assertThrows(SQLException.class, () -> cancelStatement(bobs, id));
    assertEquals("42000", foreign.getSQLState(), foreign.getMessage());
    assertTrue(foreign.getMessage().contains("STATEMENT_NOT_FOUND"), foreign.getMessage());
    assertFalse(
        outcome.isDone(), () -> "another user's cancel stopped the query: " + outcome.join());

    cancelStatement(other, id);
    Throwable error = outcome.get(30, TimeUnit.SECONDS);
    assertTrue(error instanceof SQLException, String.valueOf(error));
    assertEquals("57014", ((SQLException) error).getSQLState(), error.getMessage());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (server.server().runningEngineQueries() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(0, server.server().runningEngineQueries(), "the engine still runs the query");
    cancelStatement(other, id); // it ended: a no-op
  }

  /** Polls {@code AquiferJdbcStatement.runningStatementId()} until the execution has an id. */
  private static String awaitRunningStatementId(Statement s, CompletableFuture<Throwable> outcome)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      assertFalse(outcome.isDone(), () -> "the query ended early: " + outcome.join());
      Optional<String> id = runningStatementId(s);
      if (id.isPresent()) {
        return id.get();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the statement never reported a running statement id");
  }

  @SuppressWarnings("unchecked")
  private static Optional<String> runningStatementId(Statement s) throws Exception {
    Class<?> iface = Class.forName("io.aquifer.jdbc.AquiferJdbcStatement", true, loader);
    return (Optional<String>) invoke(iface, s.unwrap(iface), "runningStatementId");
  }

  private static void cancelStatement(Connection c, String statementId) throws SQLException {
    try {
      Class<?> iface = Class.forName("io.aquifer.jdbc.AquiferJdbcConnection", true, loader);
      invoke(iface, c.unwrap(iface), "cancelStatement", statementId);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }

  private static Object invoke(Class<?> iface, Object target, String method, String... args)
      throws SQLException {
    try {
      Class<?>[] types = new Class<?>[args.length];
      Arrays.fill(types, String.class);
      return iface.getMethod(method, types).invoke(target, (Object[]) args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof SQLException sql) {
        throw sql;
      }
      throw new AssertionError(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void setQueryTimeoutCancelsOnTheServerAndTheStatementStaysUsable() throws Exception {
    try (Connection c = connect("/main/jd");
        Statement s = c.createStatement()) {
      s.setQueryTimeout(1);
      SQLException e =
          assertThrows(
              SQLException.class,
              () -> {
                try (ResultSet rs = s.executeQuery(LONG_QUERY)) {
                  rs.next();
                }
              });
      assertEquals("57014", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().contains("STATEMENT_TIMEOUT"), e.getMessage());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (server.server().runningEngineQueries() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(0, server.server().runningEngineQueries(), "the engine still runs the query");
      s.setQueryTimeout(0);
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM ten")) {
        assertTrue(rs.next());
        assertEquals(10, rs.getLong(1));
      }
    }
  }

  @Test
  void aMillionRowsStreamInFramesInBoundedMemory() throws Exception {
    long before = server.server().gateway().allocator().getAllocatedMemory();
    long rows = 0;
    long sum = 0;
    long peak = 0;
    try (Connection c = connect("/main/jd");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, label FROM million")) {
      assertEquals(10_000, s.getFetchSize());
      while (rs.next()) {
        rows++;
        sum += rs.getLong(1);
        if (rows % 50_000 == 0) {
          peak =
              Math.max(peak, server.server().gateway().allocator().getAllocatedMemory() - before);
        }
      }
    }
    assertEquals(1_000_000, rows);
    assertEquals(999_999L * 1_000_000L / 2, sum);
    // About 18 MB of Arrow data in all; the server holds a batch or two at a time.
    assertTrue(peak < 8L << 20, "server held " + peak + " bytes while streaming");
  }

  /**
   * The server reads each next frame while the client reads the current one, sized as the last
   * fetch asked; fetch sizes that change on the way still give every row once, in order.
   */
  @Test
  void framesOfChangingSizesGiveEveryRowOnceInOrder() throws Exception {
    try (Connection c = connect("/main/jd");
        Statement s = c.createStatement()) {
      s.setFetchSize(3000);
      try (ResultSet rs = s.executeQuery("SELECT id FROM million WHERE id < 20000 ORDER BY id")) {
        long expected = 0;
        while (rs.next()) {
          assertEquals(expected, rs.getLong(1));
          expected++;
          if (expected == 4000) {
            s.setFetchSize(700); // smaller than the frame read ahead
          } else if (expected == 9000) {
            s.setFetchSize(5000); // larger
          }
        }
        assertEquals(20_000, expected);
      }
      // The statement runs again after a result read partly and closed.
      try (ResultSet rs = s.executeQuery("SELECT id FROM million ORDER BY id")) {
        assertTrue(rs.next());
        assertEquals(0, rs.getLong(1));
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM ten")) {
        assertTrue(rs.next());
        assertEquals(10, rs.getLong(1));
      }
    }
  }

  @Test
  void metadataAsDbeaverBrowsesIt() throws Exception {
    try (Connection c = connect("")) {
      DatabaseMetaData md = c.getMetaData();
      List<String> catalogs = new ArrayList<>();
      try (ResultSet rs = md.getCatalogs()) {
        while (rs.next()) {
          catalogs.add(rs.getString(1));
        }
      }
      assertTrue(catalogs.contains("main"), catalogs.toString());
      try (ResultSet rs = md.getSchemas("main", "j%")) {
        assertTrue(rs.next());
        assertEquals("jd", rs.getString("TABLE_SCHEM"));
        assertEquals("main", rs.getString("TABLE_CATALOG"));
        assertFalse(rs.next());
      }
      try (ResultSet rs = md.getTables("main", "jd", null, null)) {
        List<String> tables = new ArrayList<>();
        while (rs.next()) {
          tables.add(rs.getString("TABLE_NAME"));
        }
        assertTrue(tables.containsAll(List.of("million", "ten", "types")), tables.toString());
      }
      try (ResultSet rs = md.getColumns("main", "jd", "types", "dec")) {
        assertTrue(rs.next());
        assertEquals(Types.DECIMAL, rs.getInt("DATA_TYPE"));
        assertEquals("DECIMAL", rs.getString("TYPE_NAME"));
        assertEquals(20, rs.getInt("COLUMN_SIZE"));
        assertEquals(5, rs.getInt("DECIMAL_DIGITS"));
        assertEquals(DatabaseMetaData.columnNullable, rs.getInt("NULLABLE"));
        assertFalse(rs.next());
      }
      try (ResultSet rs = md.getPrimaryKeys("main", "jd", "ten")) {
        assertFalse(rs.next());
      }
      try (ResultSet rs = md.getTypeInfo()) {
        int previous = Integer.MIN_VALUE;
        while (rs.next()) {
          assertTrue(rs.getInt("DATA_TYPE") >= previous, "type info is ordered by DATA_TYPE");
          previous = rs.getInt("DATA_TYPE");
        }
      }
    }
  }

  @Test
  void typesReadTheSameAsOverFlightSql() throws Exception {
    String sql = "SELECT * FROM jd.types ORDER BY b NULLS LAST";
    try (Connection flight = server.connect();
        Statement fs = flight.createStatement();
        ResultSet expected = fs.executeQuery(sql);
        Connection avatica = connect("");
        Statement as = avatica.createStatement();
        ResultSet actual = as.executeQuery(sql)) {
      ResultSetMetaData em = expected.getMetaData();
      ResultSetMetaData am = actual.getMetaData();
      assertEquals(em.getColumnCount(), am.getColumnCount());
      for (int i = 1; i <= em.getColumnCount(); i++) {
        assertEquals(em.getColumnName(i), am.getColumnName(i));
      }
      int dec = actual.findColumn("dec");
      assertEquals(Types.DECIMAL, am.getColumnType(dec));
      // The Flight SQL driver 18.3 reports 0 for both; the column is DECIMAL(20,5).
      assertEquals(20, am.getPrecision(dec));
      assertEquals(5, am.getScale(dec));
      assertEquals(4, am.getPrecision(actual.findColumn("small")));
      assertEquals(2, am.getScale(actual.findColumn("small")));
      assertEquals(Types.VARBINARY, am.getColumnType(actual.findColumn("bin")));
      assertEquals(Types.DATE, am.getColumnType(actual.findColumn("dt")));
      assertEquals(Types.TIMESTAMP, am.getColumnType(actual.findColumn("ntz")));
      assertEquals("TIMESTAMP", am.getColumnTypeName(actual.findColumn("ts")));
      assertEquals("TIMESTAMP_NTZ", am.getColumnTypeName(actual.findColumn("ntz")));

      for (int row = 0; row < 2; row++) {
        assertTrue(expected.next());
        assertTrue(actual.next());
        assertEquals(expected.getBoolean("b"), actual.getBoolean("b"));
        assertEquals(expected.wasNull(), actual.wasNull());
        assertEquals(expected.getInt("i"), actual.getInt("i"));
        assertEquals(expected.getLong("l"), actual.getLong("l"));
        assertEquals(expected.getFloat("f"), actual.getFloat("f"));
        assertEquals(expected.getDouble("d"), actual.getDouble("d"));
        assertEquals(expected.getBigDecimal("dec"), actual.getBigDecimal("dec"));
        assertEquals(expected.getBigDecimal("small"), actual.getBigDecimal("small"));
        assertEquals(expected.getString("s"), actual.getString("s"));
        assertTrue(Arrays.equals(expected.getBytes("bin"), actual.getBytes("bin")));
        assertEquals(expected.getDate("dt"), actual.getDate("dt"));
        assertEquals(expected.getTimestamp("ts"), actual.getTimestamp("ts"));
        assertEquals(expected.getTimestamp("ntz"), actual.getTimestamp("ntz"));
        for (String column : List.of("i", "dec", "s", "bin", "dt", "ts", "ntz")) {
          assertEquals(
              expected.getObject(column) == null, actual.getObject(column) == null, column);
        }
      }
      assertFalse(actual.next());
    }
    try (Connection avatica = connect("/main/jd");
        Statement s = avatica.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM types WHERE b")) {
      assertTrue(rs.next());
      assertEquals(new BigDecimal("-12345.67891"), rs.getBigDecimal("dec"));
      assertEquals(new BigDecimal("0.50"), rs.getBigDecimal("small"));
      assertEquals("ab", new String(rs.getBytes("bin"), StandardCharsets.UTF_8));
      assertEquals(java.sql.Date.valueOf("2024-02-29"), rs.getDate("dt"));
      assertEquals(
          java.time.LocalDate.of(2024, 2, 29), rs.getObject("dt", java.time.LocalDate.class));
      assertEquals(java.sql.Timestamp.valueOf("2024-05-01 10:00:00.123"), rs.getTimestamp("ts"));
      assertEquals(java.sql.Timestamp.valueOf("1969-12-31 23:59:58.25"), rs.getTimestamp("ntz"));
      rs.getInt("i");
      assertFalse(rs.wasNull());
    }
    try (Connection avatica = connect("");
        Statement s = avatica.createStatement()) {
      s.execute(
          "CREATE TABLE jd.nested (arr ARRAY<INT>, m MAP<STRING, INT>, st STRUCT<a: INT, b: STRING>)");
      s.execute("INSERT INTO jd.nested VALUES (ARRAY[1, NULL, 3], MAP['k', 7], NULL)");
      try (ResultSet rs = s.executeQuery("SELECT * FROM jd.nested")) {
        ResultSetMetaData md = rs.getMetaData();
        assertEquals(Types.ARRAY, md.getColumnType(1));
        assertEquals("ARRAY<INT>", md.getColumnTypeName(1));
        assertEquals("MAP<STRING, INT>", md.getColumnTypeName(2));
        assertEquals("STRUCT<a: INT, b: STRING>", md.getColumnTypeName(3));
        assertTrue(rs.next());
        assertEquals(
            Arrays.asList(1, null, 3), Arrays.asList((Object[]) rs.getArray(1).getArray()));
        assertEquals("{\"k\":7}", rs.getString(2));
        assertNull(rs.getString(3));
      }
      // Metadata names MAP and STRUCT as Databricks does: OTHER and STRUCT, not VARCHAR.
      DatabaseMetaData meta = avatica.getMetaData();
      Map<String, Integer> typeInfo = new HashMap<>();
      try (ResultSet rs = meta.getTypeInfo()) {
        while (rs.next()) {
          typeInfo.put(rs.getString("TYPE_NAME"), rs.getInt("DATA_TYPE"));
        }
      }
      assertEquals(Types.OTHER, typeInfo.get("MAP"), typeInfo.toString());
      assertEquals(Types.STRUCT, typeInfo.get("STRUCT"), typeInfo.toString());
      assertEquals(Types.ARRAY, typeInfo.get("ARRAY"), typeInfo.toString());
      Map<String, Integer> columns = new HashMap<>();
      try (ResultSet rs = meta.getColumns(null, "jd", "nested", null)) {
        while (rs.next()) {
          columns.put(rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"));
        }
      }
      assertEquals(Map.of("arr", Types.ARRAY, "m", Types.OTHER, "st", Types.STRUCT), columns);
    }
    try (Connection avatica = connect("");
        Statement s = avatica.createStatement();
        ResultSet rs = s.executeQuery("SELECT CAST(NULL AS DECIMAL(10,2)) AS d, NULL AS v")) {
      assertTrue(rs.next());
      assertNull(rs.getBigDecimal(1));
      assertTrue(rs.wasNull());
      assertNull(rs.getObject(2));
    }
  }

  /**
   * Columnar frames (the driver's default) read exactly as Avatica's own frames ({@code
   * columnar_frames=false}): every type the driver shows, NULLs in every column, and rows over
   * several frames, through every accessor a tool uses.
   */
  @Test
  void columnarFramesReadTheSameAsAvaticasFrames() throws Exception {
    String sql =
        "SELECT b, CAST(i AS TINYINT) AS ti, CAST(i AS SMALLINT) AS si, i, l, f, d, dec, small,"
            + " CAST(dec AS DECIMAL(38,5)) * 100000000000000 AS wide, s, bin, dt, ts, ntz,"
            + " ARRAY[i, NULL] AS arr, ARRAY[s] AS sarr, MAP['k', i] AS m,"
            + " named_struct('a', i, 'b', s) AS st, NULL AS v"
            + " FROM jd.types, (SELECT id FROM jd.million WHERE id < 2500) ORDER BY b NULLS LAST, id";
    Properties stock = new Properties();
    stock.setProperty("token", server.token());
    stock.setProperty("columnar_frames", "false");
    try (Connection columnar = connect("");
        Statement cs = columnar.createStatement();
        Connection avatica = connect("", stock);
        Statement as = avatica.createStatement()) {
      cs.setFetchSize(1000);
      as.setFetchSize(1000);
      try (ResultSet actual = cs.executeQuery(sql);
          ResultSet expected = as.executeQuery(sql)) {
        ResultSetMetaData md = actual.getMetaData();
        int columns = md.getColumnCount();
        for (int i = 1; i <= columns; i++) {
          assertEquals(expected.getMetaData().getColumnType(i), md.getColumnType(i));
          assertEquals(expected.getMetaData().getColumnTypeName(i), md.getColumnTypeName(i));
        }
        int rows = 0;
        while (expected.next()) {
          assertTrue(actual.next(), "row " + rows);
          for (int i = 1; i <= columns; i++) {
            String where = "row " + rows + " column " + md.getColumnLabel(i);
            Object want = expected.getObject(i);
            Object got = actual.getObject(i);
            assertEquals(expected.wasNull(), actual.wasNull(), where);
            if (want instanceof java.sql.Array wantArray) {
              assertEquals(
                  Arrays.asList((Object[]) wantArray.getArray()),
                  Arrays.asList((Object[]) ((java.sql.Array) got).getArray()),
                  where);
            } else if (want instanceof byte[] bytes) {
              assertTrue(Arrays.equals(bytes, (byte[]) got), where);
              assertTrue(Arrays.equals(expected.getBytes(i), actual.getBytes(i)), where);
            } else {
              assertEquals(want, got, where);
            }
            if (md.getColumnType(i) != Types.ARRAY) {
              assertEquals(expected.getString(i), actual.getString(i), where);
            }
            switch (md.getColumnType(i)) {
              case Types.DECIMAL ->
                  assertEquals(expected.getBigDecimal(i), actual.getBigDecimal(i), where);
              case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> {
                assertEquals(expected.getLong(i), actual.getLong(i), where);
                assertEquals(expected.getInt(i), actual.getInt(i), where);
              }
              case Types.FLOAT, Types.DOUBLE ->
                  assertEquals(expected.getDouble(i), actual.getDouble(i), where);
              case Types.DATE -> {
                assertEquals(expected.getDate(i), actual.getDate(i), where);
                java.time.LocalDate day = actual.getObject(i, java.time.LocalDate.class);
                assertEquals(expected.getObject(i, java.time.LocalDate.class), day, where);
                assertEquals(
                    actual.getDate(i) == null ? null : actual.getDate(i).toLocalDate(), day, where);
              }
              case Types.TIMESTAMP -> {
                assertEquals(expected.getTimestamp(i), actual.getTimestamp(i), where);
                assertEquals(
                    expected.getObject(i, java.time.LocalDateTime.class),
                    actual.getObject(i, java.time.LocalDateTime.class),
                    where);
                if ("TIMESTAMP".equals(md.getColumnTypeName(i))) {
                  assertEquals(
                      expected.getObject(i, java.time.Instant.class),
                      actual.getObject(i, java.time.Instant.class),
                      where);
                }
              }
              case Types.BOOLEAN ->
                  assertEquals(expected.getBoolean(i), actual.getBoolean(i), where);
              default -> {}
            }
          }
          rows++;
        }
        assertFalse(actual.next());
        assertEquals(5000, rows);
      }
    }
  }

  /** A failure in the middle of a columnar result reaches next() as an SQLException. */
  @Test
  void aFailureMidStreamFailsNextAndTheConnectionStaysUsable() throws Exception {
    try (Connection c = connect("/main/jd");
        Statement s = c.createStatement()) {
      s.setFetchSize(1000);
      SQLException failure =
          assertThrows(
              SQLException.class,
              () -> {
                try (ResultSet rs =
                    s.executeQuery(
                        "SELECT id, CAST(CASE WHEN id = 900000 THEN 'x' ELSE '1' END AS INT)"
                            + " FROM million")) {
                  while (rs.next()) {
                    rs.getObject(2);
                  }
                }
              });
      assertNotNull(failure.getSQLState(), failure.toString());
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM ten")) {
        assertTrue(rs.next());
        assertEquals(10, rs.getLong(1));
      }
    }
  }

  private interface SqlCall {
    void run() throws SQLException;
  }

  private static CompletableFuture<Throwable> runAsync(SqlCall call) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            call.run();
            return null;
          } catch (SQLException | RuntimeException e) {
            return e;
          }
        });
  }
}
