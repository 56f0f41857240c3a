package io.aquifer.exec.compile;

import io.aquifer.planner.PlannerCatalog;
import io.aquifer.storage.delta.CommitRequest;
import io.aquifer.storage.delta.DeltaSnapshot;
import io.aquifer.storage.delta.DeltaTables;
import io.aquifer.storage.delta.HistoryEntry;
import io.aquifer.storage.delta.NewDataFile;
import io.aquifer.storage.types.TableSchema;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A hand-written catalog of empty tables in {@code main.default}, for planning tests that need
 * names and schemas but no data files. Writes are not supported.
 */
final class InMemoryCatalog implements PlannerCatalog, DeltaTables {
  private final Map<String, DeltaSnapshot> tables = new LinkedHashMap<>();

  InMemoryCatalog table(String name, TableSchema schema) {
    URI location = URI.create("file:/nowhere/" + name);
    tables.put(name, new DeltaSnapshot(location, 0, 0, schema, List.of(), List.of()));
    return this;
  }

  @Override
  public Set<String> catalogNames() {
    return Set.of("main");
  }

  @Override
  public Set<String> schemaNames(String catalog) {
    return Set.of("default");
  }

  @Override
  public Set<String> tableNames(String catalog, String schema) {
    return tables.keySet();
  }

  @Override
  public Optional<ResolvedTable> table(String catalog, String schema, String table) {
    DeltaSnapshot s = tables.get(table.toLowerCase());
    return s == null
        ? Optional.empty()
        : Optional.of(new DeltaTableEntry(List.of("main", "default", table), s.location()));
  }

  private DeltaSnapshot byLocation(URI location) {
    return tables.values().stream()
        .filter(s -> s.location().equals(location))
        .findFirst()
        .orElseThrow();
  }

  @Override
  public DeltaSnapshot latest(URI location) {
    return byLocation(location);
  }

  @Override
  public DeltaSnapshot atVersion(URI location, long version) {
    return byLocation(location);
  }

  @Override
  public DeltaSnapshot atTimestamp(URI location, long timestampMillis) {
    return byLocation(location);
  }

  @Override
  public DeltaSnapshot create(
      URI location,
      TableSchema schema,
      List<String> partitionColumns,
      Map<String, String> properties,
      List<NewDataFile> initialFiles) {
    throw new UnsupportedOperationException("read-only test catalog");
  }

  @Override
  public long commit(URI location, CommitRequest request) {
    throw new UnsupportedOperationException("read-only test catalog");
  }

  @Override
  public List<HistoryEntry> history(URI location) {
    return List.of();
  }
}
