package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

import io.aquifer.storage.delta.DeltaTables;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code aquifer tpch}: the TPC-H kit on the command line. The server module registers it as a
 * subcommand of {@code aquifer} and hands it two interfaces: a {@link TpchDataDirectoryOpener}
 * (read-only, for {@code bench}) and a {@link TpchWarehouseConnector} (the running warehouse, for
 * {@code load}, {@code check} and {@code bench}). It never starts a server itself.
 *
 * <pre>
 * CommandLine aquifer = new CommandLine(new AquiferCommand());
 * aquifer.addSubcommand("tpch", new TpchCommand(opener, connector));
 * </pre>
 */
@Command(
    name = "tpch",
    mixinStandardHelpOptions = true,
    description = {
      "TPC-H kit: generate the eight tables as Delta tables, check the 22 queries against the"
          + " answer sets, benchmark them next to in-process DuckDB.",
      "Everything it prints is derived from TPC-H; not audited TPC results."
    },
    subcommands = {
      TpchCommand.Load.class,
      TpchCommand.Check.class,
      TpchCommand.Bench.class,
      TpchCommand.Throughput.class,
      TpchCommand.Compare.class
    },
    footer = {
      "",
      "Typical use:",
      "  aquifer start &",
      "  aquifer tpch load --sf 1 --token $AQUIFER_TOKEN",
      "  aquifer tpch check --sf 1 --token $AQUIFER_TOKEN",
      "  aquifer tpch bench --sf 1 --runs 5 --json bench-sf1.json",
      "  aquifer tpch bench --sf 1 --runs 5 --compare bench-sf1.json",
      "  aquifer tpch throughput --sf 1 --clients 1,4,16 --json throughput-sf1.json"
    })
public final class TpchCommand implements Callable<Integer> {
  /** Exit status: a query failed or returned a wrong answer. */
  public static final int EXIT_FAILED = 1;

  /** Exit status: the command could not run (no warehouse, no tables, no answers, load failed). */
  public static final int EXIT_CANNOT_RUN = 3;

  static final String TOKEN_ENVIRONMENT = "AQUIFER_TOKEN";
  private static final long INTERRUPTED_LOAD_CLEANUP_SECONDS = 30;

  private final TpchDataDirectoryOpener dataDirectories;
  private final TpchWarehouseConnector warehouse;
  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> environment;

  public TpchCommand(TpchDataDirectoryOpener dataDirectories, TpchWarehouseConnector warehouse) {
    this(dataDirectories, warehouse, System.out, System.err, System.getenv());
  }

  /** For tests: explicit output streams and environment. */
  public TpchCommand(
      TpchDataDirectoryOpener dataDirectories,
      TpchWarehouseConnector warehouse,
      PrintStream out,
      PrintStream err,
      Map<String, String> environment) {
    this.dataDirectories = requireNonNull(dataDirectories, "dataDirectories");
    this.warehouse = requireNonNull(warehouse, "warehouse");
    this.out = requireNonNull(out, "out");
    this.err = requireNonNull(err, "err");
    this.environment = Map.copyOf(environment);
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** The options that say which warehouse: the same as {@code aquifer start}'s. */
  static final class WarehouseMixin {
    @Option(
        names = "--config",
        paramLabel = "FILE",
        description = "Properties file with the warehouse settings, as for 'aquifer start'.")
    Path configFile;

    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        description = "The warehouse's data directory, as for 'aquifer start' (default: ./data).")
    String dataDirectory;

    WarehouseOptions options() {
      return new WarehouseOptions(
          Optional.ofNullable(configFile), Optional.ofNullable(dataDirectory));
    }
  }

  /** The scale factor and schema every subcommand takes. */
  static final class DataSetMixin {
    @Option(
        names = "--sf",
        required = true,
        paramLabel = "N",
        description =
            "Scale factor: 0.01 or more (SF 1 is 6 million lineitems, ~300 MB of Parquet).")
    String scaleFactor;

    @Option(
        names = "--schema",
        paramLabel = "NAME",
        description =
            "Schema of the tables, catalog.schema or schema (in catalog samples);"
                + " default samples.tpch_sf<N> with '.' as '_', e.g. samples.tpch_sf0_01.")
    String schema;

    TpchScaleFactor scaleFactor() {
      return TpchScaleFactor.parse(scaleFactor);
    }

    TpchSchemaName schema() {
      return schema == null
          ? TpchSchemaName.defaultFor(scaleFactor())
          : TpchSchemaName.parse(schema);
    }
  }

  /** The token option of the commands that connect. */
  static final class TokenMixin {
    @Option(
        names = "--token",
        paramLabel = "TOKEN",
        description =
            "Personal access token for the warehouse (default: the AQUIFER_TOKEN environment"
                + " variable).")
    String token;

    Optional<String> token(Map<String, String> environment) {
      if (token != null && !token.isBlank()) {
        return Optional.of(token);
      }
      String fromEnvironment = environment.get(TOKEN_ENVIRONMENT);
      return fromEnvironment == null || fromEnvironment.isBlank()
          ? Optional.empty()
          : Optional.of(fromEnvironment);
    }
  }

  @Command(
      name = "load",
      mixinStandardHelpOptions = true,
      description = {
        "Generates the eight TPC-H tables at a scale factor (io.trino.tpch 1.2, the Java port of"
            + " dbgen) and writes each as a managed Delta table in the schema, showing a progress"
            + " bar per table on standard error.",
        "Loads into the running warehouse as a client would: Parquet files staged below its"
            + " first external location, then CREATE TABLE and COPY INTO, which the gateway"
            + " commits (one commit per table). Needs an admin token. Uses every core.",
        "Idempotent: tables already loaded for the scale factor are skipped. A failed or"
            + " interrupted (Ctrl-C) load drops the table it was writing; a killed one can leave"
            + " it empty, and the next load fills it."
      },
      exitCodeListHeading = "%nExit status:%n",
      exitCodeList = {
        "0:loaded (or already complete)",
        "2:bad options",
        "3:the load failed; the tables loaded before the failure stay"
      })
  static final class Load implements Callable<Integer> {
    @ParentCommand TpchCommand parent;
    @Mixin WarehouseMixin warehouse = new WarehouseMixin();
    @Mixin DataSetMixin dataSet = new DataSetMixin();
    @Mixin TokenMixin token = new TokenMixin();

    @Option(
        names = "--threads",
        paramLabel = "N",
        description = "Generator and writer threads (default: the number of cores).")
    Integer threads;

    @Override
    public Integer call() {
      TpchScaleFactor scaleFactor = dataSet.scaleFactor();
      TpchSchemaName schema = dataSet.schema();
      int loaderThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
      InterruptOnShutdown interrupt = InterruptOnShutdown.install();
      try (TpchLoadTarget target =
          parent.warehouse.loadTarget(warehouse.options(), token.token(parent.environment))) {
        new TpchDataLoader(target.sql(), target.stagingDirectory(), loaderThreads)
            .load(
                scaleFactor, schema, new ConsoleLoadProgress(parent.err, System.console() != null));
        return 0;
      } catch (TpchException | java.sql.SQLException e) {
        parent.err.println("aquifer tpch load: " + e.getMessage());
        return EXIT_CANNOT_RUN;
      } catch (RuntimeException e) {
        parent.err.println("aquifer tpch load: " + describe(e));
        return EXIT_CANNOT_RUN;
      } finally {
        interrupt.finished();
      }
    }
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Runs the 22 TPC-H queries through a real client connection (the Arrow Flight SQL JDBC"
            + " driver) and compares every row with the answer sets, with the TPC-H tolerances;"
            + " prints a pass/fail table with times.",
        "Needs a running warehouse ('aquifer start', found through DIR/connection.json) holding"
            + " the tables ('aquifer tpch load'), a token, and the answer sets (for 0.01, 0.1"
            + " and 1)."
      },
      exitCodeListHeading = "%nExit status:%n",
      exitCodeList = {
        "0:every query passed (or cannot be verified by the answer sets)",
        "1:a query failed or returned a wrong answer",
        "2:bad options",
        "3:could not run: no warehouse, no answer sets"
      })
  static final class Check implements Callable<Integer> {
    @ParentCommand TpchCommand parent;
    @Mixin WarehouseMixin warehouse = new WarehouseMixin();
    @Mixin DataSetMixin dataSet = new DataSetMixin();
    @Mixin TokenMixin token = new TokenMixin();

    @Option(
        names = "--queries",
        paramLabel = "LIST",
        description = "Queries to run, e.g. 1,3,5-7 (default: all 22).")
    String queries;

    @Option(
        names = "--fixtures",
        paramLabel = "DIR",
        description =
            "Folder holding tpch-answers/ (default: -Daquifer.fixtures, AQUIFER_FIXTURES, or"
                + " ../shared/fixtures).")
    Path fixtures;

    @Override
    public Integer call() {
      try {
        TpchScaleFactor scaleFactor = dataSet.scaleFactor();
        TpchAnswers answers =
            TpchAnswers.forScaleFactor(
                fixtures == null ? TpchAnswers.defaultFixturesRoot() : fixtures, scaleFactor);
        List<TpchQuery> selected = TpchQueries.select(queries);
        try (Connection connection =
            parent.warehouse.connect(warehouse.options(), token.token(parent.environment))) {
          CheckReport report =
              new TpchChecker(answers, parent.out).check(connection, dataSet.schema(), selected);
          return report.failures() == 0 ? 0 : EXIT_FAILED;
        }
      } catch (SQLException | RuntimeException e) {
        parent.err.println("aquifer tpch check: " + describe(e));
        return EXIT_CANNOT_RUN;
      }
    }
  }

  @Command(
      name = "bench",
      mixinStandardHelpOptions = true,
      description = {
        "Times the TPC-H queries through the warehouse (Arrow Flight SQL) next to in-process"
            + " DuckDB over the very same Parquet files, in the same run: per query the median of"
            + " --runs runs after --warmup warm-ups, the total and the ratio; also the planner-only"
            + " time (SQL text to engine SQL, in this process). Prints a table; --json keeps the"
            + " figures.",
        "Needs a running warehouse holding the tables, a token, and read access to its data"
            + " directory (for the Delta file lists and the planner). Close other work first:"
            + " figures from a busy machine do not compare."
      },
      exitCodeListHeading = "%nExit status:%n",
      exitCodeList = {
        "0:every query ran on every engine",
        "1:a query failed somewhere",
        "2:bad options",
        "3:could not run: no warehouse or no tables"
      })
  static final class Bench implements Callable<Integer> {
    @ParentCommand TpchCommand parent;
    @Mixin WarehouseMixin warehouse = new WarehouseMixin();
    @Mixin DataSetMixin dataSet = new DataSetMixin();
    @Mixin TokenMixin token = new TokenMixin();

    @Option(
        names = "--runs",
        paramLabel = "N",
        defaultValue = "5",
        description = "Measured runs per query (default: 5).")
    int runs;

    @Option(
        names = "--warmup",
        paramLabel = "N",
        defaultValue = "1",
        description = "Unmeasured runs first (default: 1).")
    int warmups;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path json;

    @Option(
        names = "--queries",
        paramLabel = "LIST",
        description = "Queries to run, e.g. 1,3,5-7 (default: all 22).")
    String queries;

    @Option(
        names = "--duckdb-threads",
        paramLabel = "N",
        description = "Threads of the in-process DuckDB (default: the number of cores).")
    Integer duckDbThreads;

    @Option(names = "--no-planner", description = "Skip the planner-only figure.")
    boolean noPlanner;

    @Option(
        names = "--compare",
        paramLabel = "OLD.json",
        description =
            "After the run, set its figures beside those of an earlier --json file of the same"
                + " scale factor and queries: per query and total, old and new median and the"
                + " ratio new / old for each column both runs have; more than 10% slower or"
                + " faster is flagged. The file is checked before anything runs.")
    Path compare;

    @Option(
        names = "--spark-warehouse",
        paramLabel = "NAME",
        description =
            "Also time the queries on this warehouse of type spark of the same server (the same"
                + " files): a Spark column.")
    String sparkWarehouse;

    @Override
    public Integer call() {
      try {
        TpchScaleFactor scaleFactor = dataSet.scaleFactor();
        TpchSchemaName schema = dataSet.schema();
        List<TpchQuery> selected = TpchQueries.select(queries);
        Optional<BenchmarkComparison> comparison =
            compare == null
                ? Optional.empty()
                : Optional.of(
                    BenchmarkComparison.open(
                        compare, BenchmarkFigures.KIND_BENCH, scaleFactor, selected));
        TpchBenchmark benchmark = new TpchBenchmark(runs, warmups, parent.out);
        int threads =
            duckDbThreads == null ? Runtime.getRuntime().availableProcessors() : duckDbThreads;
        BenchmarkReport report;
        try (TpchDataDirectory directory =
                parent.dataDirectories.openForReading(warehouse.options());
            Connection flightSql =
                parent.warehouse.connect(warehouse.options(), token.token(parent.environment))) {
          Optional<Connection> avatica =
              parent.warehouse.connectAvatica(warehouse.options(), token.token(parent.environment));
          List<TpchBenchmark.FrontEnd> frontEnds = new java.util.ArrayList<>();
          frontEnds.add(new TpchBenchmark.FrontEnd("Flight SQL", flightSql));
          avatica.ifPresent(c -> frontEnds.add(new TpchBenchmark.FrontEnd("Avatica", c)));
          Optional<TpchBenchmark.FrontEnd> spark =
              SparkBenchColumn.open(
                  parent.warehouse,
                  warehouse.options(),
                  token.token(parent.environment),
                  sparkWarehouse);
          spark.ifPresent(frontEnds::add);
          DeltaTables tables = directory.tables();
          try (Connection reference =
              InProcessDuckDb.open(
                  tables, TpchTableLocations.resolve(directory.catalog(), schema), threads)) {
            Optional<PlannerTiming> planner =
                noPlanner
                    ? Optional.empty()
                    : Optional.of(new PlannerTiming(directory.catalog(), tables, schema));
            report = benchmark.run(scaleFactor, schema, frontEnds, reference, planner, selected);
          } finally {
            if (avatica.isPresent()) {
              avatica.get().close();
            }
            if (spark.isPresent()) {
              spark.get().connection().close();
            }
          }
        }
        if (json != null) {
          TpchBenchmark.writeJson(report, json);
          parent.out.println("figures written to " + json.toAbsolutePath());
        }
        if (comparison.isPresent()) {
          comparison.get().print(TpchBenchmark.toJson(report), parent.out);
        }
        boolean failed =
            report.queries().stream().anyMatch(q -> q.timings().stream().anyMatch(t -> t.failed()));
        return failed ? EXIT_FAILED : 0;
      } catch (SQLException | java.io.IOException | RuntimeException e) {
        parent.err.println("aquifer tpch bench: " + describe(e));
        return EXIT_CANNOT_RUN;
      }
    }
  }

  @Command(
      name = "throughput",
      mixinStandardHelpOptions = true,
      description = {
        "TPC-H throughput style: for each count of --clients, that many clients on their own"
            + " connections start together and each runs the queries once in its own order"
            + " (shuffled with --seed, printed); the result cache is off. Prints per client count"
            + " the wall time, queries per hour, p50 and p95 latency, errors and wrong answers.",
        "Every result is checked against the answer sets as 'check' does (outside the timed"
            + " part): a wrong answer counts as a failure. Needs a running warehouse holding the"
            + " tables, a token, and the answer sets (for 0.01, 0.1 and 1). Close other work"
            + " first: figures from a busy machine do not compare."
      },
      exitCodeListHeading = "%nExit status:%n",
      exitCodeList = {
        "0:every query of every client ran and returned the right answer",
        "1:a query failed or returned a wrong answer",
        "2:bad options",
        "3:could not run: no warehouse, no answer sets, bad --compare file"
      })
  static final class Throughput implements Callable<Integer> {
    /** The front ends a client can use. */
    enum FrontEndChoice {
      FLIGHT_SQL("Flight SQL"),
      AVATICA("Avatica");

      final String label;

      FrontEndChoice(String label) {
        this.label = label;
      }
    }

    @ParentCommand TpchCommand parent;
    @Mixin WarehouseMixin warehouse = new WarehouseMixin();
    @Mixin DataSetMixin dataSet = new DataSetMixin();
    @Mixin TokenMixin token = new TokenMixin();

    @Option(
        names = "--clients",
        paramLabel = "LIST",
        split = ",",
        defaultValue = "1,4,16",
        description = "Client counts to run, one after another (default: 1,4,16).")
    List<Integer> clients;

    @Option(
        names = "--front-end",
        paramLabel = "NAME",
        defaultValue = "flight-sql",
        converter = FrontEndConverter.class,
        description =
            "flight-sql (the Arrow Flight SQL JDBC driver) or avatica (default: flight-sql).")
    FrontEndChoice frontEnd;

    @Option(
        names = "--seed",
        paramLabel = "N",
        defaultValue = "1",
        description =
            "Seed of the query orders; client k gets the same order at every client count"
                + " (default: 1).")
    long seed;

    @Option(
        names = "--warmup",
        paramLabel = "N",
        defaultValue = "1",
        description =
            "Passes over the queries on one connection before the first client count, checked"
                + " but not measured (default: 1).")
    int warmups;

    @Option(
        names = "--queries",
        paramLabel = "LIST",
        description = "Queries each client runs, e.g. 1,3,5-7 (default: all 22).")
    String queries;

    @Option(
        names = "--fixtures",
        paramLabel = "DIR",
        description =
            "Folder holding tpch-answers/ (default: -Daquifer.fixtures, AQUIFER_FIXTURES, or"
                + " ../shared/fixtures).")
    Path fixtures;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path json;

    @Option(
        names = "--compare",
        paramLabel = "OLD.json",
        description =
            "After the run, set its figures beside those of an earlier throughput --json file of"
                + " the same scale factor and queries: per client count both runs have, old and"
                + " new wall time, queries per hour, p50 and p95, and the ratio new / old; more"
                + " than 10% slower or faster is flagged.")
    Path compare;

    @Override
    public Integer call() {
      try {
        if (clients.stream().anyMatch(c -> c < 1)) {
          throw new CommandLine.ParameterException(
              spec.commandLine(), "--clients: each count must be 1 or more: " + clients);
        }
        TpchScaleFactor scaleFactor = dataSet.scaleFactor();
        List<TpchQuery> selected = TpchQueries.select(queries);
        TpchAnswers answers =
            TpchAnswers.forScaleFactor(
                fixtures == null ? TpchAnswers.defaultFixturesRoot() : fixtures, scaleFactor);
        Optional<BenchmarkComparison> comparison =
            compare == null
                ? Optional.empty()
                : Optional.of(
                    BenchmarkComparison.open(
                        compare, BenchmarkFigures.KIND_THROUGHPUT, scaleFactor, selected));
        Optional<String> accessToken = token.token(parent.environment);
        ThroughputBenchmark.ConnectionSource connections =
            switch (frontEnd) {
              case FLIGHT_SQL -> () -> parent.warehouse.connect(warehouse.options(), accessToken);
              case AVATICA ->
                  () ->
                      parent
                          .warehouse
                          .connectAvatica(warehouse.options(), accessToken)
                          .orElseThrow(
                              () ->
                                  new SQLException(
                                      "the warehouse serves no Avatica front end (its"
                                          + " connection.json names none), or no token was given"));
            };
        ThroughputReport report =
            new ThroughputBenchmark(answers, seed, warmups, parent.out)
                .run(scaleFactor, dataSet.schema(), frontEnd.label, connections, clients, selected);
        if (json != null) {
          ThroughputBenchmark.writeJson(report, json);
          parent.out.println("figures written to " + json.toAbsolutePath());
        }
        if (comparison.isPresent()) {
          comparison.get().print(ThroughputBenchmark.toJson(report), parent.out);
        }
        return report.failures() == 0 ? 0 : EXIT_FAILED;
      } catch (SQLException | java.io.IOException | TpchException e) {
        parent.err.println("aquifer tpch throughput: " + describe(e));
        return EXIT_CANNOT_RUN;
      } catch (CommandLine.ParameterException e) {
        throw e;
      } catch (RuntimeException e) {
        parent.err.println("aquifer tpch throughput: " + describe(e));
        return EXIT_CANNOT_RUN;
      }
    }

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    static final class FrontEndConverter implements CommandLine.ITypeConverter<FrontEndChoice> {
      @Override
      public FrontEndChoice convert(String value) {
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
          case "flight-sql", "flightsql" -> FrontEndChoice.FLIGHT_SQL;
          case "avatica" -> FrontEndChoice.AVATICA;
          default ->
              throw new CommandLine.TypeConversionException(
                  "'" + value + "' is not a front end; flight-sql or avatica");
        };
      }
    }
  }

  @Command(
      name = "compare",
      mixinStandardHelpOptions = true,
      description = {
        "Sets the figures of two --json files of 'bench' (or two of 'throughput') side by side,"
            + " as --compare does after a run: old and new, the ratio new / old, more than 10%"
            + " slower or faster flagged. Needs no warehouse."
      },
      exitCodeListHeading = "%nExit status:%n",
      exitCodeList = {
        "0:compared",
        "2:bad options",
        "3:a file is missing or invalid, or they measured different scale factors or queries"
      })
  static final class Compare implements Callable<Integer> {
    @ParentCommand TpchCommand parent;

    @CommandLine.Parameters(index = "0", paramLabel = "OLD.json", description = "The earlier run.")
    Path oldFile;

    @CommandLine.Parameters(index = "1", paramLabel = "NEW.json", description = "The later run.")
    Path newFile;

    @Override
    public Integer call() {
      try {
        BenchmarkComparison.compareFiles(oldFile, newFile, parent.out);
        return 0;
      } catch (TpchException e) {
        parent.err.println("aquifer tpch compare: " + describe(e));
        return EXIT_CANNOT_RUN;
      }
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /**
   * Ctrl-C during a load: the shutdown hook interrupts the loading thread and waits until it has
   * rolled back the table it was writing, so that an interrupted load leaves nothing behind.
   */
  static final class InterruptOnShutdown {
    private final Thread worker = Thread.currentThread();
    private final CountDownLatch finished = new CountDownLatch(1);
    private Thread hook;

    static InterruptOnShutdown install() {
      InterruptOnShutdown guard = new InterruptOnShutdown();
      guard.hook =
          new Thread(
              () -> {
                if (guard.finished.getCount() == 0) {
                  return;
                }
                guard.worker.interrupt();
                try {
                  guard.finished.await(INTERRUPTED_LOAD_CLEANUP_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "tpch-load-interrupt");
      try {
        Runtime.getRuntime().addShutdownHook(guard.hook);
      } catch (IllegalStateException e) {
        guard.hook = null; // already shutting down
      }
      return guard;
    }

    void finished() {
      finished.countDown();
      if (hook != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // Shutting down: the hook sees the latch open and returns.
        }
      }
    }
  }
}
