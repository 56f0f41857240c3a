package io.aquifer.server;

import io.aquifer.catalog.CatalogDatabase;
import io.aquifer.catalog.Warehouse;
import io.aquifer.catalog.WarehouseException;
import io.aquifer.catalog.WarehouseSize;
import io.aquifer.catalog.WarehouseSpec;
import io.aquifer.catalog.WarehouseState;
import io.aquifer.catalog.WarehouseStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code aquifer warehouse ...}: manages warehouses in the catalog database, as {@code aquifer
 * token} manages tokens; the server may be running. A running server picks up what changed (start,
 * stop, edits, delete) at its next warehouse check, within a second.
 */
@Command(
    name = "warehouse",
    mixinStandardHelpOptions = true,
    description = {
      "Manages SQL warehouses (the server may be running; it acts on changes within a second).",
      "Sizes: 2X-Small, X-Small, Small, Medium, Large, X-Large, 2X-Large, 3X-Large, 4X-Large."
    },
    subcommands = {
      WarehouseCommand.Create.class,
      WarehouseCommand.ListWarehouses.class,
      WarehouseCommand.Get.class,
      WarehouseCommand.Start.class,
      WarehouseCommand.Stop.class,
      WarehouseCommand.Edit.class,
      WarehouseCommand.Delete.class
    })
final class WarehouseCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 0;
  }

  /** Runs {@code action} on the data directory's warehouses; errors become exit code 1. */
  static int withStore(
      AquiferCommand.ConfigOptions config, Function<WarehouseStore, Integer> action) {
    ServerConfig serverConfig =
        ServerConfig.load(config.configFile, System.getenv(), config.flags());
    Path db = serverConfig.dataDirectory().resolve(AquiferServer.CATALOG_FILE);
    if (!Files.exists(db)) {
      System.err.println(
          "aquifer warehouse: no warehouse in "
              + serverConfig.dataDirectory()
              + "; run 'aquifer start' first");
      return 1;
    }
    try (CatalogDatabase database = CatalogDatabase.open(db)) {
      return action.apply(new WarehouseStore(database));
    } catch (WarehouseException e) {
      System.err.println(
          "aquifer warehouse: "
              + e.code().name()
              + " (SQLSTATE "
              + e.code().sqlState()
              + "): "
              + e.getMessage());
      return 1;
    } catch (IllegalArgumentException e) {
      System.err.println("aquifer warehouse: " + e.getMessage());
      return 2;
    }
  }

  static void print(PrintStream out, Warehouse w) {
    out.println("id:               " + w.id());
    out.println("name:             " + w.name());
    out.println("type:             " + w.spec().engine().externalName());
    w.spec().sparkConnectUrl().ifPresent(u -> out.println("spark_remote:     " + u));
    out.println("cluster_size:     " + w.spec().size().displayName());
    out.println("min_num_clusters: " + w.spec().minNumClusters());
    out.println("max_num_clusters: " + w.spec().maxNumClusters());
    out.println("auto_stop_mins:   " + w.spec().autoStopMins());
    out.println("concurrency:      " + w.spec().clusterConcurrency());
    out.println("creator_name:     " + w.creator());
    out.println("tags:             " + w.spec().tags());
    out.println("state:            " + w.state());
    out.println(
        "health:           " + w.health() + w.healthMessage().map(m -> " (" + m + ")").orElse(""));
  }

  /** Options a warehouse is created or edited with; unset ones keep their value. */
  static class SpecOptions {
    @Option(names = "--size", paramLabel = "SIZE", description = "Cluster size, e.g. Small.")
    String size;

    @Option(names = "--min-clusters", paramLabel = "N", description = "Clusters kept running.")
    Integer minClusters;

    @Option(names = "--max-clusters", paramLabel = "N", description = "Clusters it may grow to.")
    Integer maxClusters;

    @Option(
        names = "--auto-stop-mins",
        paramLabel = "MINUTES",
        description = "Stop after this many minutes without statements; 0 never.")
    Integer autoStopMins;

    @Option(
        names = "--concurrency",
        paramLabel = "N",
        description = "Statements one cluster runs at once.")
    Integer concurrency;

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "A custom tag (repeatable).")
    List<String> tags;

    @Option(
        names = "--spark-remote",
        paramLabel = "URL",
        description =
            "Spark Connect endpoint of a Spark warehouse, sc://host:port[/;param=value...].")
    String sparkRemote;

    WarehouseSpec apply(String name, WarehouseSpec base) {
      return apply(name, base, base.engine());
    }

    WarehouseSpec apply(
        String name, WarehouseSpec base, io.aquifer.catalog.WarehouseEngine engine) {
      Map<String, String> tagMap = base.tags();
      if (tags != null) {
        tagMap = new LinkedHashMap<>();
        for (String tag : tags) {
          int eq = tag.indexOf('=');
          if (eq < 1) {
            throw io.aquifer.catalog.WarehouseErrorCode.INVALID_PARAMETER_VALUE.exception(
                "a tag is KEY=VALUE: " + tag);
          }
          tagMap.put(tag.substring(0, eq), tag.substring(eq + 1));
        }
      }
      return new WarehouseSpec(
          name != null ? name : base.name(),
          size != null ? WarehouseSize.parse(size) : base.size(),
          minClusters != null ? minClusters : base.minNumClusters(),
          maxClusters != null
              ? maxClusters
              : Math.max(base.maxNumClusters(), minClusters != null ? minClusters : 1),
          autoStopMins != null ? autoStopMins : base.autoStopMins(),
          concurrency != null ? concurrency : base.clusterConcurrency(),
          tagMap,
          engine,
          sparkRemote != null ? java.util.Optional.of(sparkRemote) : base.sparkConnectUrl());
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a warehouse.")
  static final class Create implements Callable<Integer> {
    @CommandLine.Mixin AquiferCommand.ConfigOptions config = new AquiferCommand.ConfigOptions();
    @CommandLine.Mixin SpecOptions spec = new SpecOptions();

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Unique name.")
    String name;

    @Option(
        names = "--creator",
        defaultValue = "admin",
        description = "Who creates it (default: admin).")
    String creator;

    @Option(
        names = "--type",
        defaultValue = "duckdb",
        paramLabel = "TYPE",
        description =
            "duckdb (default: warehouse nodes the server starts) or spark (an Apache Spark cluster"
                + " reached through Spark Connect at --spark-remote; one cluster). Cannot be"
                + " changed later.")
    String type;

    @Override
    public Integer call() {
      return withStore(
          config,
          store -> {
            Warehouse w =
                store.create(
                    spec.apply(
                        name,
                        WarehouseSpec.of(name, WarehouseSize.XSMALL),
                        io.aquifer.catalog.WarehouseEngine.parse(type)),
                    creator);
            print(System.out, w);
            return 0;
          });
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists warehouses not deleted.")
  static final class ListWarehouses implements Callable<Integer> {
    @CommandLine.Mixin AquiferCommand.ConfigOptions config = new AquiferCommand.ConfigOptions();

    @Override
    public Integer call() {
      return withStore(
          config,
          store -> {
            String format = "%-16s  %-24s  %-6s  %-8s  %-8s  %-9s  %-8s  %s%n";
            System.out.printf(
                format, "ID", "NAME", "TYPE", "SIZE", "CLUSTERS", "AUTO_STOP", "STATE", "HEALTH");
            for (Warehouse w : store.list()) {
              System.out.printf(
                  format,
                  w.id(),
                  w.name(),
                  w.spec().engine().externalName(),
                  w.spec().size().displayName(),
                  w.spec().minNumClusters() + ".." + w.spec().maxNumClusters(),
                  w.spec().autoStopMins() == 0 ? "never" : w.spec().autoStopMins() + "m",
                  w.state(),
                  w.health());
            }
            return 0;
          });
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Shows one warehouse.")
  static final class Get implements Callable<Integer> {
    @CommandLine.Mixin AquiferCommand.ConfigOptions config = new AquiferCommand.ConfigOptions();

    @Parameters(index = "0", paramLabel = "WAREHOUSE", description = "Id or name.")
    String warehouse;

    @Override
    public Integer call() {
      return withStore(
          config,
          store -> {
            print(System.out, store.resolve(warehouse));
            return 0;
          });
    }
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = "Starts a stopped warehouse (it also starts by itself on its first statement).")
  static final class Start implements Callable<Integer> {
    @CommandLine.Mixin AquiferCommand.ConfigOptions config = new AquiferCommand.ConfigOptions();

    @Parameters(index = "0", paramLabel = "WAREHOUSE", description = "Id or name.")
    String warehouse;

    @Override
    public Integer call() {
      return withStore(
          config,
          store -> {
            Warehouse w = store.resolve(warehouse);
            Warehouse now =
                store.transition(
                    w.id(), EnumSet.of(WarehouseState.STOPPED), WarehouseState.STARTING);
            System.out.println(now.id() + " " + now.state());
            return 0;
          });
    }
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = "Stops a warehouse: its clusters stop, running and queued statements fail.")
  static final class Stop implements Callable<Integer> {
    @CommandLine.Mixin AquiferCommand.ConfigOptions config = new AquiferCommand.ConfigOptions();

    @Parameters(index = "0", paramLabel = "WAREHOUSE", description = "Id or name.")
    String warehouse;

    @Override
    public Integer call() {
      return withStore(
          config,
          store -> {
            Warehouse w = store.resolve(warehouse);
            Warehouse now =
                store.transition(
                    w.id(),
                    EnumSet.of(WarehouseState.STARTING, WarehouseState.RUNNING),
                    WarehouseState.STOPPING);
            System.out.println(now.id() + " " + now.state());
            return 0;
          });
    }
  }

  @Command(
      name = "edit",
      mixinStandardHelpOptions = true,
      description = "Changes a warehouse; options not given keep their value.")
  static final class Edit implements Callable<Integer> {
    @CommandLine.Mixin AquiferCommand.ConfigOptions config = new AquiferCommand.ConfigOptions();
    @CommandLine.Mixin SpecOptions spec = new SpecOptions();

    @Parameters(index = "0", paramLabel = "WAREHOUSE", description = "Id or name.")
    String warehouse;

    @Option(names = "--name", paramLabel = "NAME", description = "New name.")
    String name;

    @Override
    public Integer call() {
      return withStore(
          config,
          store -> {
            Warehouse w = store.resolve(warehouse);
            SpecOptions keepMax = spec;
            if (keepMax.maxClusters == null) {
              keepMax.maxClusters =
                  Math.max(
                      w.spec().maxNumClusters(),
                      keepMax.minClusters == null ? 1 : keepMax.minClusters);
            }
            print(System.out, store.edit(w.id(), keepMax.apply(name, w.spec())));
            return 0;
          });
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description =
          "Deletes a warehouse; a running one stops first (DELETING, then DELETED). Its name is"
              + " free once DELETED.")
  static final class Delete implements Callable<Integer> {
    @CommandLine.Mixin AquiferCommand.ConfigOptions config = new AquiferCommand.ConfigOptions();

    @Parameters(index = "0", paramLabel = "WAREHOUSE", description = "Id or name.")
    String warehouse;

    @Override
    public Integer call() {
      return withStore(
          config,
          store -> {
            Warehouse w = store.delete(store.resolve(warehouse).id());
            System.out.println(w.id() + " " + w.state());
            return 0;
          });
    }
  }
}
