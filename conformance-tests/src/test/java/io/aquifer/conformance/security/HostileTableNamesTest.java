package io.aquifer.conformance.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.conformance.ConformanceServer;
import io.aquifer.storage.delta.DataFile;
import io.aquifer.storage.delta.DeltaSnapshot;
import io.aquifer.storage.delta.KernelDeltaTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Table and schema names with characters that mean something to file systems, URIs and Delta
 * readers round-trip through CREATE, INSERT, SELECT, an independent Delta reader (Delta Kernel
 * lists the files of the log, plain DuckDB reads them) and DROP, which leaves nothing of the table
 * behind.
 */
class HostileTableNamesTest {
  @TempDir Path dataDirectory;

  static final List<String> NAMES =
      List.of("a\"b", "a/b\\c", "a%22b", "x y", "é ü ß", "tab\u00a0le", "b".repeat(250), "a'b");

  @Test
  void hostileNamesRoundTripThroughCreateWriteReadAndDrop() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      Path warehouse = dataDirectory.resolve("warehouse");
      s.execute("CREATE SCHEMA `s/\"\\x`");
      for (String schema : List.of("default", "s/\"\\x")) {
        for (String name : NAMES) {
          String table = quote(schema) + "." + quote(name);
          Set<Path> before = tableDirectories(warehouse);
          s.execute("CREATE TABLE " + table + " (id INT, v STRING)");
          s.execute("INSERT INTO " + table + " VALUES (1, 'one'), (2, 'two')");
          s.execute("INSERT INTO " + table + " SELECT id + 10, v FROM " + table);
          try (ResultSet rs = s.executeQuery("SELECT sum(id), count(*) FROM " + table)) {
            rs.next();
            assertEquals(26, rs.getLong(1), name);
            assertEquals(4, rs.getLong(2), name);
          }
          Set<Path> created = tableDirectories(warehouse);
          created.removeAll(before);
          assertEquals(1, created.size(), "one table directory for " + name + ": " + created);
          Path directory = created.iterator().next();
          assertTrue(directory.startsWith(warehouse), directory.toString());
          assertTrue(
              warehouse.relativize(directory).toString().matches("[A-Za-z0-9_/-]+"),
              "directory of " + name + ": " + directory);
          assertEquals(List.of(1L, 2L, 11L, 12L), readIndependently(directory), name);

          s.execute("DROP TABLE " + table);
          assertFalse(Files.exists(directory), "DROP TABLE left " + directory);
          assertEquals(before, tableDirectories(warehouse), "DROP TABLE left files of " + name);
        }
      }
      try (Stream<Path> all = Files.walk(warehouse)) {
        List<Path> files = all.filter(Files::isRegularFile).toList();
        assertEquals(List.of(), files, "files left after every table was dropped");
      }
    }
  }

  /** Delta Kernel resolves the log's file list; plain DuckDB reads exactly those files. */
  private static List<Long> readIndependently(Path directory) throws Exception {
    DeltaSnapshot snapshot = new KernelDeltaTables().latest(directory.toUri());
    List<String> selects = new ArrayList<>();
    for (DataFile file : snapshot.files()) {
      Path path = Path.of(file.path());
      assertTrue(path.startsWith(directory), "data file outside the table: " + path);
      assertTrue(Files.isRegularFile(path), "no file at " + path);
      String physical = snapshot.schema().column("id").orElseThrow().physicalName();
      selects.add(
          "SELECT \""
              + physical.replace("\"", "\"\"")
              + "\" AS id FROM read_parquet('"
              + path.toString().replace("'", "''")
              + "')");
    }
    List<Long> ids = new ArrayList<>();
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = duckdb.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT id FROM (" + String.join(" UNION ALL ", selects) + ") ORDER BY id")) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }

  private static Set<Path> tableDirectories(Path warehouse) throws Exception {
    if (!Files.exists(warehouse)) {
      return new HashSet<>();
    }
    try (Stream<Path> all = Files.walk(warehouse)) {
      Set<Path> directories = new HashSet<>();
      all.filter(p -> p.getFileName().toString().equals("_delta_log"))
          .forEach(p -> directories.add(p.getParent()));
      // everything below the table directories too, so that a stray file is noticed
      return directories;
    }
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
