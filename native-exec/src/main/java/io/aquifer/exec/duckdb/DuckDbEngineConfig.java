package io.aquifer.exec.duckdb;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Configuration of the DuckDB engine of one warehouse node.
 *
 * @param dataDirectories the only directories the engine may read and write (table roots, the
 *     node's disk cache); everything else is refused after start-up
 * @param tempDirectory where DuckDB spills sorts, joins and aggregates; also allowed
 * @param nodeMemoryLimitBytes DuckDB's {@code memory_limit}: all queries of the node together.
 *     Default: half of the physical memory, at least 512 MiB
 * @param queryMemoryLimitBytes per query: (1) DuckDB's per-connection {@code
 *     operator_memory_limit}, beyond which a query's hash tables and sorts spill to the temp
 *     directory instead of taking memory from other queries (a spill threshold, not a failure), and
 *     (2) a hard limit on the Arrow result batch a query holds in the JVM, beyond which the query
 *     fails with OUT_OF_MEMORY. Default: a quarter of the node limit
 * @param threads DuckDB worker threads of the node. Default: available processors
 * @param arrowBatchRows rows per Arrow batch streamed out of the engine. Default: 16384
 * @param engineProfiles keep DuckDB's per-operator profile of each query ({@code enable_profiling =
 *     'no_output'}, operator metrics only), which a node keeps for the gateway to fetch after the
 *     result's end, for query history. Default: true
 */
public record DuckDbEngineConfig(
    List<Path> dataDirectories,
    Path tempDirectory,
    long nodeMemoryLimitBytes,
    long queryMemoryLimitBytes,
    int threads,
    int arrowBatchRows,
    boolean engineProfiles) {

  public static final int DEFAULT_ARROW_BATCH_ROWS = 16_384;
  public static final long MIN_MEMORY_LIMIT_BYTES = 16L << 20;

  /** A configuration that keeps engine profiles. */
  public DuckDbEngineConfig(
      List<Path> dataDirectories,
      Path tempDirectory,
      long nodeMemoryLimitBytes,
      long queryMemoryLimitBytes,
      int threads,
      int arrowBatchRows) {
    this(
        dataDirectories,
        tempDirectory,
        nodeMemoryLimitBytes,
        queryMemoryLimitBytes,
        threads,
        arrowBatchRows,
        true);
  }

  public DuckDbEngineConfig {
    dataDirectories =
        requireNonNull(dataDirectories, "dataDirectories").stream()
            .map(p -> p.toAbsolutePath().normalize())
            .toList();
    if (dataDirectories.isEmpty()) {
      throw new IllegalArgumentException("at least one data directory is required");
    }
    tempDirectory = requireNonNull(tempDirectory, "tempDirectory").toAbsolutePath().normalize();
    if (nodeMemoryLimitBytes < MIN_MEMORY_LIMIT_BYTES) {
      throw new IllegalArgumentException(
          "node memory limit must be at least 16MiB: " + nodeMemoryLimitBytes);
    }
    if (queryMemoryLimitBytes < 1 << 20 || queryMemoryLimitBytes > nodeMemoryLimitBytes) {
      throw new IllegalArgumentException(
          "query memory limit must be 1MiB to the node memory limit: " + queryMemoryLimitBytes);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads < 1: " + threads);
    }
    if (arrowBatchRows < 1) {
      throw new IllegalArgumentException("arrowBatchRows < 1: " + arrowBatchRows);
    }
  }

  /** Laptop defaults for the given directories (see the parameter docs for the values). */
  public static DuckDbEngineConfig defaults(List<Path> dataDirectories, Path tempDirectory) {
    long node = Math.max(512L << 20, physicalMemoryBytes() / 2);
    return new DuckDbEngineConfig(
        dataDirectories,
        tempDirectory,
        node,
        node / 4,
        Runtime.getRuntime().availableProcessors(),
        DEFAULT_ARROW_BATCH_ROWS);
  }

  public DuckDbEngineConfig withMemoryLimits(long nodeBytes, long queryBytes) {
    return new DuckDbEngineConfig(
        dataDirectories,
        tempDirectory,
        nodeBytes,
        queryBytes,
        threads,
        arrowBatchRows,
        engineProfiles);
  }

  public DuckDbEngineConfig withThreads(int newThreads) {
    return new DuckDbEngineConfig(
        dataDirectories,
        tempDirectory,
        nodeMemoryLimitBytes,
        queryMemoryLimitBytes,
        newThreads,
        arrowBatchRows,
        engineProfiles);
  }

  public DuckDbEngineConfig withArrowBatchRows(int rows) {
    return new DuckDbEngineConfig(
        dataDirectories,
        tempDirectory,
        nodeMemoryLimitBytes,
        queryMemoryLimitBytes,
        threads,
        rows,
        engineProfiles);
  }

  /** This configuration, keeping each query's engine profile or not. */
  public DuckDbEngineConfig withEngineProfiles(boolean keep) {
    return new DuckDbEngineConfig(
        dataDirectories,
        tempDirectory,
        nodeMemoryLimitBytes,
        queryMemoryLimitBytes,
        threads,
        arrowBatchRows,
        keep);
  }

  private static final Pattern SIZE =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?i?b?)?", Pattern.CASE_INSENSITIVE);

  /**
   * Parses a size such as {@code 512MB}, {@code 4GiB} or {@code 1048576}; units are binary (1KB =
   * 1024 bytes), as DuckDB's MiB/GiB.
   */
  public static long parseBytes(String text) {
    Matcher m = SIZE.matcher(requireNonNull(text, "text").trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a data size: " + text);
    }
    double value = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
    long factor =
        switch (unit.isEmpty() ? ' ' : unit.charAt(0)) {
          case 'k' -> 1L << 10;
          case 'm' -> 1L << 20;
          case 'g' -> 1L << 30;
          case 't' -> 1L << 40;
          default -> 1;
        };
    return (long) (value * factor);
  }

  /** Formats bytes the way limits are named in error messages, e.g. {@code 256.0 MiB}. */
  public static String formatBytes(long bytes) {
    String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return unit == 0 ? bytes + " bytes" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  private static long physicalMemoryBytes() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return 4L << 30;
  }
}
