package io.aquifer.conformance.semantics;

import io.aquifer.conformance.ConformanceServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where SQL engines disagree (integer division, NULL ordering, string comparison, implicit casts,
 * overflow, division by zero), Aquifer follows Databricks SQL with ANSI mode on. Each file under
 * {@code src/test/resources/semantics} pins one area through the Arrow Flight SQL JDBC driver, in a
 * schema of its own; {@code # DIFFERENCE} comments mark where Aquifer does not match yet.
 */
class DatabricksSemanticsTest {
  @TempDir static Path dataDirectory;
  private static ConformanceServer server;

  @BeforeAll
  static void start() throws Exception {
    server = ConformanceServer.start(dataDirectory);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** The data files; {@code -Daquifer.semantics.files=a.test,b.test} runs some of them only. */
  static List<Path> files() throws Exception {
    String only = System.getProperty("aquifer.semantics.files", "");
    List<String> names = only.isBlank() ? List.of() : List.of(only.split(","));
    try (Stream<Path> files = Files.list(Path.of("src/test/resources/semantics"))) {
      return files
          .filter(f -> f.toString().endsWith(".test"))
          .filter(f -> names.isEmpty() || names.contains(f.getFileName().toString()))
          .sorted()
          .toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void followsDatabricks(Path file) throws Exception {
    String schema =
        "sem_" + file.getFileName().toString().replace(".test", "").toLowerCase(Locale.ROOT);
    try (Connection c = server.connect()) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA " + schema);
        s.execute("USE " + schema);
      }
      SqlScript.run(file, c);
    }
  }
}
