package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code aquifer status} and {@code aquifer stop} on a server that runs in a process of its own, as
 * an operator sees them: status 0 with its pid and ports, stop by SIGTERM, then status 3.
 */
class StatusAndStopCommandTest {
  @TempDir Path dataDirectory;

  /** Runs {@code aquifer ARGS}; returns exit code, standard output and standard error. */
  private static String[] aquifer(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = new CommandLine(new AquiferCommand()).execute(args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    return new String[] {
      Integer.toString(code),
      out.toString(StandardCharsets.UTF_8),
      err.toString(StandardCharsets.UTF_8)
    };
  }

  @Test
  void statusShowsARunningServerStopEndsItAndStatusThenSaysNotRunning() throws Exception {
    Path log = dataDirectory.resolve("server.log");
    Files.createDirectories(dataDirectory);
    Process process =
        ServerProcess.start(
            dataDirectory,
            ProcessBuilder.Redirect.DISCARD,
            ProcessBuilder.Redirect.to(log.toFile()),
            log,
            List.of());
    try {
      JsonNode connection =
          new ObjectMapper().readTree(dataDirectory.resolve(ConnectionFile.NAME).toFile());
      String dir = "--data-dir=" + dataDirectory;

      String[] running = aquifer("status", dir);
      assertEquals("0", running[0], running[1] + running[2]);
      assertTrue(
          running[1].contains("Aquifer is running on " + dataDirectory + " (pid " + process.pid()),
          running[1]);
      assertTrue(
          running[1].contains(
              "Arrow Flight SQL port: " + connection.path("flightSql").path("port").asInt()),
          running[1]);
      assertTrue(
          running[1].contains("Avatica port: " + connection.path("avatica").path("port").asInt()),
          running[1]);
      assertTrue(running[1].contains("HTTP port"), running[1]);

      String[] stopped = aquifer("stop", dir, "--timeout", "60");
      assertEquals("0", stopped[0], stopped[1] + stopped[2]);
      assertTrue(stopped[1].contains("Aquifer (pid " + process.pid() + ") stopped"), stopped[1]);
      // It is gone: stop waited for the process to exit. It ended by SIGTERM (the JVM's status
      // 143 = 128 + 15 after its shutdown hooks, not 137 of a kill -9), and the clean stop ran:
      // connection.json is removed only by the server's own close.
      assertFalse(process.isAlive());
      assertEquals(143, process.exitValue(), Files.readString(log));
      assertFalse(Files.exists(dataDirectory.resolve(ConnectionFile.NAME)));
      assertTrue(Files.readString(log).contains("stopping Aquifer"), Files.readString(log));

      String[] after = aquifer("status", dir);
      assertEquals("3", after[0], after[1] + after[2]);
      assertTrue(after[1].contains("Aquifer is not running on " + dataDirectory), after[1]);
      String[] again = aquifer("stop", dir);
      assertEquals("3", again[0], again[1] + again[2]);
      assertTrue(again[1].contains("nothing to stop"), again[1]);
    } finally {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aDirectoryWithoutAServerIsNotRunningAndHelpDescribesTheExitStatus() {
    String[] none = aquifer("status", "--data-dir", dataDirectory.resolve("nothing").toString());
    assertEquals("3", none[0], none[1] + none[2]);
    assertTrue(none[1].contains("not running"), none[1]);
    for (String command : List.of("status", "stop")) {
      String[] help = aquifer(command, "--help");
      assertEquals("0", help[0]);
      assertTrue(help[1].contains("--data-dir"), help[1]);
      assertTrue(help[1].contains("3") && help[1].contains("not running"), help[1]);
    }
    assertTrue(aquifer("stop", "--help")[1].contains("--timeout"));
    String[] badTimeout = aquifer("stop", "--data-dir", dataDirectory.toString(), "--timeout", "0");
    assertEquals("1", badTimeout[0]);
    assertTrue(badTimeout[2].contains("--timeout must be at least 1 second"), badTimeout[2]);
  }
}
