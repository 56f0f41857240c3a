package io.aquifer.gateway.cache;

import io.aquifer.storage.delta.CommitRequest;
import io.aquifer.storage.delta.DeltaSnapshot;
import io.aquifer.storage.delta.DeltaTables;
import io.aquifer.storage.delta.HistoryEntry;
import io.aquifer.storage.delta.NewDataFile;
import io.aquifer.storage.delta.TableChange;
import io.aquifer.storage.types.TableSchema;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * {@link DeltaTables} that adds the time of each {@link #latest} to {@link QueryPhaseTimes} and
 * otherwise only delegates.
 */
public final class TimedDeltaTables implements DeltaTables {
  private final DeltaTables delegate;

  public TimedDeltaTables(DeltaTables delegate) {
    this.delegate = delegate;
  }

  @Override
  public DeltaSnapshot create(
      URI location,
      TableSchema schema,
      List<String> partitionColumns,
      Map<String, String> properties,
      List<NewDataFile> initialFiles) {
    return delegate.create(location, schema, partitionColumns, properties, initialFiles);
  }

  @Override
  public DeltaSnapshot latest(URI location) {
    long start = System.nanoTime();
    try {
      return delegate.latest(location);
    } finally {
      QueryPhaseTimes.add(QueryPhaseTimes.DELTA_LATEST, System.nanoTime() - start);
    }
  }

  @Override
  public DeltaSnapshot atVersion(URI location, long version) {
    return delegate.atVersion(location, version);
  }

  @Override
  public DeltaSnapshot atTimestamp(URI location, long timestampMillis) {
    return delegate.atTimestamp(location, timestampMillis);
  }

  @Override
  public long commit(URI location, CommitRequest request) {
    return delegate.commit(location, request);
  }

  @Override
  public List<HistoryEntry> history(URI location) {
    return delegate.history(location);
  }

  @Override
  public long alter(URI location, TableChange change) {
    return delegate.alter(location, change);
  }

  @Override
  public Map<String, String> properties(URI location) {
    return delegate.properties(location);
  }
}
