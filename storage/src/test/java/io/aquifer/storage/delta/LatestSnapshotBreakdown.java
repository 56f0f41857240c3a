package io.aquifer.storage.delta;

import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.TableSchema;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.hadoop.conf.Configuration;

/**
 * Where the time of {@link DeltaTables#latest} goes, step by step, on a small table like the
 * benchmark's (a few commits, one file each): listing the log, Kernel's snapshot (log segment,
 * protocol and metadata), the commit timestamp, and the replay of the live files with statistics.
 * Also the same figures for {@link CachingDeltaTables}. A measuring tool, not a test: run its
 * {@code main} with the module's test class path; nothing is asserted.
 *
 * <p>Arguments: {@code [commits (default 3)] [files per commit (default 1)] [runs (default 50)]}.
 */
public final class LatestSnapshotBreakdown {
  private LatestSnapshotBreakdown() {}

  public static void main(String[] args) throws Exception {
    int commits = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int filesPerCommit = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    Path dir = Files.createTempDirectory("aquifer-latest");
    Engine engine = DefaultEngine.create(new Configuration());
    KernelDeltaTables tables = new KernelDeltaTables(engine);
    URI location = dir.resolve("t").toUri();
    TableSchema schema =
        new TableSchema(
            List.of(
                Column.of("k", PrimitiveType.BIGINT),
                Column.of("grp", PrimitiveType.INT),
                Column.of("amount", new DecimalType(15, 2)),
                Column.of("note", PrimitiveType.STRING)));
    tables.create(location, schema, List.of(), Map.of(), files(dir, 0, filesPerCommit));
    for (int c = 1; c < commits; c++) {
      tables.commit(
          location,
          new CommitRequest(c - 1, "WRITE", Map.of(), files(dir, c, filesPerCommit), List.of()));
    }
    TableLocation table = TableLocation.of(location);
    DeltaSnapshotReader reader = new DeltaSnapshotReader(engine);
    System.out.printf(
        "table of %d commits, %d files each; median ms of %d runs after 10 warm-ups%n",
        commits, filesPerCommit, runs);
    report(
        "list _delta_log", runs, () -> DeltaLogListing.of(engine, table).commitVersions().size());
    report(
        "Kernel snapshot (segment, P&M)",
        runs,
        () -> TableManager.loadSnapshot(table.kernelPath()).build(engine).getVersion());
    Snapshot built = TableManager.loadSnapshot(table.kernelPath()).build(engine);
    report("commit timestamp", runs, () -> built.getTimestamp(engine));
    report(
        "Kernel snapshot + timestamp (fresh)",
        runs,
        () -> TableManager.loadSnapshot(table.kernelPath()).build(engine).getTimestamp(engine));
    report("replay files with stats (read)", runs, () -> reader.read(table, built).files().size());
    report("KernelDeltaTables.latest", runs, () -> tables.latest(location).version());
    CachingDeltaTables cached = new CachingDeltaTables(tables);
    report("CachingDeltaTables.latest", runs, () -> cached.latest(location).version());
    report("CachingDeltaTables.atVersion(0)", runs, () -> cached.atVersion(location, 0).version());
  }

  private static List<NewDataFile> files(Path dir, int commit, int count) {
    List<NewDataFile> files = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Map<String, Object> min = new LinkedHashMap<>();
      Map<String, Object> max = new LinkedHashMap<>();
      min.put("k", 0L);
      max.put("k", 999_999L);
      min.put("grp", 0);
      max.put("grp", 9);
      min.put("amount", new BigDecimal("0.00"));
      max.put("amount", new BigDecimal("99.99"));
      min.put("note", "note 0");
      max.put("note", "note 99");
      files.add(
          new NewDataFile(
              dir.resolve("t").resolve("part-" + commit + "-" + i + ".parquet").toUri(),
              1_000_000,
              System.currentTimeMillis(),
              Map.of(),
              new FileStats(1_000_000, min, max, Map.of("k", 0L, "grp", 0L))));
    }
    return files;
  }

  private static void report(String step, int runs, LongSupplier work) {
    for (int i = 0; i < 10; i++) {
      work.getAsLong();
    }
    double[] times = new double[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      work.getAsLong();
      times[i] = System.nanoTime() - start;
    }
    Arrays.sort(times);
    System.out.printf("  %8.3f  %s%n", times[runs / 2] / 1e6, step);
  }
}
