package io.aquifer.conformance.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.conformance.ConformanceServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Delta golden tables of delta-io/delta and delta-kernel-rs ({@code
 * ../shared/fixtures/delta-golden}), copied into the server's external location, registered with
 * {@code CREATE TABLE ... LOCATION} and read through the Arrow Flight SQL JDBC driver. Each must
 * return the rows of its {@code expected/} Parquet files as a multiset (read by a plain DuckDB);
 * tables without them are compared with what the README states, or with an independent reader.
 */
class GoldenTablesTest {
  @TempDir static Path dataDirectory;
  private static ConformanceServer server;
  private static Path golden;

  @BeforeAll
  static void start() throws Exception {
    golden = Fixtures.deltaGolden();
    server = ConformanceServer.start(dataDirectory);
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA golden");
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Tables with an {@code expected/} folder. */
  static List<String> withExpectedRows() throws IOException {
    try (Stream<Path> dirs = Files.list(Fixtures.deltaGolden())) {
      return dirs.filter(d -> Files.isDirectory(d.resolve("expected")))
          .map(d -> d.getFileName().toString())
          .sorted()
          .toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("withExpectedRows")
  void returnsItsExpectedRows(String table) throws Exception {
    try (Connection c = server.connect()) {
      register(c, table);
      RowSet actual;
      List<String> columns;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT * FROM golden.`" + table + "`")) {
        columns = columnNames(rs.getMetaData());
        actual = RowSet.of(rs);
      }
      RowSet expected = expectedRows(table, columns);
      assertEquals(expected.size(), actual.size(), table + " row count");
      assertEquals(expected, actual, table + ": " + actual.differenceFrom(expected));
    }
  }

  @Test
  void deletionVectorsWithoutCheckpointLeaveIdsTwoToNine() throws Exception {
    String table = "basic-dv-no-checkpoint";
    try (Connection c = server.connect()) {
      register(c, table);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT * FROM golden.`" + table + "`")) {
        RowSet actual = RowSet.of(rs);
        RowSet expected =
            new RowSet(LongStream.rangeClosed(2, 9).mapToObj(Long::toString).toList());
        assertEquals(expected, actual, actual.differenceFrom(expected));
      }
    }
  }

  @Test
  void widenedTypesReadAsTheCurrentSchema() throws Exception {
    String table = "type-widening";
    try (Connection c = server.connect()) {
      URI location = register(c, table);
      List<String> columns;
      RowSet actual;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT * FROM golden.`" + table + "`")) {
        columns = columnNames(rs.getMetaData());
        actual = RowSet.of(rs);
      }
      RowSet independent = IndependentDeltaReader.read(location, columns);
      assertTrue(actual.size() > 0, "type-widening has rows");
      assertEquals(independent, actual, actual.differenceFrom(independent));
    }
  }

  @Test
  void unsupportedProtocolIsRefusedClearly() throws Exception {
    try (Connection c = server.connect()) {
      SQLException e =
          assertThrows(SQLException.class, () -> register(c, "deltalog-invalid-protocol-version"));
      assertTrue(e.getMessage().contains("SQLSTATE: 0A000"), e.getMessage());
      assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains("protocol"), e.getMessage());
    }
  }

  @Test
  void aGapInTheLogIsRefusedClearly() throws Exception {
    try (Connection c = server.connect()) {
      SQLException e =
          assertThrows(SQLException.class, () -> register(c, "versions-not-contiguous"));
      assertTrue(e.getMessage().contains("SQLSTATE: "), e.getMessage());
      assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains("version"), e.getMessage());
    }
  }

  @Test
  void oldVersionsOfAnExternalTableAreReadable() throws Exception {
    String table = "time-travel-start-start20-start40";
    try (Connection c = server.connect()) {
      register(c, table);
      List<Long> counts = new ArrayList<>();
      for (int version = 0; version <= 2; version++) {
        try (Statement s = c.createStatement();
            ResultSet rs =
                s.executeQuery(
                    "SELECT count(*) FROM golden.`" + table + "` VERSION AS OF " + version)) {
          rs.next();
          counts.add(rs.getLong(1));
        }
      }
      assertEquals(List.of(10L, 20L, 30L), counts, "rows at versions 0, 1 and 2");
    }
  }

  @Test
  void dropTableKeepsAnExternalTablesData() throws Exception {
    String table = "snapshot-data2-deleted";
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      Path copy = external().resolve("dropped-" + table);
      copyTree(golden.resolve(table).resolve("delta"), copy);
      s.execute("CREATE TABLE golden.dropped LOCATION '" + copy + "'");
      s.execute("DROP TABLE golden.dropped");
      assertTrue(Files.isDirectory(copy.resolve("_delta_log")), "the Delta log is still there");
      s.execute("CREATE TABLE golden.dropped LOCATION '" + copy + "'");
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM golden.dropped")) {
        rs.next();
        assertEquals(20, rs.getLong(1));
      }
    }
  }

  @Test
  void locationsOutsideTheExternalLocationsAreRefused() throws Exception {
    Path outside = dataDirectory.resolve("elsewhere").resolve("t");
    copyTree(golden.resolve("multi-part-checkpoint").resolve("delta"), outside);
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      for (String location :
          List.of(
              outside.toString(),
              "file://" + outside,
              external().resolve("..").resolve("elsewhere").resolve("t").toString(),
              dataDirectory.resolve("warehouse").toString(),
              "relative/path",
              "s3://bucket/table")) {
        SQLException e =
            assertThrows(
                SQLException.class,
                () -> s.execute("CREATE TABLE golden.outside LOCATION '" + location + "'"),
                location);
        assertTrue(e.getMessage().contains("LOCATION"), e.getMessage());
        assertTrue(e.getMessage().matches("(?s).*SQLSTATE: (42501|42K05).*"), e.getMessage());
      }
    }
  }

  /**
   * SHOW PARTITIONS of a partitioned table written by Delta's own writer (a golden table; tables
   * Aquifer partitions are in semantics/partitioned_tables.test): the distinct values of its
   * partition column, as a plain DuckDB reads them from the expected rows.
   */
  @Test
  void showPartitionsListsThePartitionValues() throws Exception {
    String table = "dv-partitioned-with-checkpoint";
    try (Connection c = server.connect()) {
      register(c, table);
      List<String> actual = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SHOW PARTITIONS golden.`" + table + "`")) {
        assertEquals("part", rs.getMetaData().getColumnName(1));
        while (rs.next()) {
          actual.add(rs.getString(1));
        }
      }
      List<String> expected = new ArrayList<>();
      String glob = golden.resolve(table).resolve("expected") + "/*.parquet";
      try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
          Statement s = duckdb.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT DISTINCT part FROM read_parquet('"
                      + glob.replace("'", "''")
                      + "') ORDER BY part")) {
        while (rs.next()) {
          expected.add(rs.getString(1));
        }
      }
      assertTrue(expected.size() > 1, expected.toString());
      assertEquals(expected, actual);
    }
  }

  /** Copies the table into the external location and registers it as golden.`name`. */
  private static URI register(Connection c, String table) throws IOException, SQLException {
    Path copy = external().resolve(table);
    if (!Files.exists(copy)) {
      copyTree(golden.resolve(table).resolve("delta"), copy);
    }
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS golden.`" + table + "` LOCATION '" + copy + "'");
    }
    return copy.toUri();
  }

  private static Path external() {
    return dataDirectory.resolve("external");
  }

  /** The expected rows, read by a plain DuckDB, in the columns' order of the Aquifer result. */
  private static RowSet expectedRows(String table, List<String> columns) throws SQLException {
    String glob = golden.resolve(table).resolve("expected").toString() + "/**/*.parquet";
    String select =
        columns.stream()
            .map(n -> "\"" + n.replace("\"", "\"\"") + "\"")
            .reduce((a, b) -> a + ", " + b)
            .orElseThrow();
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = duckdb.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT "
                    + select
                    + " FROM read_parquet('"
                    + glob.replace("'", "''")
                    + "', hive_partitioning = true, hive_types_autocast = false)")) {
      return RowSet.of(rs);
    }
  }

  private static List<String> columnNames(ResultSetMetaData md) throws SQLException {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      names.add(md.getColumnName(i));
    }
    return names;
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(p, target);
        }
      }
    }
  }
}
