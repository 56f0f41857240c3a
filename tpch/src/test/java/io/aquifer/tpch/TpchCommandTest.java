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
    assertTrue(out().contains("stop the warehouse first"), out());
    out.reset();
    run(this::duckDb, Map.of(), "check", "--help");
    assertTrue(out().contains("Needs a running warehouse"), out());
    assertTrue(out().contains("AQUIFER_TOKEN"), out());
    out.reset();
    run(this::duckDb, Map.of(), "bench", "--help");
    assertTrue(out().contains("read access to its"), out());
  }

  @Test
  void loadOfALoadedScaleFactorIsANoOp() {
    int status = run(this::duckDb, Map.of(), "load", "--sf", "0.01", "--data-dir", "/somewhere");
    assertEquals(0, status, err());
    assertEquals(List.of("openForLoad /somewhere"), calls);
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

  /** Opens the shared SF 0.01 warehouse; closing it leaves it open for the other tests. */
  private final class SharedOpener implements TpchDataDirectoryOpener {
    @Override
    public TpchDataDirectory openForLoad(WarehouseOptions options) {
      calls.add("openForLoad " + options.dataDirectory().orElse(null));
      return shared();
    }

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
