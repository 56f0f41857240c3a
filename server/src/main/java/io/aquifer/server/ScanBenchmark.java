package io.aquifer.server;

import io.aquifer.gateway.Session;
import io.aquifer.storage.delta.DataFile;
import io.aquifer.storage.delta.KernelDeltaTables;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.auth2.BearerCredentialWriter;
import org.apache.arrow.flight.grpc.CredentialCallOption;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * {@code aquifer bench}: planner time per statement, and the end-to-end time of a scan-heavy query
 * through Arrow Flight SQL next to in-process DuckDB over the very same Parquet files, as a ratio.
 * Runs a throw-away server in a temporary directory. Figures are medians; nothing is asserted.
 */
final class ScanBenchmark {
  private static final List<String> PLANNED =
      List.of(
          "SELECT 1",
          "SELECT grp, sum(amount) FROM bench.facts GROUP BY grp ORDER BY grp",
          "SELECT f.grp, count(*) FROM bench.facts f JOIN bench.ten t ON f.grp = t.x"
              + " WHERE f.amount > 10 GROUP BY f.grp",
          "SELECT k FROM bench.facts f WHERE EXISTS (SELECT 1 FROM bench.ten t WHERE t.x = f.grp)"
              + " AND amount > (SELECT avg(amount) FROM bench.facts) ORDER BY k LIMIT 10",
          "WITH r AS (SELECT grp, sum(amount) AS total FROM bench.facts GROUP BY grp)"
              + " SELECT grp FROM r WHERE total = (SELECT max(total) FROM r)");
  private static final String SCAN_QUERY =
      "SELECT grp, count(*) AS n, sum(amount) AS total, min(note) AS first_note, max(k) AS last_k"
          + " FROM %s WHERE amount > 1 GROUP BY grp ORDER BY grp";

  private final int digits;
  private final int runs;
  private final PrintStream out;

  ScanBenchmark(int digits, int runs, PrintStream out) {
    this.digits = digits;
    this.runs = runs;
    this.out = out;
  }

  void run() throws Exception {
    Path dir = Files.createTempDirectory("aquifer-bench");
    try {
      Map<String, String> flags =
          Map.of(ServerConfig.DATA_DIR, dir.toString(), ServerConfig.FLIGHT_PORT, "0");
      ServerConfig config = ServerConfig.load(null, System.getenv(), flags);
      Path tokenFile = dir.resolve("token");
      try (AquiferServer server =
              AquiferServer.start(
                  config, Optional.of(tokenFile), new PrintStream(PrintStream.nullOutputStream()));
          BufferAllocator allocator = new RootAllocator();
          FlightClient flight =
              FlightClient.builder(
                      allocator, Location.forGrpcInsecure("127.0.0.1", server.flightPort()))
                  .build();
          FlightSqlClient sql = new FlightSqlClient(flight)) {
        CallOption auth =
            new CredentialCallOption(
                new BearerCredentialWriter(Files.readString(tokenFile).trim()));
        long rows = (long) Math.pow(10, digits);
        out.printf(
            "Aquifer %s benchmark: %,d rows, median of %d runs after 1 warm-up%n",
            AquiferServer.version(), rows, runs);
        long loadStart = System.nanoTime();
        setUp(sql, auth);
        out.printf("load: %.1f s%n%n", (System.nanoTime() - loadStart) / 1e9);

        Session session =
            server
                .gateway()
                .openSession(
                    server.gateway().authenticateToken(Files.readString(tokenFile).trim()));
        out.println("planning (parse, validate, plan, compile to engine SQL), median ms:");
        for (String statement : PLANNED) {
          double ms = median(25, () -> server.gateway().compile(session, statement)) / 1e6;
          out.printf("  %8.3f  %s%n", ms, abbreviate(statement));
        }

        String query = String.format(SCAN_QUERY, "bench.facts");
        double aquifer = median(runs, () -> consume(sql, auth, query)) / 1e6;
        List<DataFile> files =
            new KernelDeltaTables()
                .latest(server.gateway().tableLocation("main", "bench", "facts").orElseThrow())
                .files();
        double duckdb = median(runs, () -> duckDb(files, String.format(SCAN_QUERY, "facts"))) / 1e6;
        out.printf("%nscan-heavy query: %s%n", query);
        out.printf("  Aquifer over Flight SQL     %10.1f ms%n", aquifer);
        out.printf("  in-process DuckDB, same files %8.1f ms%n", duckdb);
        out.printf("  ratio Aquifer / DuckDB      %10.2f%n", aquifer / duckdb);
      }
    } finally {
      deleteTree(dir);
    }
  }

  private void setUp(FlightSqlClient sql, CallOption auth) {
    sql.executeUpdate("CREATE SCHEMA bench", auth);
    sql.executeUpdate("CREATE TABLE bench.ten (x INT)", auth);
    sql.executeUpdate("INSERT INTO bench.ten VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)", auth);
    StringBuilder key = new StringBuilder();
    StringBuilder from = new StringBuilder();
    for (int i = 0; i < digits; i++) {
      key.append(i == 0 ? "" : " + ")
          .append("CAST(t")
          .append(i)
          .append(".x AS BIGINT) * ")
          .append((long) Math.pow(10, i));
      from.append(i == 0 ? "" : ", ").append("bench.ten t").append(i);
    }
    sql.executeUpdate(
        "CREATE TABLE bench.facts AS SELECT k, CAST(k % 10 AS INT) AS grp,"
            + " CAST((k % 10000) / 100.0 AS DECIMAL(15,2)) AS amount, 'note ' || CAST(k % 997 AS STRING) AS note"
            + " FROM (SELECT "
            + key
            + " AS k FROM "
            + from
            + ") s",
        auth);
  }

  private static void consume(FlightSqlClient sql, CallOption auth, String query) {
    FlightInfo info = sql.execute(query, auth);
    try (FlightStream stream = sql.getStream(info.getEndpoints().get(0).getTicket(), auth)) {
      while (stream.next()) {
        stream.getRoot().getRowCount();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void duckDb(List<DataFile> files, String query) {
    String list =
        files.stream()
            .map(f -> "'" + Path.of(f.path()).toString().replace("'", "''") + "'")
            .collect(Collectors.joining(", ", "[", "]"));
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("CREATE VIEW facts AS SELECT * FROM read_parquet(" + list + ")");
      try (ResultSet rs = s.executeQuery(query)) {
        while (rs.next()) {
          rs.getObject(1);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double median(int runs, Runnable work) {
    work.run(); // warm-up
    double[] times = new double[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      work.run();
      times[i] = System.nanoTime() - start;
    }
    Arrays.sort(times);
    return runs % 2 == 1 ? times[runs / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;
  }

  private static String abbreviate(String s) {
    return s.length() <= 90 ? s : s.substring(0, 87) + "...";
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
