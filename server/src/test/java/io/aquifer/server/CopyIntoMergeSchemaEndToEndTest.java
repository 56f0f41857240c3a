package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * COPY INTO with {@code mergeSchema} on a table without column mapping: the new columns, column
 * mapping and the files in one Delta commit, and nothing at all when the load fails.
 */
class CopyIntoMergeSchemaEndToEndTest {
  @TempDir Path dataDirectory;

  @Test
  void newColumnsComeWithTheFilesInOneCommitAndAFailedLoadChangesNothing() throws Exception {
    Path bad = dataDirectory.resolve("external").resolve("bad");
    Path good = dataDirectory.resolve("external").resolve("good");
    Files.createDirectories(bad);
    Files.createDirectories(good);
    Files.writeString(bad.resolve("a.csv"), "id,name\n1,ann\n");
    Files.writeString(bad.resolve("b.csv"), "id,name\nnot-a-number,bob\n");
    Files.writeString(good.resolve("a.csv"), "id,name,score\n1,ann,1.5\n2,bob,2.5\n");
    try (RunningServer server = RunningServer.start(dataDirectory);
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA c");
      s.execute("CREATE TABLE c.t (id BIGINT)");

      // A value that does not convert to the table's column: the COPY fails, and the table keeps
      // its schema, its properties and its one commit.
      SQLException e =
          assertThrows(
              SQLException.class,
              () ->
                  s.executeUpdate(
                      "COPY INTO c.t FROM '"
                          + bad
                          + "' FILEFORMAT = CSV FORMAT_OPTIONS ('header' = 'true')"
                          + " COPY_OPTIONS ('mergeSchema' = 'true')"));
      assertFalse(e.getMessage().contains("internal error"), e.getMessage());
      assertEquals(List.of("id BIGINT"), columns(s));
      assertEquals(1, history(s).size());
      assertFalse(
          properties(s).contains("delta.columnMapping.mode=name"), properties(s).toString());

      // A load that succeeds: the new columns, column mapping and the rows in one commit.
      assertEquals(
          2,
          s.executeUpdate(
              "COPY INTO c.t FROM '"
                  + good
                  + "' FILEFORMAT = CSV FORMAT_OPTIONS ('header' = 'true')"
                  + " COPY_OPTIONS ('mergeSchema' = 'true')"));
      assertEquals(List.of("id BIGINT", "name STRING", "score DOUBLE"), columns(s));
      List<String> history = history(s);
      assertEquals(2, history.size(), history.toString());
      assertTrue(history.get(0).startsWith("COPY INTO"), history.toString());
      assertTrue(history.get(0).contains("mergedColumns"), history.toString());
      assertTrue(properties(s).contains("delta.columnMapping.mode=name"), properties(s).toString());
      try (ResultSet rs = s.executeQuery("SELECT id, name, score FROM c.t ORDER BY id")) {
        assertTrue(rs.next());
        assertEquals(1, rs.getLong(1));
        assertEquals("ann", rs.getString(2));
        assertEquals(1.5, rs.getDouble(3));
        assertTrue(rs.next());
        assertEquals("bob", rs.getString(2));
        assertFalse(rs.next());
      }
      // The table stays writable and readable by name after the switch.
      s.execute("INSERT INTO c.t VALUES (3, 'cy', 3.5)");
      try (ResultSet rs = s.executeQuery("SELECT sum(id), max(name), sum(score) FROM c.t")) {
        assertTrue(rs.next());
        assertEquals(6, rs.getLong(1));
        assertEquals("cy", rs.getString(2));
        assertEquals(7.5, rs.getDouble(3));
      }
    }
  }

  private static List<String> columns(Statement s) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (ResultSet rs = s.executeQuery("DESCRIBE TABLE c.t")) {
      while (rs.next()) {
        columns.add(rs.getString(1) + " " + rs.getString(2));
      }
    }
    return columns;
  }

  /** Each commit's operation and parameters, newest first. */
  private static List<String> history(Statement s) throws SQLException {
    List<String> commits = new ArrayList<>();
    try (ResultSet rs = s.executeQuery("DESCRIBE HISTORY c.t")) {
      while (rs.next()) {
        commits.add(rs.getString("operation") + " " + rs.getString("operationParameters"));
      }
    }
    return commits;
  }

  private static List<String> properties(Statement s) throws SQLException {
    List<String> properties = new ArrayList<>();
    try (ResultSet rs = s.executeQuery("SHOW TBLPROPERTIES c.t")) {
      while (rs.next()) {
        properties.add(rs.getString(1) + "=" + rs.getString(2));
      }
    }
    return properties;
  }
}
