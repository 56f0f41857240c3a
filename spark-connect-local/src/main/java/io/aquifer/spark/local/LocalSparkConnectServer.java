package io.aquifer.spark.local;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Spark Connect server ({@code local[N]}) in a child JVM, for tests: Apache Spark's own {@code
 * SparkConnectServer} on the class path this module resolved, listening on a free loopback port.
 * {@link #start} returns once the port accepts connections; {@link #close} stops the process.
 */
public final class LocalSparkConnectServer implements AutoCloseable {
  /** Spark 4 on Java 17 needs these (as its own launch scripts pass them). */
  public static final List<String> JAVA_17_OPENS =
      List.of(
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
          "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
          "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
          "-Djdk.reflect.useDirectMethodHandle=false",
          "-Dio.netty.tryReflectionSetAccessible=true");

  private final Process process;
  private final int port;
  private final Path log;

  private LocalSparkConnectServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts the server with {@code threads} local cores and waits until it accepts connections.
   *
   * @param workDirectory where the server's log and scratch space go
   * @throws IllegalStateException if it exited or did not listen within {@code timeout}; the
   *     message holds the end of its log
   */
  public static LocalSparkConnectServer start(Path workDirectory, int threads, Duration timeout)
      throws IOException, InterruptedException {
    int port = freePort();
    Path log = workDirectory.resolve("spark-connect-server.log");
    Path scratch = Files.createDirectories(workDirectory.resolve("spark-local"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.add("-XX:TieredStopAtLevel=1");
    command.addAll(JAVA_17_OPENS);
    command.add("-Dspark.master=local[" + threads + "]");
    command.add("-Dspark.connect.grpc.binding.address=127.0.0.1");
    command.add("-Dspark.connect.grpc.binding.port=" + port);
    command.add("-Dspark.ui.enabled=false");
    command.add("-Dspark.sql.shuffle.partitions=" + threads);
    // Test data is tiny: generating and compiling Java code per stage costs more than it saves.
    command.add("-Dspark.sql.codegen.wholeStage=false");
    command.add("-Dspark.local.dir=" + scratch);
    command.add("-Dspark.sql.warehouse.dir=" + scratch.resolve("warehouse"));
    command.add("-Dderby.system.home=" + scratch);
    command.add("-cp");
    command.add(serverClassPath());
    command.add("org.apache.spark.sql.connect.service.SparkConnectServer");
    Process process =
        new ProcessBuilder(command)
            .directory(workDirectory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    LocalSparkConnectServer server = new LocalSparkConnectServer(process, port, log);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the Spark Connect server exited with " + process.exitValue() + ":\n" + server.tail());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return server;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          server.close();
          throw new IllegalStateException(
              "the Spark Connect server did not listen within " + timeout + ":\n" + server.tail());
        }
        Thread.sleep(200);
      }
    }
  }

  /** The Spark Connect connection string, {@code sc://127.0.0.1:<port>}. */
  public String remote() {
    return "sc://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The last lines of the server's log, for failure messages. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log, UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static String serverClassPath() throws IOException {
    try (InputStream in = LocalSparkConnectServer.class.getResourceAsStream("server.classpath")) {
      if (in == null) {
        throw new IllegalStateException(
            "server.classpath is missing: build aquifer-spark-connect-local with Maven first");
      }
      return new String(in.readAllBytes(), UTF_8).trim();
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
