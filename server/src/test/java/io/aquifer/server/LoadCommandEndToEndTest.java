package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code aquifer load} through a real server: the command's picocli entry point in this JVM,
 * uploading over the Files API and loading with the Statement Execution API; tables read back
 * through the Flight SQL JDBC driver.
 */
class LoadCommandEndToEndTest {
  @TempDir static Path dataDirectory;
  @TempDir static Path files;

  private static RunningServer server;
  private static Connection connection;

  @BeforeAll
  static void start() throws Exception {
    server = RunningServer.start(dataDirectory);
    connection = server.connect();
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE SCHEMA main.load_test");
      s.execute("CREATE VOLUME main.load_test.landing");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (connection != null) {
      connection.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** One run of the command: its exit status and what it printed. */
  private record Run(int exitCode, String out, String err) {}

  private static Run load(boolean terminal, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--data-dir");
    all.add(dataDirectory.toString());
    int code =
        new CommandLine(
                new LoadCommand(
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    Map.of("AQUIFER_TOKEN", server.token()),
                    terminal))
            .execute(all.toArray(String[]::new));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Path file(String name, String content) throws Exception {
    return Files.writeString(files.resolve(name), content);
  }

  private static long count(String table) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), sum(id) FROM " + table)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  private static long sumOfIds(String table) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT sum(id) FROM " + table)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  /** What is left in the volume's staging folder (nothing after a load). */
  private static int stagedLeft() throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("LIST '/Volumes/main/load_test/landing/aquifer_load'")) {
      int n = 0;
      while (rs.next()) {
        n++;
      }
      return n;
    }
  }

  @Test
  void createsAppendsAndOverwritesFromCsvFiles() throws Exception {
    Path a = file("a.csv", "id,name\n1,one\n2,two\n3,three\n");
    Path b = file("b.csv", "id,name\n4,four\n5,five\n");
    Path c = file("c.csv", "id,name\n6,six\n7,seven\n");
    String[] target = {"--table", "main.load_test.people", "--volume", "main.load_test.landing"};

    Run created =
        load(false, a.toString(), b.toString(), target[0], target[1], target[2], target[3]);
    assertEquals(0, created.exitCode(), created.err());
    assertTrue(
        created.out().startsWith("loaded 5 rows into main.load_test.people from 2 files"),
        created.out());
    assertTrue(created.err().contains("uploaded a.csv"), created.err());
    assertTrue(created.err().contains("uploaded b.csv"), created.err());
    assertTrue(
        created.err().contains("creating main.load_test.people from the staged files"),
        created.err());
    assertFalse(created.err().contains("\r"), "no bar without a terminal: " + created.err());
    assertEquals(5, count("main.load_test.people"));
    assertEquals(15, sumOfIds("main.load_test.people"));
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT name FROM main.load_test.people WHERE id = 4")) {
      assertTrue(rs.next());
      assertEquals("four", rs.getString(1));
    }
    assertEquals(0, stagedLeft(), "the staged files are deleted");

    // create again: the table exists.
    Run again = load(false, a.toString(), target[0], target[1], target[2], target[3]);
    assertEquals(1, again.exitCode());
    assertTrue(again.err().contains("TABLE_OR_VIEW_ALREADY_EXISTS (SQLSTATE 42P07)"), again.err());
    assertFalse(again.err().contains("uploaded"), "checked before uploading: " + again.err());
    assertEquals(5, count("main.load_test.people"));
    assertEquals(0, stagedLeft());

    Run appended =
        load(false, c.toString(), target[0], target[1], target[2], target[3], "--mode", "append");
    assertEquals(0, appended.exitCode(), appended.err());
    assertTrue(
        appended.out().startsWith("loaded 2 rows into main.load_test.people"), appended.out());
    assertEquals(7, count("main.load_test.people"));
    assertEquals(28, sumOfIds("main.load_test.people"));

    // A malformed file: the append fails naming the local file and line; the table is unchanged.
    Path bad = file("bad.csv", "id,name\n8,eight\nnine,9\n");
    Run malformed =
        load(false, bad.toString(), target[0], target[1], target[2], target[3], "--mode", "append");
    assertEquals(1, malformed.exitCode(), malformed.out());
    assertTrue(malformed.err().contains(bad.toString() + ": "), malformed.err());
    assertTrue(malformed.err().contains("MALFORMED_RECORD_IN_PARSING"), malformed.err());
    assertTrue(malformed.err().contains("line 3"), malformed.err());
    assertEquals(7, count("main.load_test.people"));
    assertEquals(0, stagedLeft());

    // A failed overwrite leaves the table as it was.
    Path broken = file("broken-people.json", "{\"id\": 100}\n{\"id\": \n");
    Run failedOverwrite =
        load(
            false,
            broken.toString(),
            target[0],
            target[1],
            target[2],
            target[3],
            "--mode",
            "overwrite");
    assertEquals(1, failedOverwrite.exitCode(), failedOverwrite.out());
    assertTrue(failedOverwrite.err().contains(broken + ": "), failedOverwrite.err());
    assertEquals(7, count("main.load_test.people"));
    assertEquals(28, sumOfIds("main.load_test.people"));

    // overwrite, with the progress bar of a terminal.
    Run replaced =
        load(true, a.toString(), target[0], target[1], target[2], target[3], "--mode", "overwrite");
    assertEquals(0, replaced.exitCode(), replaced.err());
    assertTrue(replaced.err().contains("\r"), replaced.err());
    assertTrue(
        replaced.err().contains("a.csv [##############################] 100%"), replaced.err());
    assertTrue(replaced.out().startsWith("loaded 3 rows"), replaced.out());
    assertEquals(3, count("main.load_test.people"));
    assertEquals(6, sumOfIds("main.load_test.people"));
  }

  @Test
  void tsvWithSchemaHintsAndJsonLines() throws Exception {
    Path tsv = file("t.tsv", "id\tday\n1\t2026-01-02\n2\t2026-01-03\n");
    Run run =
        load(
            false,
            tsv.toString(),
            "--table",
            "main.load_test.days",
            "--volume",
            "main.load_test.landing",
            "--schema-hints",
            "id BIGINT");
    assertEquals(0, run.exitCode(), run.err());
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("DESCRIBE TABLE main.load_test.days")) {
      assertTrue(rs.next());
      assertEquals("id", rs.getString(1));
      assertEquals("bigint", rs.getString(2).toLowerCase(java.util.Locale.ROOT));
    }
    Path jsonl = file("e.jsonl", "{\"id\": 1, \"kind\": \"x\"}\n{\"id\": 2}\n");
    Run json =
        load(
            false,
            jsonl.toString(),
            "--table",
            "main.load_test.events",
            "--volume",
            "main.load_test.landing",
            "--host",
            server.server().databricksRest().baseUrl());
    assertEquals(0, json.exitCode(), json.err());
    assertEquals(2, count("main.load_test.events"));
  }

  @Test
  void xmlFilesWithTheirRowTag() throws Exception {
    Path xml =
        file(
            "books.xml",
            "<catalog><book id=\"1\"><t>a</t></book><book id=\"2\"><t>b</t></book></catalog>\n");
    Run noRowTag =
        load(
            false,
            xml.toString(),
            "--table",
            "main.load_test.books",
            "--volume",
            "main.load_test.landing");
    assertEquals(2, noRowTag.exitCode(), noRowTag.err());
    assertTrue(noRowTag.err().contains("--row-tag"), noRowTag.err());
    Run run =
        load(
            false,
            xml.toString(),
            "--table",
            "main.load_test.books",
            "--volume",
            "main.load_test.landing",
            "--row-tag",
            "book");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("loaded 2 rows"), run.out());
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT _id, t FROM main.load_test.books ORDER BY _id")) {
      assertTrue(rs.next());
      assertEquals(1, rs.getLong(1));
      assertEquals("a", rs.getString(2));
    }
    Run append =
        load(
            false,
            xml.toString(),
            "--table",
            "main.load_test.books",
            "--volume",
            "main.load_test.landing",
            "--mode",
            "append",
            "--option",
            "rowTag=book");
    assertEquals(0, append.exitCode(), append.err());
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM main.load_test.books")) {
      assertTrue(rs.next());
      assertEquals(4, rs.getLong(1));
    }
    assertEquals(0, stagedLeft());
  }

  @Test
  void refusesMissingVolumesFilesAndDirectoriesChangingNothing() throws Exception {
    Path a = file("m.csv", "id\n1\n");
    Run noVolume =
        load(false, a.toString(), "--table", "main.load_test.m", "--volume", "main.load_test.nope");
    assertEquals(1, noVolume.exitCode());
    assertTrue(
        noVolume.err().contains("volume main.load_test.nope does not exist"), noVolume.err());

    Run noTable =
        load(
            false,
            a.toString(),
            "--table",
            "main.load_test.m",
            "--volume",
            "main.load_test.landing",
            "--mode",
            "append");
    assertEquals(1, noTable.exitCode());
    assertTrue(noTable.err().contains("TABLE_OR_VIEW_NOT_FOUND"), noTable.err());

    Run noFile =
        load(
            false,
            files.resolve("absent.csv").toString(),
            "--table",
            "main.load_test.m",
            "--volume",
            "main.load_test.landing");
    assertEquals(2, noFile.exitCode());
    assertTrue(noFile.err().contains("absent.csv: no such file"), noFile.err());

    Path directory = Files.createDirectories(files.resolve("dir.csv"));
    Run aDirectory =
        load(
            false,
            directory.toString(),
            "--table",
            "main.load_test.m",
            "--volume",
            "main.load_test.landing");
    assertEquals(2, aDirectory.exitCode());
    assertTrue(aDirectory.err().contains("is a directory"), aDirectory.err());

    Run badName = load(false, a.toString(), "--table", "m", "--volume", "main.load_test.landing");
    assertEquals(2, badName.exitCode());
    assertTrue(badName.err().contains("--table takes catalog.schema.name"), badName.err());

    // Option values are string literals, never SQL: a quote in one is the option's text.
    Run quoted =
        load(
            false,
            a.toString(),
            "--table",
            "main.load_test.m",
            "--volume",
            "main.load_test.landing",
            "--option",
            "mode=FAILFAST') AS x, (SELECT 1 FROM read_files('/etc");
    assertEquals(1, quoted.exitCode(), quoted.out());
    assertTrue(quoted.err().contains("42K06"), quoted.err());
    Run badKey =
        load(
            false,
            a.toString(),
            "--table",
            "main.load_test.m",
            "--volume",
            "main.load_test.landing",
            "--option",
            "x => 1, y=2");
    assertEquals(2, badKey.exitCode());
    assertTrue(badKey.err().contains("not an option name"), badKey.err());

    // A malformed JSON file on create: the statement fails and no table is made.
    Path broken = file("broken.json", "{\"id\": 1}\n{\"id\": \n");
    Run malformed =
        load(
            false,
            broken.toString(),
            "--table",
            "main.load_test.m",
            "--volume",
            "main.load_test.landing");
    assertEquals(1, malformed.exitCode(), malformed.out());
    assertTrue(malformed.err().contains("aquifer load: " + broken + ": "), malformed.err());
    assertTrue(malformed.err().contains("Malformed JSON"), malformed.err());

    SQLException none = assertThrows(SQLException.class, () -> count("main.load_test.m"));
    assertTrue(none.getMessage().contains("TABLE_OR_VIEW_NOT_FOUND"), none.getMessage());
    assertEquals(0, stagedLeft());
  }
}
