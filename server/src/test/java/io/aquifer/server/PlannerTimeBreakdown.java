package io.aquifer.server;

import io.aquifer.catalog.CatalogDatabase;
import io.aquifer.catalog.CatalogStore;
import io.aquifer.exec.compile.DuckDbPlanCompiler;
import io.aquifer.gateway.StatementPhase;
import io.aquifer.gateway.StatementStatus;
import io.aquifer.gateway.execution.GatewayPlannerCatalog;
import io.aquifer.planner.PlannedQuery;
import io.aquifer.planner.PlannerCatalog;
import io.aquifer.planner.QueryPlanner;
import io.aquifer.planner.parse.ParsedStatement;
import io.aquifer.planner.parse.StatementParser;
import io.aquifer.storage.delta.CachingDeltaTables;
import io.aquifer.storage.delta.CommitRequest;
import io.aquifer.storage.delta.DeltaSnapshot;
import io.aquifer.storage.delta.DeltaTables;
import io.aquifer.storage.delta.HistoryEntry;
import io.aquifer.storage.delta.KernelDeltaTables;
import io.aquifer.storage.delta.NewDataFile;
import io.aquifer.storage.types.TableSchema;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.auth2.BearerCredentialWriter;
import org.apache.arrow.flight.grpc.CredentialCallOption;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * Where the planner's time goes, per phase, for the statements of {@code aquifer bench}: statement
 * parsing, Calcite parse, validate + convert (split into catalog look-ups and Delta snapshot loads,
 * timed by decorators), and compilation to engine SQL; then the same statements through the gateway
 * over Flight SQL, each statement's own phase times as it records them ({@link
 * StatementStatus#phaseTimes}), with the result cache off. A measuring tool, not a test: run its
 * {@code main} with the server's test class path; nothing is asserted.
 *
 * <p>Arguments: {@code [rows-log10 (default 6)] [runs (default 25)] [cached|kernel (default
 * kernel)]}. With {@code cached}, Delta tables are read through {@link CachingDeltaTables}, as the
 * server does, instead of a plain {@link KernelDeltaTables}.
 */
public final class PlannerTimeBreakdown {
  private static final List<String> STATEMENTS =
      List.of(
          "SELECT 1",
          "SELECT grp, sum(amount) FROM bench.facts GROUP BY grp ORDER BY grp",
          "SELECT f.grp, count(*) FROM bench.facts f JOIN bench.ten t ON f.grp = t.x"
              + " WHERE f.amount > 10 GROUP BY f.grp",
          "SELECT k FROM bench.facts f WHERE EXISTS (SELECT 1 FROM bench.ten t WHERE t.x = f.grp)"
              + " AND amount > (SELECT avg(amount) FROM bench.facts) ORDER BY k LIMIT 10",
          "WITH r AS (SELECT grp, sum(amount) AS total FROM bench.facts GROUP BY grp)"
              + " SELECT grp FROM r WHERE total = (SELECT max(total) FROM r)");

  private PlannerTimeBreakdown() {}

  public static void main(String[] args) throws Exception {
    int digits = args.length > 0 ? Integer.parseInt(args[0]) : 6;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    boolean cached = args.length > 2 && args[2].equals("cached");
    Path dir = Files.createTempDirectory("aquifer-breakdown");
    Map<String, String> flags =
        Map.of(
            ServerConfig.DATA_DIR,
            dir.toString(),
            ServerConfig.FLIGHT_PORT,
            "0",
            ServerConfig.AVATICA_PORT,
            "0",
            ServerConfig.HTTP_PORT,
            "0",
            ServerConfig.RESULT_CACHE,
            "false");
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
          new CredentialCallOption(new BearerCredentialWriter(Files.readString(tokenFile).trim()));
      load(sql, auth, digits);
      URI facts = server.gateway().tableLocation("main", "bench", "facts").orElseThrow();
      System.out.println("bench.facts at " + facts);

      throughGateway(server, sql, auth, runs);

      try (CatalogDatabase database =
          CatalogDatabase.open(dir.resolve(AquiferServer.CATALOG_FILE))) {
        CatalogStore store = CatalogStore.open(database, AquiferServer.ADMIN_USER);
        DeltaTables delta =
            cached ? new CachingDeltaTables(new KernelDeltaTables()) : new KernelDeltaTables();
        System.out.printf(
            "%nmedian ms of %d runs (after 3 warm-ups), Delta tables: %s%n",
            runs, delta.getClass().getSimpleName());
        System.out.printf(
            "%8s %8s %8s %8s %8s %8s %8s %8s  %s%n",
            "total", "stmt", "parse", "plan", "catalog", "delta", "compile", "calls", "statement");
        for (String statement : STATEMENTS) {
          measure(store, delta, statement, runs);
        }
      }
    } finally {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /**
   * Runs each statement through the gateway and prints the median of each phase the statement
   * recorded on itself, and of its whole duration (submission to the last row stored).
   */
  private static void throughGateway(
      AquiferServer server, FlightSqlClient sql, CallOption auth, int runs) throws Exception {
    ConcurrentLinkedQueue<StatementStatus> ended = new ConcurrentLinkedQueue<>();
    server
        .gateway()
        .addStatementEndListener(
            (status, text) -> {
              if (STATEMENTS.contains(text)) {
                ended.add(status);
              }
            });
    StatementPhase[] phases = StatementPhase.values();
    System.out.printf(
        "%nthrough the gateway (Flight SQL, result cache off): median ms of %d runs per phase%n",
        runs);
    StringBuilder header = new StringBuilder();
    for (StatementPhase p : phases) {
      header.append(String.format("%9.9s ", p.name().toLowerCase(java.util.Locale.ROOT)));
    }
    System.out.printf("%s%9s  %s%n", header, "total", "statement");
    for (String statement : STATEMENTS) {
      for (int i = 0; i < 3; i++) {
        drain(sql, auth, statement);
      }
      ended.clear();
      for (int i = 0; i < runs; i++) {
        drain(sql, auth, statement);
      }
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (ended.stream().filter(st -> st.statementType().isPresent()).count() < runs
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      List<StatementStatus> statuses =
          ended.stream().filter(st -> st.statementType().isPresent()).toList();
      StringBuilder line = new StringBuilder();
      for (StatementPhase p : phases) {
        double[] nanos =
            statuses.stream()
                .map(st -> st.phaseTimes().of(p))
                .filter(java.util.Optional::isPresent)
                .mapToDouble(d -> d.get().toNanos())
                .toArray();
        line.append(
            nanos.length == 0
                ? String.format("%9s ", "-")
                : String.format("%9.3f ", median(nanos)));
      }
      double[] total = statuses.stream().mapToDouble(st -> st.duration().toNanos()).toArray();
      System.out.printf(
          "%s%9.3f  %s%n",
          line,
          total.length == 0 ? Double.NaN : median(total),
          statement.length() > 60 ? statement.substring(0, 57) + "..." : statement);
    }
  }

  private static void drain(FlightSqlClient sql, CallOption auth, String statement)
      throws Exception {
    FlightInfo info = sql.execute(statement, auth);
    for (FlightEndpoint endpoint : info.getEndpoints()) {
      try (FlightStream stream = sql.getStream(endpoint.getTicket(), auth)) {
        while (stream.next()) {
          // read every batch
        }
      }
    }
  }

  private static void load(FlightSqlClient sql, CallOption auth, int digits) {
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
            + " CAST((k % 10000) / 100.0 AS DECIMAL(15,2)) AS amount,"
            + " 'note ' || CAST(k % 997 AS STRING) AS note"
            + " FROM (SELECT "
            + key
            + " AS k FROM "
            + from
            + ") s",
        auth);
  }

  private static void measure(CatalogStore store, DeltaTables delta, String sql, int runs) {
    Map<String, double[]> phases = new TreeMap<>();
    String[] names = {"total", "stmt", "parse", "plan", "catalog", "delta", "compile", "calls"};
    for (String n : names) {
      phases.put(n, new double[runs]);
    }
    for (int run = -3; run < runs; run++) {
      TimedCatalog catalog = new TimedCatalog(new GatewayPlannerCatalog(store));
      TimedDeltaTables tables = new TimedDeltaTables(delta);
      long t0 = System.nanoTime();
      ParsedStatement.Query query = (ParsedStatement.Query) StatementParser.parse(sql);
      long t1 = System.nanoTime();
      QueryPlanner planner = new QueryPlanner(catalog, tables, "main", "default");
      var node = planner.parse(query.calciteSql());
      long t2 = System.nanoTime();
      PlannedQuery plan = planner.plan(node);
      long t3 = System.nanoTime();
      DuckDbPlanCompiler.compile("breakdown", plan.rel());
      long t4 = System.nanoTime();
      if (run < 0) {
        continue;
      }
      phases.get("total")[run] = t4 - t0;
      phases.get("stmt")[run] = t1 - t0;
      phases.get("parse")[run] = t2 - t1;
      phases.get("plan")[run] = t3 - t2 - catalog.nanos - tables.nanos;
      phases.get("catalog")[run] = catalog.nanos;
      phases.get("delta")[run] = tables.nanos;
      phases.get("compile")[run] = t4 - t3;
      phases.get("calls")[run] = catalog.calls * 1e6;
      if (run == runs - 1) {
        System.out.printf(
            "%8.3f %8.3f %8.3f %8.3f %8.3f %8.3f %8.3f %8.0f  %s%n",
            median(phases.get("total")),
            median(phases.get("stmt")),
            median(phases.get("parse")),
            median(phases.get("plan")),
            median(phases.get("catalog")),
            median(phases.get("delta")),
            median(phases.get("compile")),
            median(phases.get("calls")),
            sql.length() > 60 ? sql.substring(0, 57) + "..." : sql);
        System.out.println("          catalog calls: " + catalog.callsByMethod);
      }
    }
  }

  private static double median(double[] nanos) {
    double[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double m = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return m / 1e6;
  }

  /** Times and counts calls into the catalog. */
  private static final class TimedCatalog implements PlannerCatalog {
    private final PlannerCatalog delegate;
    long nanos;
    int calls;
    final Map<String, Integer> callsByMethod = new TreeMap<>();

    TimedCatalog(PlannerCatalog delegate) {
      this.delegate = delegate;
    }

    private <T> T timed(String method, Supplier<T> call) {
      long start = System.nanoTime();
      try {
        return call.get();
      } finally {
        nanos += System.nanoTime() - start;
        calls++;
        callsByMethod.merge(method, 1, Integer::sum);
      }
    }

    @Override
    public Set<String> catalogNames() {
      return timed("catalogNames", delegate::catalogNames);
    }

    @Override
    public Set<String> schemaNames(String catalog) {
      return timed("schemaNames", () -> delegate.schemaNames(catalog));
    }

    @Override
    public Set<String> tableNames(String catalog, String schema) {
      return timed("tableNames", () -> delegate.tableNames(catalog, schema));
    }

    @Override
    public Optional<ResolvedTable> table(String catalog, String schema, String table) {
      return timed("table", () -> delegate.table(catalog, schema, table));
    }
  }

  /** Times snapshot loads. */
  private static final class TimedDeltaTables implements DeltaTables {
    private final DeltaTables delegate;
    long nanos;

    TimedDeltaTables(DeltaTables delegate) {
      this.delegate = delegate;
    }

    private <T> T timed(Supplier<T> call) {
      long start = System.nanoTime();
      try {
        return call.get();
      } finally {
        nanos += System.nanoTime() - start;
      }
    }

    @Override
    public DeltaSnapshot create(
        URI location,
        TableSchema schema,
        List<String> partitionColumns,
        Map<String, String> properties,
        List<NewDataFile> initialFiles) {
      throw new UnsupportedOperationException("read-only");
    }

    @Override
    public DeltaSnapshot latest(URI location) {
      return timed(() -> delegate.latest(location));
    }

    @Override
    public DeltaSnapshot atVersion(URI location, long version) {
      return timed(() -> delegate.atVersion(location, version));
    }

    @Override
    public DeltaSnapshot atTimestamp(URI location, long timestampMillis) {
      return timed(() -> delegate.atTimestamp(location, timestampMillis));
    }

    @Override
    public long commit(URI location, CommitRequest request) {
      throw new UnsupportedOperationException("read-only");
    }

    @Override
    public List<HistoryEntry> history(URI location) {
      return delegate.history(location);
    }
  }
}
