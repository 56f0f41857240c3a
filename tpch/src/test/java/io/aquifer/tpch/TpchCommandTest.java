package io.aquifer.tpch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquifer.catalog.CatalogStore;
import io.aquifer.gateway.execution.ManagedTableLocations;
import io.aquifer.storage.delta.DeltaTables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code aquifer tpch} as the server module will register it, with small hand-written stand-ins for
 * the two interfaces: the shared SF 0.01 warehouse as the data directory, and in-process DuckDB
 * (its views in a catalog {@code samples}) as "the warehouse".
 */
class TpchCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final List<String> calls = new ArrayList<>();
  private final List<Optional<String>> tokens = new ArrayList<>();

  private int run(
      TpchWarehouseConnector connector, Map<String, String> environment, String... args) {
    TpchCommand command =
        new TpchCommand(
            new SharedOpener(),
            connector,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            environment);
    CommandLine commandLine = new CommandLine(command);
    commandLine.setOut(new java.io.PrintWriter(out, true, StandardCharsets.UTF_8));
    commandLine.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
    return commandLine.execute(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpSaysWhatEachSubcommandNeeds() {
    assertEquals(0, run(this::duckDb, Map.of(), "--help"));
    assertTrue(out().contains("load") && out().contains("check") && out().contains("bench"), out());
    assertTrue(out().contains("not audited TPC results"), out());
    out.reset();
    run(this::duckDb, Map.of(), "load", "--help");
    assertTrue(out().contains("Loads into the running warehouse as a client would"), out());
    assertTrue(out().contains("COPY INTO"), out());
    out.reset();
    run(this::duckDb, Map.of(), "check", "--help");
    assertTrue(out().contains("Needs a running warehouse"), out());
    assertTrue(out().contains("AQUIFER_TOKEN"), out());
    out.reset();
    run(this::duckDb, Map.of(), "bench", "--help");
    assertTrue(out().contains("read access to its"), out());
    assertTrue(out().contains("--compare=OLD.json"), out());
    out.reset();
    run(this::duckDb, Map.of(), "throughput", "--help");
    assertTrue(out().contains("--clients=LIST"), out());
    assertTrue(out().contains("checked against the answer sets"), out());
    out.reset();
    run(this::duckDb, Map.of(), "compare", "--help");
    assertTrue(out().contains("Needs no warehouse"), out());
  }

  @Test
  void loadOfALoadedScaleFactorIsANoOp() {
    int status =
        run(
            new SharedWarehouseConnector(),
            Map.of("AQUIFER_TOKEN", "secret"),
            "load",
            "--sf",
            "0.01",
            "--data-dir",
            "/somewhere");
    assertEquals(0, status, err());
    assertEquals(List.of("loadTarget /somewhere"), calls);
    assertEquals(List.of(Optional.of("secret")), tokens);
    assertTrue(err().contains("samples.tpch_sf0_01 is complete already"), err());
  }

  @Test
  void checkPassesAndTakesTheTokenFromTheEnvironment() {
    int status = run(this::duckDb, Map.of("AQUIFER_TOKEN", "secret"), "check", "--sf", "0.01");
    assertEquals(0, status, out() + err());
    assertTrue(out().contains("22 queries: 22 passed, 0 failed"), out());
    assertEquals(List.of(Optional.of("secret")), tokens);
  }

  @Test
  void checkOfSomeQueriesWithAnExplicitToken() {
    int status =
        run(
            this::duckDb,
            Map.of("AQUIFER_TOKEN", "secret"),
            "check",
            "--sf",
            "0.01",
            "--queries",
            "1,6",
            "--token",
            "mine");
    assertEquals(0, status, out() + err());
    assertTrue(out().contains("2 queries: 2 passed"), out());
    assertEquals(List.of(Optional.of("mine")), tokens);
  }

  @Test
  void checkWithoutAWarehouseSaysWhy() {
    int status =
        run(
            (options, token) -> {
              throw new SQLException("no warehouse is running on ./data (no connection.json)");
            },
            Map.of(),
            "check",
            "--sf",
            "0.01");
    assertEquals(TpchCommand.EXIT_CANNOT_RUN, status);
    assertTrue(err().contains("no warehouse is running"), err());
  }

  @Test
  void badOptionsAreUsageErrors() {
    assertEquals(2, run(this::duckDb, Map.of(), "check"));
    assertTrue(err().contains("--sf"), err());
  }

  @Test
  void benchPrintsTheTableAndWritesJson(@TempDir Path folder) throws Exception {
    Path json = folder.resolve("bench.json");
    int status =
        run(
            this::duckDb,
            Map.of(),
            "bench",
            "--sf",
            "0.01",
            "--runs",
            "1",
            "--warmup",
            "0",
            "--queries",
            "1-3,22",
            "--json",
            json.toString());
    assertEquals(0, status, out() + err());
    assertTrue(out().contains("derived from TPC-H; not audited TPC results"), out());
    assertTrue(out().contains("Flight SQL"), out());
    assertTrue(out().contains("total"), out());
    assertEquals(List.of("openForReading null"), calls);

    JsonNode figures = new ObjectMapper().readTree(json.toFile());
    assertEquals("derived from TPC-H; not audited TPC results", figures.get("label").asText());
    assertEquals("0.01", figures.get("scaleFactor").asText());
    assertEquals(4, figures.get("queries").size());
    JsonNode q22 = figures.get("queries").get(3);
    assertEquals("q22", q22.get("query").asText());
    assertEquals(7, q22.get("engines").get("Flight SQL").get("rows").asInt());
    assertTrue(q22.get("engines").get("Flight SQL").get("ratioToReference").isNumber());
    assertTrue(q22.get("plannerSeconds").isNumber());
    assertTrue(figures.get("totals").get("DuckDB in-process").get("medianSeconds").isNumber());
  }

  @Test
  void throughputRunsEveryClientsOwnOrderAndChecksEveryAnswer(@TempDir Path folder)
      throws Exception {
    Path json = folder.resolve("throughput.json");
    int status =
        run(
            this::duckDb,
            Map.of(),
            "throughput",
            "--sf",
            "0.01",
            "--clients",
            "1,2",
            "--warmup",
            "0",
            "--seed",
            "7",
            "--json",
            json.toString());
    assertEquals(0, status, out() + err());
    assertTrue(out().contains("query orders, seed 7"), out());
    assertTrue(out().contains("client  2: q"), out());
    assertTrue(out().contains("not audited TPC results"), out());
    // Two client counts, each opening its own connections: 1 + 2.
    assertEquals(3, tokens.size());

    JsonNode figures = new ObjectMapper().readTree(json.toFile());
    assertEquals(BenchmarkFigures.FORMAT_VERSION, figures.get("formatVersion").asInt());
    assertEquals("throughput", figures.get("kind").asText());
    assertEquals("0.01", figures.get("scaleFactor").asText());
    assertEquals("Flight SQL", figures.get("frontEnd").asText());
    assertEquals(7, figures.get("seed").asLong());
    assertEquals(22, figures.get("queries").size());
    JsonNode results = figures.get("results");
    assertEquals(2, results.size());
    JsonNode two = results.get(1);
    assertEquals(2, two.get("clients").asInt());
    assertEquals(44, two.get("queries").asInt());
    assertEquals(0, two.get("errors").asInt());
    assertEquals(0, two.get("wrongAnswers").asInt());
    for (String field : List.of("wallSeconds", "queriesPerHour", "p50Seconds", "p95Seconds")) {
      assertTrue(two.get(field).isNumber(), field);
    }
    List<List<String>> orders = new ArrayList<>();
    for (JsonNode client : two.get("clientRuns")) {
      List<String> order = new ArrayList<>();
      for (JsonNode query : client.get("queries")) {
        assertEquals("passed", query.get("result").asText(), query.toString());
        order.add(query.get("query").asText());
      }
      assertEquals(
          TpchQueries.all().stream().map(TpchQuery::name).sorted().toList(),
          order.stream().sorted().toList());
      orders.add(order);
    }
    assertEquals(2, orders.size());
    assertTrue(!orders.get(0).equals(orders.get(1)), "each client has its own order: " + orders);
    // Client 1 runs the same order at every client count.
    List<String> alone = new ArrayList<>();
    results
        .get(0)
        .get("clientRuns")
        .get(0)
        .get("queries")
        .forEach(q -> alone.add(q.get("query").asText()));
    assertEquals(orders.get(0), alone);
  }

  @Test
  void throughputCountsAFastWrongAnswerAsAFailure(@TempDir Path folder) throws Exception {
    Path json = folder.resolve("wrong.json");
    int status =
        run(
            (options, token) -> {
              Connection connection = duckDb(options, token);
              try (Statement statement = connection.createStatement()) {
                // Half of lineitem: q01 still returns its 4 rows, with the wrong sums.
                statement.execute(
                    "CREATE OR REPLACE VIEW samples.tpch_sf0_01.lineitem AS"
                        + " SELECT * FROM memory.main.lineitem WHERE l_orderkey % 2 = 0");
              }
              return connection;
            },
            Map.of(),
            "throughput",
            "--sf",
            "0.01",
            "--clients",
            "2",
            "--queries",
            "1,2",
            "--json",
            json.toString());
    assertEquals(TpchCommand.EXIT_FAILED, status, out() + err());
    assertTrue(out().contains("q01 wrong answer"), out());
    JsonNode two = new ObjectMapper().readTree(json.toFile()).get("results").get(0);
    assertEquals(2, two.get("wrongAnswers").asInt());
    assertEquals(0, two.get("errors").asInt());
  }

  @Test
  void throughputRejectsABadClientCount() {
    assertEquals(2, run(this::duckDb, Map.of(), "throughput", "--sf", "0.01", "--clients", "0"));
    assertTrue(err().contains("--clients"), err());
    assertTrue(tokens.isEmpty());
  }

  @Test
  void benchComparesWithAnEarlierRun(@TempDir Path folder) throws Exception {
    Path old = folder.resolve("old.json");
    String[] bench = {
      "bench", "--sf", "0.01", "--runs", "1", "--warmup", "0", "--queries", "1,6", "--no-planner"
    };
    List<String> first = new ArrayList<>(List.of(bench));
    first.addAll(List.of("--json", old.toString()));
    assertEquals(0, run(this::duckDb, Map.of(), first.toArray(String[]::new)), out() + err());
    JsonNode written = new ObjectMapper().readTree(old.toFile());
    assertEquals(BenchmarkFigures.FORMAT_VERSION, written.get("formatVersion").asInt());
    assertEquals("bench", written.get("kind").asText());
    out.reset();

    List<String> second = new ArrayList<>(List.of(bench));
    second.addAll(List.of("--compare", old.toString()));
    assertEquals(0, run(this::duckDb, Map.of(), second.toArray(String[]::new)), out() + err());
    String printed = out();
    String comparison = printed.substring(printed.indexOf("compared with " + old));
    assertTrue(comparison.contains("Flight SQL, median seconds:"), printed);
    assertTrue(comparison.contains("DuckDB in-process, median seconds:"), printed);
    assertTrue(comparison.contains("old           new    ratio"), printed);
    assertEquals(2, comparison.lines().filter(l -> l.startsWith("  q01 ")).count(), printed);
    assertEquals(2, comparison.lines().filter(l -> l.startsWith("  total ")).count(), printed);
  }

  @Test
  void compareOfTwoBenchFilesFlagsWhatMovedMoreThanTenPercent(@TempDir Path folder)
      throws Exception {
    // The old file is from before formatVersion and kind: the same layout, read as version 1.
    Path old =
        write(
            folder.resolve("old.json"),
            benchFigures(null, "1", new double[] {1.0, 1.0, 1.0}, 0.5, "DuckDB in-process"));
    Path current =
        write(
            folder.resolve("new.json"),
            benchFigures(1, "1", new double[] {1.5, 0.5, 1.05}, 0.5, "Avatica"));
    assertEquals(
        0, run(this::duckDb, Map.of(), "compare", old.toString(), current.toString()), err());
    assertEquals(
        String.join(
            "\n",
            "compared with "
                + old
                + " (started 2026-12-01T10:00:00Z); ratio = new / old;"
                + " slower / faster: more than 10%",
            "Flight SQL, median seconds:",
            "  query                        old           new    ratio",
            "  q01                        1.000         1.500     1.50  slower",
            "  q02                        1.000         0.500     0.50  faster",
            "  q03                        1.000         1.050     1.05",
            "  total                      3.000         3.050     1.02",
            ""),
        out());
    assertTrue(calls.isEmpty(), "compare needs no warehouse");
  }

  @Test
  void compareOfTwoThroughputFiles(@TempDir Path folder) throws Exception {
    Path old = write(folder.resolve("old.json"), throughputFigures("0.01", 10.0, 7920.0, 0.2));
    Path current = write(folder.resolve("new.json"), throughputFigures("0.01", 8.0, 9900.0, 0.3));
    assertEquals(
        0, run(this::duckDb, Map.of(), "compare", old.toString(), current.toString()), err());
    assertTrue(out().contains("old: Flight SQL, seed 1; new: Flight SQL, seed 1"), out());
    assertTrue(
        out().contains("    4 wall (s)              10.000         8.000     0.80  faster"), out());
    assertTrue(
        out().contains("    4 queries/hour          7920.0        9900.0     1.25  faster"), out());
    assertTrue(
        out().contains("    4 p95 (s)                0.200         0.300     1.50  slower"), out());
  }

  @Test
  void compareSaysWhyItCannot(@TempDir Path folder) throws Exception {
    Path bench =
        write(
            folder.resolve("bench.json"),
            benchFigures(1, "1", new double[] {1, 1, 1}, 0.5, "Avatica"));
    Path missing = folder.resolve("missing.json");
    assertEquals(
        TpchCommand.EXIT_CANNOT_RUN,
        run(this::duckDb, Map.of(), "compare", missing.toString(), bench.toString()));
    assertTrue(err().contains("cannot compare with " + missing + ": no such file"), err());

    err.reset();
    Path broken = write(folder.resolve("broken.json"), "{\"formatVersion\": 1, \"kind\":");
    assertEquals(
        TpchCommand.EXIT_CANNOT_RUN,
        run(this::duckDb, Map.of(), "compare", broken.toString(), bench.toString()));
    assertTrue(err().contains(broken + ": not JSON"), err());

    err.reset();
    Path future =
        write(folder.resolve("future.json"), "{\"formatVersion\": 2, \"kind\": \"bench\"}");
    assertEquals(
        TpchCommand.EXIT_CANNOT_RUN,
        run(this::duckDb, Map.of(), "compare", future.toString(), bench.toString()));
    assertTrue(err().contains("format version 2, this aquifer reads version 1"), err());

    err.reset();
    Path throughput = write(folder.resolve("t.json"), throughputFigures("1", 1, 1, 1));
    assertEquals(
        TpchCommand.EXIT_CANNOT_RUN,
        run(this::duckDb, Map.of(), "compare", throughput.toString(), bench.toString()));
    assertTrue(err().contains("it holds 'throughput' figures, not 'bench' figures"), err());

    // bench --compare checks the file before anything runs.
    err.reset();
    assertEquals(
        TpchCommand.EXIT_CANNOT_RUN,
        run(this::duckDb, Map.of(), "bench", "--sf", "0.01", "--compare", bench.toString()));
    assertTrue(err().contains("it measured scale factor 1, this run 0.01"), err());
    err.reset();
    Path sf001 =
        write(
            folder.resolve("sf001.json"),
            benchFigures(1, "0.01", new double[] {1, 1, 1}, 0.5, "Avatica"));
    assertEquals(
        TpchCommand.EXIT_CANNOT_RUN,
        run(
            this::duckDb,
            Map.of(),
            "bench",
            "--sf",
            "0.01",
            "--queries",
            "1-4",
            "--compare",
            sf001.toString()));
    assertTrue(err().contains("it ran queries q01,q02,q03, this run q01,q02,q03,q04"), err());
    assertTrue(calls.isEmpty(), calls.toString());
    assertTrue(tokens.isEmpty(), tokens.toString());
  }

  private static Path write(Path file, String text) throws java.io.IOException {
    java.nio.file.Files.writeString(file, text);
    return file;
  }

  /** A bench file: q01-q03, Flight SQL and another engine, each query at the given median. */
  private static String benchFigures(
      Integer formatVersion,
      String scaleFactor,
      double[] flightSql,
      double other,
      String otherEngine) {
    StringBuilder queries = new StringBuilder();
    double total = 0;
    for (int i = 0; i < flightSql.length; i++) {
      total += flightSql[i];
      queries
          .append(i == 0 ? "" : ",")
          .append(
              String.format(
                  java.util.Locale.ROOT,
                  "{\"query\": \"q%02d\", \"engines\": {\"Flight SQL\": {\"medianSeconds\": %s,"
                      + " \"rows\": 1}, \"%s\": {\"medianSeconds\": %s, \"rows\": 1}},"
                      + " \"plannerSeconds\": null}",
                  i + 1,
                  flightSql[i],
                  otherEngine,
                  other));
    }
    return "{"
        + (formatVersion == null
            ? ""
            : "\"formatVersion\": " + formatVersion + ", \"kind\": \"bench\", ")
        + "\"scaleFactor\": \""
        + scaleFactor
        + "\", \"startedAt\": \"2026-12-01T10:00:00Z\","
        + " \"engines\": [\"Flight SQL\", \""
        + otherEngine
        + "\"], \"queries\": ["
        + queries
        + "], \"totals\": {\"Flight SQL\": {\"medianSeconds\": "
        + total
        + "}, \""
        + otherEngine
        + "\": {\"medianSeconds\": "
        + other * flightSql.length
        + "}, \"plannerSeconds\": null}}";
  }

  /** A throughput file with one result, 4 clients. */
  private static String throughputFigures(
      String scaleFactor, double wall, double perHour, double p95) {
    return "{\"formatVersion\": 1, \"kind\": \"throughput\", \"scaleFactor\": \""
        + scaleFactor
        + "\", \"frontEnd\": \"Flight SQL\", \"seed\": 1,"
        + " \"startedAt\": \"2026-12-01T10:00:00Z\", \"queries\": [\"q01\", \"q02\"],"
        + " \"results\": [{\"clients\": 4, \"queries\": 8, \"wallSeconds\": "
        + wall
        + ", \"queriesPerHour\": "
        + perHour
        + ", \"p50Seconds\": 0.1, \"p95Seconds\": "
        + p95
        + ", \"errors\": 0, \"wrongAnswers\": 0}]}";
  }

  /** "The warehouse": in-process DuckDB with the tables as views in samples.tpch_sf0_01. */
  private Connection duckDb(WarehouseOptions options, Optional<String> token) throws SQLException {
    tokens.add(token);
    SampleWarehouse warehouse = SampleWarehouse.sf001();
    TpchSchemaName schema = TpchSchemaName.defaultFor(SampleWarehouse.SF_001);
    Connection connection =
        InProcessDuckDb.open(
            warehouse.tables, TpchTableLocations.resolve(warehouse.catalog, schema), 2);
    try (Statement statement = connection.createStatement()) {
      statement.execute("ATTACH ':memory:' AS samples");
      statement.execute("CREATE SCHEMA samples.tpch_sf0_01");
      for (TpchTableSpec<?> table : TpchTableSpec.ALL) {
        statement.execute(
            "CREATE VIEW samples.tpch_sf0_01."
                + table.name()
                + " AS SELECT * FROM memory.main."
                + table.name());
      }
    }
    return connection;
  }

  /** Loads into the shared SF 0.01 warehouse's gateway, in this process. */
  private final class SharedWarehouseConnector implements TpchWarehouseConnector {
    @Override
    public Connection connect(WarehouseOptions options, Optional<String> token)
        throws SQLException {
      return duckDb(options, token);
    }

    @Override
    public TpchLoadTarget loadTarget(WarehouseOptions options, Optional<String> token) {
      calls.add("loadTarget " + options.dataDirectory().orElse(null));
      tokens.add(token);
      SampleWarehouse warehouse = SampleWarehouse.sf001();
      return new TpchLoadTarget() {
        @Override
        public WarehouseSql sql() {
          return warehouse.sql();
        }

        @Override
        public Path stagingDirectory() {
          return warehouse.stagingRoot;
        }

        @Override
        public void close() {}
      };
    }
  }

  /** Opens the shared SF 0.01 warehouse; closing it leaves it open for the other tests. */
  private final class SharedOpener implements TpchDataDirectoryOpener {

    @Override
    public TpchDataDirectory openForReading(WarehouseOptions options) {
      calls.add("openForReading " + options.dataDirectory().orElse(null));
      return shared();
    }

    private TpchDataDirectory shared() {
      SampleWarehouse warehouse = SampleWarehouse.sf001();
      return new TpchDataDirectory() {
        @Override
        public CatalogStore catalog() {
          return warehouse.catalog;
        }

        @Override
        public DeltaTables tables() {
          return warehouse.tables;
        }

        @Override
        public ManagedTableLocations locations() {
          return warehouse.locations;
        }

        @Override
        public String owner() {
          return SampleWarehouse.OWNER;
        }

        @Override
        public void close() {}
      };
    }
  }
}
