package io.aquifer.exec.node;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node process started with {@code --parent-pid} exits when its parent dies, even by {@code kill
 * -9}: a gateway that crashes leaves no node behind. The "gateway" here is a {@code sleep} process.
 */
class WarehouseNodeParentTest {
  @TempDir Path dir;

  @Test
  void nodeExitsWhenItsParentIsKilled() throws Exception {
    Process parent = new ProcessBuilder("sleep", "600").start();
    Process node = null;
    try {
      Path secret = dir.resolve("secret");
      NodeSecret.generate().writeTo(secret);
      Files.createDirectories(dir.resolve("data"));
      node =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                      "--add-opens=java.base/java.nio=ALL-UNNAMED",
                      "-Xmx128m",
                      "-cp",
                      System.getProperty("java.class.path"),
                      WarehouseNodeMain.class.getName(),
                      "--data-dir",
                      dir.resolve("data").toString(),
                      "--temp-dir",
                      dir.resolve("tmp").toString(),
                      "--memory-limit",
                      "256MB",
                      "--threads",
                      "1",
                      "--secret-file",
                      secret.toString(),
                      "--parent-pid",
                      Long.toString(parent.pid())))
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), UTF_8));
      String line = out.readLine();
      assertTrue(
          line != null && line.startsWith(WarehouseNodeMain.READY_LINE_PREFIX),
          "the node did not report its port: " + line);
      assertTrue(node.isAlive());
      Process kill = new ProcessBuilder("kill", "-9", Long.toString(parent.pid())).start();
      assertEquals(0, kill.waitFor());
      assertTrue(node.waitFor(60, TimeUnit.SECONDS), "the node outlived its parent");
    } finally {
      parent.destroyForcibly();
      if (node != null) {
        node.destroyForcibly();
      }
    }
  }

  @Test
  void nodeRefusesToStartWhenItsParentIsAlreadyGone() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path secret = dir.resolve("secret");
    NodeSecret.generate().writeTo(secret);
    Process node =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    WarehouseNodeMain.class.getName(),
                    "--data-dir",
                    dir.toString(),
                    "--secret-file",
                    secret.toString(),
                    "--parent-pid",
                    Long.toString(gone.pid())))
            .redirectErrorStream(true)
            .start();
    String output = new String(node.getInputStream().readAllBytes(), UTF_8);
    assertTrue(node.waitFor(60, TimeUnit.SECONDS));
    assertEquals(3, node.exitValue(), output);
    assertTrue(output.contains("parent process " + gone.pid() + " is gone"), output);
  }
}
