package io.aquifer.conformance.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.conformance.ConformanceServer;
import io.aquifer.storage.delta.DeltaSnapshot;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables Aquifer writes are valid Delta tables that another reader understands: after many small
 * commits (so that checkpoints appear), UPDATE, DELETE, MERGE, INSERT OVERWRITE and CREATE TABLE
 * AS, what a client reads through Aquifer equals what Delta Kernel's file listing read by a plain
 * DuckDB gives, for the latest version and for earlier ones.
 */
class WrittenTablesReadBackTest {
  private static final int SMALL_COMMITS = 24;

  @TempDir Path dataDirectory;

  @Test
  void writesReadBackThroughAnIndependentReader() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA w");
      s.execute(
          "CREATE TABLE w.events (id BIGINT, kind STRING, amount DECIMAL(10,2), score DOUBLE,"
              + " day DATE, at TIMESTAMP, ok BOOLEAN)");
      for (int i = 0; i < SMALL_COMMITS; i++) {
        s.execute(
            "INSERT INTO w.events VALUES ("
                + i
                + ", '"
                + (i % 3 == 0 ? "a" : i % 3 == 1 ? "b" : "c")
                + "', "
                + i
                + ".25, "
                + (i * 0.5)
                + ", DATE '"
                + java.time.LocalDate.of(2024, 1, 1).plusDays(i)
                + "', TIMESTAMP '2024-01-01 "
                + String.format("%02d", i % 24)
                + ":00:00', "
                + (i % 2 == 0)
                + ")");
      }
      s.execute("INSERT INTO w.events VALUES (100, NULL, NULL, NULL, NULL, NULL, NULL)");
      URI location = server.server().gateway().tableLocation("main", "w", "events").orElseThrow();
      assertTrue(
          checkpoints(location) > 0,
          "Aquifer wrote a checkpoint after " + SMALL_COMMITS + " commits");
      sameRows(c, "w.events", location);

      s.execute("UPDATE w.events SET amount = amount * 2, kind = upper(kind) WHERE id % 3 = 0");
      sameRows(c, "w.events", location);
      s.execute("DELETE FROM w.events WHERE id % 5 = 0 OR kind IS NULL");
      sameRows(c, "w.events", location);
      s.execute(
          "MERGE INTO w.events t USING (SELECT id, 'merged' AS kind FROM w.events WHERE id < 8"
              + " UNION ALL SELECT 200, 'new') src ON t.id = src.id"
              + " WHEN MATCHED THEN UPDATE SET kind = src.kind"
              + " WHEN NOT MATCHED THEN INSERT (id, kind, ok) VALUES (src.id, src.kind, true)");
      sameRows(c, "w.events", location);
      try (ResultSet rs =
          s.executeQuery("SELECT count(*) FROM w.events WHERE kind = 'merged' OR id = 200")) {
        rs.next();
        assertTrue(rs.getLong(1) > 1, "MERGE changed rows");
      }

      // Earlier versions read back the same way.
      long latest = IndependentDeltaReader.snapshot(location).version();
      for (long version : List.of(1L, 10L, (long) SMALL_COMMITS, latest - 2, latest - 1)) {
        sameRows(c, "w.events VERSION AS OF " + version, location, version);
      }

      s.execute(
          "CREATE TABLE w.summary AS SELECT kind, count(*) AS n, sum(amount) AS total FROM w.events GROUP BY kind");
      URI summary = server.server().gateway().tableLocation("main", "w", "summary").orElseThrow();
      sameRows(c, "w.summary", summary);
      s.execute(
          "INSERT OVERWRITE w.summary SELECT kind, count(*), sum(amount) FROM w.events WHERE ok GROUP BY kind");
      sameRows(c, "w.summary", summary);
      s.execute("DELETE FROM w.summary");
      sameRows(c, "w.summary", summary);
      assertFalse(
          IndependentDeltaReader.snapshot(summary).files().size() > 0,
          "an emptied table has no live files");
    }
  }

  /**
   * ALTER TABLE's schema changes (column mapping, type widening) and TRUNCATE read back the same
   * through the independent reader: old files lack added columns, renamed columns keep their
   * physical names, dropped ones are gone from the schema.
   */
  @Test
  void alteredTablesReadBackThroughAnIndependentReader() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA a");
      s.execute("CREATE TABLE a.t (id INT, name STRING, note STRING)");
      s.execute("INSERT INTO a.t VALUES (1, 'one', 'x'), (2, 'two', NULL)");
      URI location = server.server().gateway().tableLocation("main", "a", "t").orElseThrow();
      s.execute("ALTER TABLE a.t ADD COLUMNS (price INT, tag STRING)");
      sameRows(c, "a.t", location);
      s.execute("INSERT INTO a.t VALUES (3, 'three', 'y', 30, 'new')");
      sameRows(c, "a.t", location);
      s.execute("ALTER TABLE a.t RENAME COLUMN name TO label");
      s.execute("ALTER TABLE a.t DROP COLUMN note");
      sameRows(c, "a.t", location);
      s.execute("ALTER TABLE a.t SET TBLPROPERTIES ('delta.enableTypeWidening' = 'true')");
      s.execute("ALTER TABLE a.t ALTER COLUMN price TYPE BIGINT");
      s.execute("INSERT INTO a.t VALUES (4, 'four', 5000000000, 'big')");
      sameRows(c, "a.t", location);
      assertEquals(
          List.of("id", "label", "price", "tag"),
          IndependentDeltaReader.snapshot(location).schema().columns().stream()
              .map(io.aquifer.storage.types.Column::name)
              .toList());
      s.execute("TRUNCATE TABLE a.t");
      sameRows(c, "a.t", location);
      assertEquals(0, IndependentDeltaReader.snapshot(location).files().size());
    }
  }

  /**
   * A table with a CHECK constraint, whose commits Aquifer writes itself (Delta Kernel refuses the
   * checkConstraints writer feature), is a valid Delta table: Kernel's listing read by plain DuckDB
   * gives the rows the client reads, after each kind of write, at the latest version and earlier
   * ones, also past a checkpoint Kernel wrote before the constraint.
   */
  @Test
  void tablesWithCheckConstraintsReadBackThroughAnIndependentReader() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA k");
      s.execute("CREATE TABLE k.t (id INT, qty INT, kind STRING) PARTITIONED BY (kind)");
      for (int i = 0; i < 12; i++) {
        s.execute("INSERT INTO k.t VALUES (" + i + ", " + i * 10 + ", 'k" + (i % 2) + "')");
      }
      URI location = server.server().gateway().tableLocation("main", "k", "t").orElseThrow();
      s.execute("ALTER TABLE k.t ADD CONSTRAINT positive CHECK (qty >= 0)");
      long constrained = IndependentDeltaReader.snapshot(location).version();
      sameRows(c, "k.t", location);
      s.execute("INSERT INTO k.t VALUES (100, 5, 'k1'), (101, NULL, NULL)");
      sameRows(c, "k.t", location);
      s.execute("UPDATE k.t SET qty = qty + 1 WHERE id < 4");
      sameRows(c, "k.t", location);
      s.execute("DELETE FROM k.t WHERE id = 5");
      sameRows(c, "k.t", location);
      s.execute(
          "MERGE INTO k.t t USING (SELECT 6 AS id UNION ALL SELECT 300) src ON t.id = src.id"
              + " WHEN MATCHED THEN UPDATE SET qty = 66"
              + " WHEN NOT MATCHED THEN INSERT (id, qty, kind) VALUES (src.id, 3, 'k0')");
      sameRows(c, "k.t", location);
      SQLException refused =
          assertThrows(
              SQLException.class, () -> s.execute("INSERT INTO k.t VALUES (400, -1, 'k0')"));
      assertTrue(
          refused.getMessage().contains("DELTA_VIOLATE_CONSTRAINT_WITH_VALUES"),
          refused.getMessage());
      sameRows(c, "k.t", location);
      sameRows(c, "k.t VERSION AS OF " + constrained, location, constrained);
      sameRows(c, "k.t VERSION AS OF " + (constrained + 2), location, constrained + 2);
      s.execute("ALTER TABLE k.t DROP CONSTRAINT positive");
      s.execute("INSERT INTO k.t VALUES (400, -1, 'k0')");
      sameRows(c, "k.t", location);
      hivePartitionsMatchTheLog(location);
    }
  }

  /**
   * A table with generated columns (written by Aquifer's own log writer, as Kernel refuses it):
   * Delta Kernel and DuckDB read the computed values back, at every version.
   */
  @Test
  void tablesWithGeneratedColumnsReadBackThroughAnIndependentReader() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA g");
      s.execute(
          "CREATE TABLE g.t (id INT, qty INT, twice BIGINT GENERATED ALWAYS AS (qty * 2),"
              + " kind STRING) PARTITIONED BY (kind)");
      URI location = server.server().gateway().tableLocation("main", "g", "t").orElseThrow();
      for (int i = 0; i < 6; i++) {
        s.execute(
            "INSERT INTO g.t (id, qty, kind) VALUES (" + i + ", " + i + ", 'k" + i % 2 + "')");
      }
      sameRows(c, "g.t", location);
      s.execute("UPDATE g.t SET qty = qty + 10 WHERE id < 3");
      sameRows(c, "g.t", location);
      s.execute(
          "MERGE INTO g.t t USING (SELECT 4 AS id UNION ALL SELECT 9) src ON t.id = src.id"
              + " WHEN MATCHED THEN UPDATE SET qty = 40"
              + " WHEN NOT MATCHED THEN INSERT (id, qty, kind) VALUES (src.id, 9, 'k1')");
      sameRows(c, "g.t", location);
      sameRows(c, "g.t VERSION AS OF 3", location, 3);
      try (ResultSet rs =
          s.executeQuery("SELECT count(*) FROM g.t WHERE twice IS DISTINCT FROM qty * 2")) {
        assertTrue(rs.next());
        assertEquals(0L, rs.getLong(1));
      }
      hivePartitionsMatchTheLog(location);
    }
  }

  /**
   * CREATE OR REPLACE TABLE is one commit in the same log: the independent reader sees the new
   * schema and rows at the new version and the old ones before it; a replacement whose query fails
   * leaves no file behind in the table's directory.
   */
  @Test
  void replacedTablesReadBackThroughAnIndependentReader() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA r");
      s.execute("CREATE TABLE r.t (id INT, name STRING)");
      s.execute("INSERT INTO r.t VALUES (1, 'one'), (2, 'two')");
      URI location = server.server().gateway().tableLocation("main", "r", "t").orElseThrow();
      s.execute(
          "CREATE OR REPLACE TABLE r.t AS SELECT CAST(id AS BIGINT) * 10 AS id, upper(name) AS"
              + " label, 1.5 AS price FROM r.t");
      sameRows(c, "r.t", location);
      sameRows(c, "r.t VERSION AS OF 1", location, 1);
      assertEquals(
          List.of("id", "label", "price"),
          IndependentDeltaReader.snapshot(location).schema().columns().stream()
              .map(io.aquifer.storage.types.Column::name)
              .toList());
      long version = IndependentDeltaReader.snapshot(location).version();
      assertEquals(2, version, "one commit replaced the table");
      long parquetFiles = parquetFiles(location);
      assertThrows(
          SQLException.class,
          () -> s.execute("CREATE OR REPLACE TABLE r.t AS SELECT id / 0 AS broken FROM r.t"));
      assertEquals(version, IndependentDeltaReader.snapshot(location).version());
      assertEquals(parquetFiles, parquetFiles(location), "a failed replacement left no file");
      sameRows(c, "r.t", location);
    }
  }

  /**
   * A partitioned table Aquifer writes is one Delta Kernel reads as partitioned (its partition
   * columns, each file's partition values), whose files hold no partition column, and whose
   * Hive-style directories a plain DuckDB reads back as the same partition values.
   */
  @Test
  void partitionedTablesReadBackThroughAnIndependentReader() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA p");
      s.execute(
          "CREATE TABLE p.t (id BIGINT, kind STRING, day DATE, amount DECIMAL(10,2))"
              + " PARTITIONED BY (kind, day)");
      s.execute(
          "INSERT INTO p.t VALUES (1, 'a', DATE '2024-01-01', 1.5), (2, 'b/c=d %', DATE"
              + " '2024-01-02', 2), (3, NULL, NULL, 3), (4, 'a', DATE '2024-01-01', 4),"
              + " (5, 'caf\u00e9 #1', DATE '2024-01-03', 5)");
      URI location = server.server().gateway().tableLocation("main", "p", "t").orElseThrow();
      DeltaSnapshot snapshot = IndependentDeltaReader.snapshot(location);
      assertEquals(List.of("kind", "day"), snapshot.partitionColumns());
      assertEquals(4, snapshot.files().size(), "one file per combination of partition values");
      sameRows(c, "p.t", location);
      hivePartitionsMatchTheLog(location);

      s.execute("UPDATE p.t SET kind = 'z', amount = amount + 1 WHERE id = 1");
      sameRows(c, "p.t", location);
      s.execute("DELETE FROM p.t WHERE day = DATE '2024-01-02'");
      sameRows(c, "p.t", location);
      s.execute(
          "MERGE INTO p.t USING (SELECT 4 AS id UNION ALL SELECT 9) src ON p.t.id = src.id"
              + " WHEN MATCHED THEN UPDATE SET day = DATE '2025-05-05'"
              + " WHEN NOT MATCHED THEN INSERT (id, kind, day, amount)"
              + " VALUES (src.id, 'm', DATE '2025-05-05', 9)");
      sameRows(c, "p.t", location);
      sameRows(c, "p.t VERSION AS OF 1", location, 1);
      hivePartitionsMatchTheLog(location);

      s.execute(
          "CREATE TABLE p.ctas PARTITIONED BY (at) AS SELECT id, CASE WHEN id < 3 THEN TIMESTAMP"
              + " '2024-01-01 10:30:00' ELSE TIMESTAMP '2024-06-01 00:00:00.123456' END AS at"
              + " FROM p.t");
      URI ctas = server.server().gateway().tableLocation("main", "p", "ctas").orElseThrow();
      assertEquals(List.of("at"), IndependentDeltaReader.snapshot(ctas).partitionColumns());
      sameRows(c, "p.ctas", ctas);
      try (ResultSet rs =
          s.executeQuery(
              "SELECT count(*) FROM p.ctas WHERE at = TIMESTAMP '2024-06-01 00:00:00.123456'")) {
        rs.next();
        assertEquals(4, rs.getLong(1), "a filter on a timestamp partition finds its rows");
      }
    }
  }

  /**
   * Each live file lies in directories named after its partition values (Spark's escaping), which
   * DuckDB's own Hive partitioning reads back as the values the log records; the file holds no
   * partition column.
   */
  private static void hivePartitionsMatchTheLog(URI location) throws SQLException {
    DeltaSnapshot snapshot = IndependentDeltaReader.snapshot(location);
    try (Connection duckdb = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        Statement d = duckdb.createStatement()) {
      for (io.aquifer.storage.delta.DataFile file : snapshot.files()) {
        String path = Path.of(file.path()).toString().replace("'", "''");
        try (ResultSet rs = d.executeQuery("SELECT name FROM parquet_schema('" + path + "')")) {
          while (rs.next()) {
            assertFalse(
                snapshot.partitionColumns().contains(rs.getString(1)),
                file.path() + " holds partition column " + rs.getString(1));
          }
        }
        List<String> columns =
            snapshot.partitionColumns().stream()
                .map(p -> "CAST(\"" + p + "\" AS VARCHAR)")
                .toList();
        try (ResultSet rs =
            d.executeQuery(
                "SELECT "
                    + String.join(", ", columns)
                    + " FROM read_parquet('"
                    + path
                    + "', hive_partitioning = true, hive_types_autocast = false) LIMIT 1")) {
          assertTrue(rs.next(), file.path() + " has rows");
          for (int i = 0; i < columns.size(); i++) {
            String logged = file.partitionValues().get(snapshot.partitionColumns().get(i));
            assertEquals(
                logged,
                rs.getString(i + 1),
                file.path() + ": partition " + snapshot.partitionColumns().get(i));
          }
        }
      }
    }
  }

  private static long parquetFiles(URI location) throws java.io.IOException {
    URI local = IndependentDeltaReader.readable(location);
    try (var files = java.nio.file.Files.walk(java.nio.file.Path.of(local))) {
      return files.filter(f -> f.toString().endsWith(".parquet")).count();
    }
  }

  private static void sameRows(Connection c, String table, URI location) throws SQLException {
    sameRows(c, table, location, -1);
  }

  private static void sameRows(Connection c, String table, URI location, long version)
      throws SQLException {
    List<String> columns = new ArrayList<>();
    RowSet aquifer;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        columns.add(rs.getMetaData().getColumnName(i));
      }
      aquifer = RowSet.of(rs);
    }
    RowSet kernel =
        version < 0
            ? IndependentDeltaReader.read(location, columns)
            : IndependentDeltaReader.read(location, version, columns);
    assertEquals(kernel, aquifer, table + ": " + aquifer.differenceFrom(kernel));
  }

  private static long checkpoints(URI location) throws Exception {
    URI local = IndependentDeltaReader.readable(location);
    try (Stream<Path> files = Files.list(Path.of(local).resolve("_delta_log"))) {
      return files.filter(f -> f.getFileName().toString().contains(".checkpoint.")).count();
    }
  }

  /** The version Aquifer's snapshot reader sees, for messages. */
  static long version(DeltaSnapshot snapshot) {
    return snapshot.version();
  }
}
