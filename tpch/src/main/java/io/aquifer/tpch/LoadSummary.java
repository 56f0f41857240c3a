package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/** The outcome of a whole load: one result per table, in load order. */
public record LoadSummary(
    TpchSchemaName schema,
    TpchScaleFactor scaleFactor,
    List<TableLoadResult> tables,
    Duration elapsed) {
  public LoadSummary {
    requireNonNull(schema, "schema");
    requireNonNull(scaleFactor, "scaleFactor");
    tables = List.copyOf(tables);
    requireNonNull(elapsed, "elapsed");
  }

  public long totalRows() {
    return tables.stream().mapToLong(TableLoadResult::rows).sum();
  }

  public long totalBytes() {
    return tables.stream().mapToLong(TableLoadResult::bytes).sum();
  }

  /** Rows of the tables this load wrote (not the skipped ones). */
  public long loadedRows() {
    return tables.stream().filter(t -> !t.skipped()).mapToLong(TableLoadResult::rows).sum();
  }

  /** Parquet bytes of the tables this load wrote. */
  public long loadedBytes() {
    return tables.stream().filter(t -> !t.skipped()).mapToLong(TableLoadResult::bytes).sum();
  }

  public long loadedTables() {
    return tables.stream().filter(t -> !t.skipped()).count();
  }

  /** True when every table already existed: the load changed nothing. */
  public boolean nothingLoaded() {
    return loadedTables() == 0;
  }
}
