package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.exec.duckdb.NodeDataCacheStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node data cache ({@code node-data-cache-size}) over real Delta tables, through the Arrow
 * Flight SQL JDBC driver: answers equal those read from Parquet, a new version reads its new files
 * from Parquet and time travel still sees the old version, DELETE and UPDATE rewrites are followed,
 * the least recently used files go past the size limit, and the cache survives a restart.
 */
class NodeDataCacheEndToEndTest {
  private static final Duration FILL_TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dataDirectory;

  private static final List<String> QUERIES =
      List.of(
          "SELECT id, name, amount, day FROM dc.t ORDER BY id",
          "SELECT count(*), sum(amount), min(day), max(name) FROM dc.t",
          "SELECT region, count(*), sum(amount) FROM dc.p GROUP BY region ORDER BY region",
          "SELECT t.name, p.region FROM dc.t t JOIN dc.p p ON t.id = p.id ORDER BY t.id",
          "SELECT id FROM dc.t VERSION AS OF 1 ORDER BY id");

  private RunningServer start(String cacheSize) throws Exception {
    return RunningServer.start(dataDirectory, Map.of(ServerConfig.NODE_DATA_CACHE_SIZE, cacheSize));
  }

  private static List<String> rows(Statement s, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          row.append(i > 1 ? ":" : "").append(rs.getString(i));
        }
        out.add(row.toString());
      }
    }
    return out;
  }

  private static Map<String, List<String>> answers(Statement s) throws SQLException {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String q : QUERIES) {
      out.put(q, rows(s, q));
    }
    return out;
  }

  private static NodeDataCacheStats stats(RunningServer server) throws InterruptedException {
    assertTrue(server.server().awaitNodeDataCacheIdle(FILL_TIMEOUT), "cache fills did not finish");
    return server.server().nodeDataCacheStats();
  }

  private static void createTables(Statement s) throws SQLException {
    s.execute("CREATE SCHEMA dc");
    s.execute("CREATE TABLE dc.t (id BIGINT, name STRING, amount DECIMAL(10,2), day DATE)");
    s.execute(
        "INSERT INTO dc.t VALUES (1, 'ant', 1.50, DATE '2024-01-01'),"
            + " (2, 'bee', 2.25, DATE '2024-02-01'), (3, NULL, NULL, DATE '2024-03-01')");
    s.execute("CREATE TABLE dc.p (id BIGINT, region STRING, amount DOUBLE)");
    s.execute("INSERT INTO dc.p VALUES (1, 'eu', 10.0), (2, 'us', 20.0)");
    s.execute("INSERT INTO dc.p VALUES (3, 'eu', 30.5)");
  }

  @Test
  void cachedTablesGiveTheParquetAnswersAndFollowEveryVersion() throws Exception {
    Map<String, List<String>> cold;
    Map<String, List<String>> afterChanges;
    try (RunningServer server = start("64MB");
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      createTables(s);
      cold = answers(s); // read from Parquet; the files are copied in after each query
      assertEquals(
          List.of("1:ant:1.50:2024-01-01", "2:bee:2.25:2024-02-01", "3:null:null:2024-03-01"),
          cold.get(QUERIES.get(0)));
      assertEquals(List.of("eu:2:40.5", "us:1:20.0"), cold.get(QUERIES.get(2)));
      NodeDataCacheStats filled = stats(server);
      assertTrue(filled.files() >= 3, filled.toString()); // t's file, p's two files
      assertTrue(filled.filledBytes() > 0, filled.toString());

      // Warm: the same answers, now read from the cached tables.
      assertEquals(cold, answers(s));
      NodeDataCacheStats warm = stats(server);
      assertTrue(warm.readBytes() > filled.readBytes(), warm + " after " + filled);

      // A new version: its new file is read from Parquet, the old ones from the cache.
      s.execute("INSERT INTO dc.t VALUES (4, 'cat', 4.00, DATE '2024-04-01')");
      assertEquals(
          List.of(
              "1:ant:1.50:2024-01-01",
              "2:bee:2.25:2024-02-01",
              "3:null:null:2024-03-01",
              "4:cat:4.00:2024-04-01"),
          rows(s, QUERIES.get(0)));
      assertEquals(List.of("4:7.75:2024-01-01:cat"), rows(s, QUERIES.get(1)));
      // Time travel to the version before: exactly its rows, not the new one's.
      assertEquals(List.of("1", "2", "3"), rows(s, QUERIES.get(4)));
      assertEquals(List.of("1", "2", "3"), rows(s, "SELECT id FROM dc.t@v1 ORDER BY id"));
      stats(server);
      // Again, now that the new file is cached too.
      assertEquals(List.of("4:7.75:2024-01-01:cat"), rows(s, QUERIES.get(1)));

      // Rewrites: the rewritten files' rows must not come back from their old cached tables.
      s.execute("DELETE FROM dc.t WHERE id = 2");
      assertEquals(List.of("1", "3", "4"), rows(s, "SELECT id FROM dc.t ORDER BY id"));
      stats(server);
      assertEquals(List.of("1", "3", "4"), rows(s, "SELECT id FROM dc.t ORDER BY id"));
      s.execute("UPDATE dc.t SET name = 'ape', amount = 7.00 WHERE id = 1");
      assertEquals(
          List.of("1:ape:7.00:2024-01-01", "3:null:null:2024-03-01", "4:cat:4.00:2024-04-01"),
          rows(s, QUERIES.get(0)));
      stats(server);
      assertEquals(List.of("3:11.00:2024-01-01:cat"), rows(s, QUERIES.get(1)));
      s.execute("DELETE FROM dc.p WHERE region = 'us'");
      assertEquals(List.of("eu:2:40.5"), rows(s, QUERIES.get(2)));
      stats(server);
      assertEquals(List.of("eu:2:40.5"), rows(s, QUERIES.get(2)));
      // The version before the rewrites is still exact.
      assertEquals(
          List.of("1:ant", "2:bee", "3:null", "4:cat"),
          rows(s, "SELECT id, name FROM dc.t VERSION AS OF 2 ORDER BY id"));
      afterChanges = answers(s);
    }

    // The same answers from Parquet alone (cache off).
    try (RunningServer server = start("0");
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      assertEquals(afterChanges, answers(s));
      assertEquals(NodeDataCacheStats.NONE, server.server().nodeDataCacheStats());
    }

    // After a restart the cache is still there: the first query already reads from it.
    assertTrue(Files.exists(dataDirectory.resolve("node-data-cache/data-cache.duckdb")));
    try (RunningServer server = start("64MB");
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      assertEquals(afterChanges.get(QUERIES.get(0)), rows(s, QUERIES.get(0)));
      NodeDataCacheStats restarted = stats(server);
      assertTrue(restarted.files() >= 3, restarted.toString());
      assertTrue(restarted.readBytes() > 0, restarted.toString());
      assertEquals(0, restarted.filledBytes(), restarted.toString());
      assertEquals(afterChanges, answers(s));
    }
  }

  /** The "== Node Data Cache ==" section of an EXPLAIN answer, one line per table scan. */
  private static List<String> dataCacheLines(Statement s, String query) throws SQLException {
    List<String> explain = rows(s, "EXPLAIN " + query);
    assertEquals(1, explain.size(), explain.toString());
    String text = explain.get(0);
    int at = text.indexOf("== Node Data Cache ==\n");
    assertTrue(at >= 0, text);
    return List.of(text.substring(at + "== Node Data Cache ==\n".length()).split("\n"));
  }

  /** The line of {@code table} (as {@code dc.t}) in an EXPLAIN's data cache section. */
  private static String lineOf(List<String> lines, String table) {
    return lines.stream()
        .filter(l -> l.contains("." + table + " (version "))
        .findFirst()
        .orElseThrow(() -> new AssertionError(table + " not in " + lines));
  }

  /** read_cache_bytes of the statement {@code sql}, once query history has it. */
  private static Long awaitReadCacheBytes(Statement s, String sql) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT read_cache_bytes FROM system.query.history WHERE statement_text = '"
                  + sql.replace("'", "''")
                  + "'")) {
        if (rs.next()) {
          long bytes = rs.getLong(1);
          return rs.wasNull() ? null : bytes;
        }
      }
      assertTrue(System.nanoTime() < deadline, "the history never showed " + sql);
      Thread.sleep(20);
    }
  }

  @Test
  void theGatewayDecidesPerTableAtPlanningAndExplainAndHistoryShowIt() throws Exception {
    try (RunningServer server = start("64MB");
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("SET use_cached_result = false"); // every run below reads its tables
      createTables(s); // t: version 1, one file; p: version 2, two files
      String join = "SELECT t.name, p.region FROM dc.t t JOIN dc.p p ON t.id = p.id ORDER BY t.id";

      // Cold: nothing cached yet, both tables are read from Parquet.
      List<String> cold = dataCacheLines(s, join);
      assertEquals(2, cold.size(), cold.toString());
      assertTrue(lineOf(cold, "t").endsWith("(version 1, 1 file): Parquet"), cold.toString());
      assertTrue(lineOf(cold, "p").endsWith("(version 2, 2 files): Parquet"), cold.toString());
      String coldRun = join + " -- cold";
      assertEquals(List.of("ant:eu", "bee:us", "null:eu"), rows(s, coldRun));
      assertEquals(null, awaitReadCacheBytes(s, coldRun), "nothing read from a cache when cold");
      stats(server); // the files read are copied in

      // Warm: the gateway now decides for the cached tables, and the node reads them.
      List<String> warm = dataCacheLines(s, join);
      assertTrue(
          lineOf(warm, "t").endsWith("(version 1, 1 file): node data cache"), warm.toString());
      assertTrue(
          lineOf(warm, "p").endsWith("(version 2, 2 files): node data cache"), warm.toString());
      long before = stats(server).readBytes();
      String warmRun = join + " -- warm";
      assertEquals(List.of("ant:eu", "bee:us", "null:eu"), rows(s, warmRun));
      NodeDataCacheStats afterWarm = stats(server);
      long read = afterWarm.readBytes() - before;
      assertTrue(read > 0, afterWarm.toString());
      assertEquals(read, awaitReadCacheBytes(s, warmRun), "read_cache_bytes of the warm run");
      assertEquals(0, afterWarm.fallbackFiles(), afterWarm.toString());

      // An append: the new version's old file from the cache, its new file from Parquet.
      s.execute("INSERT INTO dc.t VALUES (4, 'cat', 4.00, DATE '2024-04-01')");
      String onT = "SELECT id, name FROM dc.t ORDER BY id";
      List<String> appended = dataCacheLines(s, onT);
      assertEquals(
          List.of("node data cache for 1 of 2 files, Parquet for the rest"),
          List.of(lineOf(appended, "t").replaceFirst(".*\\(version 2, 2 files\\): ", "")),
          appended.toString());
      assertEquals(List.of("1:ant", "2:bee", "3:null", "4:cat"), rows(s, onT));
      stats(server);
      assertTrue(
          lineOf(dataCacheLines(s, onT), "t").endsWith("(version 2, 2 files): node data cache"));

      // A rewrite: the new version lists a new file for the rewritten rows, which the old entry
      // must not serve; the untouched file is still read from the cache.
      s.execute("UPDATE dc.t SET name = 'ape' WHERE id = 1");
      List<String> rewritten = dataCacheLines(s, onT);
      assertTrue(lineOf(rewritten, "t").contains("(version 3, "), rewritten.toString());
      assertTrue(
          lineOf(rewritten, "t").endsWith("node data cache for 1 of 2 files, Parquet for the rest"),
          rewritten.toString());
      assertEquals(List.of("1:ape", "2:bee", "3:null", "4:cat"), rows(s, onT));
      // Time travel to the version before the rewrite is served from its own cached files.
      String travel = "SELECT id, name FROM dc.t VERSION AS OF 2 ORDER BY id";
      assertTrue(
          lineOf(dataCacheLines(s, travel), "t").endsWith("(version 2, 2 files): node data cache"));
      assertEquals(List.of("1:ant", "2:bee", "3:null", "4:cat"), rows(s, travel));
      assertEquals(0, stats(server).fallbackFiles());
    }
  }

  @Test
  void leastRecentlyUsedFilesAreEvictedPastTheLimit() throws Exception {
    try (RunningServer server = start("0");
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA ev");
      for (String t : List.of("a", "b", "c")) {
        s.execute(
            "CREATE TABLE ev."
                + t
                + " AS SELECT id, 'row ' || id AS label FROM (VALUES (1), (2), (3), (4)) AS v(id)");
      }
    }
    long largest = 0;
    try (Stream<Path> files = Files.walk(dataDirectory.resolve("warehouse"))) {
      for (Path p : files.filter(p -> p.toString().endsWith(".parquet")).toList()) {
        largest = Math.max(largest, Files.size(p));
      }
    }
    assertTrue(largest > 0);
    // Room for two of the three tables' files, not three.
    long limit = largest * 2 + largest / 2;
    try (RunningServer server = start(Long.toString(limit));
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      for (String t : List.of("a", "b", "c")) {
        assertEquals(List.of("10:4"), rows(s, "SELECT sum(id), count(label) FROM ev." + t));
        stats(server);
      }
      NodeDataCacheStats full = stats(server);
      assertEquals(2, full.files(), full.toString());
      assertEquals(1, full.evictedFiles(), full.toString());
      assertTrue(full.cachedBytes() <= limit, full.toString());

      // c and b are cached; a, the least recently used, was evicted and is read from Parquet.
      long before = stats(server).readBytes();
      assertEquals(
          List.of("1:row 1", "4:row 4"),
          rows(s, "SELECT id, label FROM ev.c WHERE id IN (1, 4) ORDER BY id"));
      long afterC = stats(server).readBytes();
      assertTrue(afterC > before, "c is served from the cache");
      assertEquals(List.of("10:4"), rows(s, "SELECT sum(id), count(label) FROM ev.a"));
      assertEquals(afterC, server.server().nodeDataCacheStats().readBytes(), "a was evicted");
      NodeDataCacheStats after = stats(server); // a is copied in again, b (now oldest) evicted
      assertEquals(2, after.files(), after.toString());
      assertEquals(2, after.evictedFiles(), after.toString());
      assertTrue(after.cachedBytes() <= limit, after.toString());
    }
  }

  @Test
  void aDamagedCacheFileIsSetAsideAndTheNodeStillAnswers() throws Exception {
    Path cacheFile = dataDirectory.resolve("node-data-cache/data-cache.duckdb");
    Files.createDirectories(cacheFile.getParent());
    Files.writeString(cacheFile, "not a DuckDB database file");
    try (RunningServer server = start("64MB");
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA dm");
      s.execute("CREATE TABLE dm.t (id BIGINT, name STRING)");
      s.execute("INSERT INTO dm.t VALUES (1, 'one'), (2, 'two')");
      assertEquals(List.of("1:one", "2:two"), rows(s, "SELECT id, name FROM dm.t ORDER BY id"));
      assertEquals(1, stats(server).files());
      assertEquals(List.of("1:one", "2:two"), rows(s, "SELECT id, name FROM dm.t ORDER BY id"));
      assertTrue(stats(server).readBytes() > 0);
    }
    try (Stream<Path> files = Files.list(cacheFile.getParent())) {
      assertEquals(
          1,
          files
              .filter(p -> p.getFileName().toString().startsWith("data-cache.duckdb.broken-"))
              .count());
    }
  }
}
