package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code aquifer start} as a user runs it twice on one data directory. */
class StartCommandTest {
  @TempDir Path dataDirectory;

  @Test
  void aSecondStartOnALockedDataDirectorySaysSoInOneLine() throws Exception {
    try (RunningServer first = RunningServer.start(dataDirectory)) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      PrintStream original = System.err;
      int exit;
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      try {
        exit =
            new CommandLine(new AquiferCommand())
                .execute(
                    "start",
                    "--data-dir",
                    dataDirectory.toString(),
                    "--flight-port",
                    "0",
                    "--avatica-port",
                    "0",
                    "--http-port",
                    "0",
                    "--no-sample");
      } finally {
        System.setErr(original);
      }
      String printed = err.toString(StandardCharsets.UTF_8).strip();
      assertEquals(1, exit, printed);
      assertEquals(1, printed.lines().count(), printed);
      assertTrue(
          printed.startsWith("aquifer start: data directory ")
              && printed.contains("is in use by another Aquifer process"),
          printed);
    }
  }
}
