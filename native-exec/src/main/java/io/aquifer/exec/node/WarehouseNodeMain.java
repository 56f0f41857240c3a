package io.aquifer.exec.node;

import io.aquifer.exec.duckdb.DuckDbEngine;
import io.aquifer.exec.duckdb.DuckDbEngineConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a warehouse node as its own process:
 *
 * <pre>
 * WarehouseNodeMain --data-dir DIR [--data-dir DIR ...] [--port 0] [--host 127.0.0.1]
 *                   [--temp-dir DIR] [--memory-limit 4GB] [--query-memory-limit 1GB]
 *                   [--threads N] [--batch-rows 16384] [--secret-file FILE]
 *                   [--parent-pid PID] [--disk-cache-dir DIR [--disk-cache-size 10GB]] [--warm-up]
 * </pre>
 *
 * <p>With {@code --disk-cache-dir} the node reads object-store ({@code s3://}) data files through a
 * disk cache in that directory (which no other process may use at the same time), of at most {@code
 * --disk-cache-size} bytes; S3 settings and credentials come from the AWS SDK's standard chain of
 * the node's environment ({@code AWS_ENDPOINT_URL}, {@code AWS_REGION}, ...). Without it the node
 * reads and writes local files only.
 *
 * <p>The node accepts only calls carrying its {@link NodeSecret}: read from {@code --secret-file}
 * (a file readable by its owner only) or else from the environment variable {@value
 * NodeSecret#ENVIRONMENT_VARIABLE}, never from the command line, which other users can see. A node
 * without a secret does not start.
 *
 * <p>With {@code --parent-pid} the node exits as soon as that process (the gateway that started it)
 * is gone, so a gateway that dies, even by {@code kill -9}, leaves no node behind.
 *
 * <p>With {@code --warm-up} the node needs no secret: it starts, runs one small query against
 * itself over Flight, prints {@value #WARM_UP_DONE_LINE} and exits with status 0 (see {@link
 * #warmUp}); the gateway runs it once to make a class-data-sharing archive for its nodes.
 *
 * <p>Once listening it prints one line {@code aquifer-node listening on grpc+tcp://HOST:PORT} on
 * standard output (the parent process reads the port from it) and runs until it is terminated.
 * Defaults are those of {@link DuckDbEngineConfig#defaults}; the temp directory defaults to {@code
 * aquifer-node-<pid>} in {@code java.io.tmpdir}.
 */
public final class WarehouseNodeMain {
  public static final String READY_LINE_PREFIX = "aquifer-node listening on ";

  /** What a node started with {@code --warm-up} prints on standard output when it succeeded. */
  public static final String WARM_UP_DONE_LINE = "aquifer-node warm-up done";

  private WarehouseNodeMain() {}

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      usage(System.err);
      System.exit(2);
      return;
    }
    if (options.warmUp) {
      if (options.parentPid != null) {
        exitWithParent(options.parentPid);
      }
      warmUp(options);
      System.out.println(WARM_UP_DONE_LINE);
      System.out.flush();
      // gRPC's and DuckDB's threads would keep the JVM up; the exit also writes a class archive
      // asked for with -XX:ArchiveClassesAtExit (a JVM ended by a signal writes none).
      System.exit(0);
      return;
    }
    NodeSecret secret;
    try {
      secret = options.secret(System.getenv(NodeSecret.ENVIRONMENT_VARIABLE));
    } catch (IllegalArgumentException | java.io.IOException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (options.parentPid != null) {
      exitWithParent(options.parentPid);
    }
    WarehouseNodeServer node =
        WarehouseNodeServer.start(options.engine(), options.host, options.port, secret);
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "aquifer-node-shutdown"));
    System.out.println(READY_LINE_PREFIX + node.location().getUri());
    System.out.flush();
    node.awaitTermination();
  }

  /**
   * Does once what a node does at its start and first query, then returns: opens its engine, starts
   * its Flight server, writes a small Parquet file into the first data directory with DuckDB and
   * reads it back through the node with a ping and a query over Flight (with a secret of its own).
   * Run with {@code -XX:ArchiveClassesAtExit}, it leaves an archive of the classes a node needs, so
   * that later nodes started with {@code -XX:SharedArchiveFile} load them without parsing and
   * verifying them again.
   */
  static void warmUp(Options options) throws Exception {
    Path file = options.dataDirectories.get(0).resolve("warm-up.parquet");
    java.nio.file.Files.createDirectories(file.getParent());
    java.nio.file.Files.deleteIfExists(file);
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        java.sql.Statement s = c.createStatement()) {
      s.execute(
          "COPY (SELECT range AS x, 'row ' || range AS name FROM range(1000)) TO '"
              + file.toString().replace("'", "''")
              + "' (FORMAT parquet)");
    }
    NodeSecret secret = NodeSecret.generate();
    io.aquifer.exec.ScanSpec scan =
        new io.aquifer.exec.ScanSpec(
            "t",
            List.of(
                new io.aquifer.exec.ScanColumn(
                    "x", "x", io.aquifer.storage.types.PrimitiveType.BIGINT, false),
                new io.aquifer.exec.ScanColumn(
                    "name", "name", io.aquifer.storage.types.PrimitiveType.STRING, false)),
            List.of(
                new io.aquifer.exec.ScanFile(
                    file.toUri().toString(), java.util.Map.of(), new long[0])));
    try (WarehouseNodeServer node =
            WarehouseNodeServer.start(
                new DuckDbEngine(options.config()), options.host, options.port, secret);
        org.apache.arrow.memory.BufferAllocator allocator =
            new org.apache.arrow.memory.RootAllocator();
        WarehouseNodeClient client = new WarehouseNodeClient(allocator, node.location(), secret)) {
      client.ping(java.time.Duration.ofSeconds(30));
      try (org.apache.arrow.vector.ipc.ArrowReader result =
          client.query(
              new io.aquifer.exec.QueryFragment(
                  "warm-up",
                  "SELECT count(*) AS n, sum(x) AS s, min(name) AS m FROM t WHERE x % 7 = 3",
                  List.of(scan)))) {
        while (result.loadNextBatch()) {
          result.getVectorSchemaRoot().contentToTSVString();
        }
      }
    } finally {
      java.nio.file.Files.deleteIfExists(file);
    }
  }

  /** Exits (running the shutdown hooks) when the parent process ends, or at once if it is gone. */
  private static void exitWithParent(long pid) {
    java.util.Optional<ProcessHandle> parent = ProcessHandle.of(pid);
    if (parent.isEmpty() || !parent.get().isAlive()) {
      System.err.println("error: parent process " + pid + " is gone");
      System.exit(3);
    }
    parent.get().onExit().thenRun(() -> System.exit(0));
  }

  static void usage(PrintStream out) {
    out.println(
        "usage: WarehouseNodeMain --data-dir DIR [--data-dir DIR ...] [--port 0]"
            + " [--host 127.0.0.1] [--temp-dir DIR] [--memory-limit 4GB]"
            + " [--query-memory-limit 1GB] [--threads N] [--batch-rows 16384]"
            + " [--secret-file FILE] [--parent-pid PID]"
            + " [--disk-cache-dir DIR [--disk-cache-size 10GB]] [--no-engine-profiles] [--warm-up];"
            + " --no-engine-profiles: keep no per-query engine profile (the gateway keeps none);"
            + " without --secret-file the secret is read from "
            + NodeSecret.ENVIRONMENT_VARIABLE);
  }

  /** Command-line options of a node. */
  static final class Options {
    final List<Path> dataDirectories = new ArrayList<>();
    String host = WarehouseNodeServer.LOOPBACK;
    int port = 0;
    Path tempDirectory;
    String memoryLimit;
    String queryMemoryLimit;
    Integer threads;
    Integer batchRows;
    Path secretFile;
    Long parentPid;
    boolean warmUp;
    boolean noEngineProfiles;
    Path diskCacheDirectory;
    String diskCacheSize;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (arg.equals("--warm-up")) {
          o.warmUp = true;
          continue;
        }
        if (arg.equals("--no-engine-profiles")) {
          o.noEngineProfiles = true;
          continue;
        }
        String value;
        int eq = arg.indexOf('=');
        if (eq > 0) {
          value = arg.substring(eq + 1);
          arg = arg.substring(0, eq);
        } else {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(arg + " needs a value");
          }
          value = args[++i];
        }
        switch (arg) {
          case "--data-dir" -> o.dataDirectories.add(Path.of(value));
          case "--host" -> o.host = value;
          case "--port" -> o.port = integer(arg, value);
          case "--temp-dir" -> o.tempDirectory = Path.of(value);
          case "--memory-limit" -> o.memoryLimit = value;
          case "--query-memory-limit" -> o.queryMemoryLimit = value;
          case "--threads" -> o.threads = integer(arg, value);
          case "--batch-rows" -> o.batchRows = integer(arg, value);
          case "--secret-file" -> o.secretFile = Path.of(value);
          case "--parent-pid" -> o.parentPid = (long) integer(arg, value);
          case "--disk-cache-dir" -> o.diskCacheDirectory = Path.of(value);
          case "--disk-cache-size" -> {
            DuckDbEngineConfig.parseBytes(value);
            o.diskCacheSize = value;
          }
          default -> throw new IllegalArgumentException("unknown option " + arg);
        }
      }
      if (o.dataDirectories.isEmpty()) {
        throw new IllegalArgumentException("--data-dir is required");
      }
      if (o.diskCacheSize != null && o.diskCacheDirectory == null) {
        throw new IllegalArgumentException("--disk-cache-size needs --disk-cache-dir");
      }
      return o;
    }

    /** The node's secret: from {@code --secret-file}, else from the environment's value. */
    NodeSecret secret(String environmentValue) throws java.io.IOException {
      if (secretFile != null) {
        return NodeSecret.fromFile(secretFile);
      }
      if (environmentValue == null || environmentValue.isBlank()) {
        throw new IllegalArgumentException(
            "no node secret: pass --secret-file or set " + NodeSecret.ENVIRONMENT_VARIABLE);
      }
      return NodeSecret.of(environmentValue);
    }

    /** Default size of the disk cache of object-store files. */
    static final long DEFAULT_DISK_CACHE_BYTES = 10L << 30;

    /** The node's engine, with its disk cache when {@code --disk-cache-dir} was given. */
    DuckDbEngine engine() {
      if (diskCacheDirectory == null) {
        return new DuckDbEngine(config());
      }
      long size =
          diskCacheSize == null
              ? DEFAULT_DISK_CACHE_BYTES
              : DuckDbEngineConfig.parseBytes(diskCacheSize);
      return new DuckDbEngine(
          config(),
          java.util.Optional.of(
              new io.aquifer.storage.cache.NodeDiskCache(
                  diskCacheDirectory, size, io.aquifer.storage.cache.RemoteFileSource.s3())));
    }

    DuckDbEngineConfig config() {
      Path temp =
          tempDirectory != null
              ? tempDirectory
              : Path.of(
                  System.getProperty("java.io.tmpdir"),
                  "aquifer-node-" + ProcessHandle.current().pid());
      DuckDbEngineConfig config = DuckDbEngineConfig.defaults(dataDirectories, temp);
      if (memoryLimit != null || queryMemoryLimit != null) {
        long node =
            memoryLimit != null
                ? DuckDbEngineConfig.parseBytes(memoryLimit)
                : config.nodeMemoryLimitBytes();
        long query =
            queryMemoryLimit != null ? DuckDbEngineConfig.parseBytes(queryMemoryLimit) : node / 4;
        config = config.withMemoryLimits(node, query);
      }
      if (threads != null) {
        config = config.withThreads(threads);
      }
      if (batchRows != null) {
        config = config.withArrowBatchRows(batchRows);
      }
      if (noEngineProfiles) {
        config = config.withEngineProfiles(false);
      }
      return config;
    }

    private static int integer(String option, String value) {
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " needs a number: " + value);
      }
    }
  }
}
