package io.aquifer.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code aquifer start} in a process of its own, as an operator runs it: free ports, no sample, a 1
 * GB node, the admin token written to {@code admin-token} in the data directory. Returns once
 * {@code connection.json} says the server is ready.
 */
final class ServerProcess {
  static final String TOKEN_FILE = "admin-token";

  private ServerProcess() {}

  /**
   * @param out where standard output goes (the banner)
   * @param err where standard error goes (the log)
   * @param jvmOptions more options for the JVM (system properties)
   */
  static Process start(
      Path dataDirectory,
      ProcessBuilder.Redirect out,
      ProcessBuilder.Redirect err,
      Path logToShow,
      List<String> jvmOptions)
      throws Exception {
    Path connection = dataDirectory.resolve(ConnectionFile.NAME);
    Files.deleteIfExists(connection);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
    command.add("-Xmx1g");
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            AquiferCommand.class.getName(),
            "start",
            "--data-dir",
            dataDirectory.toString(),
            "--flight-port",
            "0",
            "--avatica-port",
            "0",
            "--http-port",
            "0",
            "--node-memory-limit",
            "1GB",
            // The sample is not needed; its load only lengthens each start on a busy machine.
            "--no-sample",
            "--token-file",
            dataDirectory.resolve(TOKEN_FILE).toString()));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectOutput(out);
    builder.redirectError(err);
    Process process = builder.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.exists(connection)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("server exited: " + Files.readString(logToShow));
      }
      if (System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("server did not start: " + Files.readString(logToShow));
      }
      Thread.sleep(100);
    }
    return process;
  }
}
