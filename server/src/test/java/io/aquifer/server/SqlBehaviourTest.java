package io.aquifer.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under {@code src/test/resources/sql} runs through the Arrow Flight SQL JDBC driver
 * against one real server; each file gets its own connection and works in its own schema. The files
 * under {@code src/test/resources/sql-files} are copied below the server's external location first;
 * scripts name that directory {@code ${files}}.
 */
class SqlBehaviourTest {
  @TempDir static Path dataDirectory;
  private static RunningServer server;
  private static Path filesDirectory;

  @BeforeAll
  static void start() throws Exception {
    filesDirectory = dataDirectory.resolve("external").resolve("files");
    server = RunningServer.start(dataDirectory);
    // Files the scripts read (read_files, COPY INTO) at ${files}, below the external location.
    Path source = Path.of("src/test/resources/sql-files");
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path p : walk.toList()) {
        Path target = filesDirectory.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static List<Path> files() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("src/test/resources/sql"))) {
      return files.filter(f -> f.toString().endsWith(".test")).sorted().toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void runs(Path file) throws Exception {
    try (Connection c = server.connect()) {
      SqlScriptRunner.run(file, c, java.util.Map.of("files", filesDirectory.toString()));
    }
  }
}
