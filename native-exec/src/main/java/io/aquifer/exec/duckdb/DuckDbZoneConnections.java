package io.aquifer.exec.duckdb;

import io.aquifer.exec.EngineTimeZones;
import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One template connection per time zone of {@link EngineTimeZones#all()}, each a duplicate of a
 * template with {@code SET SESSION TimeZone} done. They must be made before the engine locks its
 * configuration, after which DuckDB refuses {@code SET TimeZone}; a query's connection is a
 * duplicate of its zone's template and inherits the zone.
 *
 * <p>There are about 700 zones, and preparing them all takes most of a second, so they are not made
 * up front: {@link #prepareAll()} makes them one after another (on the engine's preparer thread)
 * while the engine already serves, and a query whose zone is not made yet makes it itself (or waits
 * for the preparer that is making it). UTC is the template itself and always ready.
 */
final class DuckDbZoneConnections implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DuckDbZoneConnections.class);

  private final DuckDBConnection utc;
  private final Map<String, Zone> byZone;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** One zone's template: made once, by whoever claims it first. */
  private static final class Zone {
    final String name;
    final AtomicBoolean claimed = new AtomicBoolean();
    final CompletableFuture<DuckDBConnection> template = new CompletableFuture<>();

    Zone(String name) {
      this.name = name;
    }
  }

  private DuckDbZoneConnections(DuckDBConnection utc, List<String> zones) {
    this.utc = utc;
    Map<String, Zone> map = new LinkedHashMap<>();
    for (String zone : zones) {
      if (!zone.equals(EngineTimeZones.UTC)) {
        map.put(zone, new Zone(zone));
      }
    }
    this.byZone = map;
  }

  /**
   * The zones of a template that runs in UTC (which serves UTC itself and stays owned by the
   * caller). No zone is made yet: see {@link #prepareAll()}.
   */
  static DuckDbZoneConnections of(DuckDBConnection utcTemplate) {
    return new DuckDbZoneConnections(utcTemplate, EngineTimeZones.all());
  }

  /**
   * Makes every zone's template not made yet, in the order of {@link EngineTimeZones#all()}; stops
   * early when closed. Must finish before the configuration is locked.
   */
  void prepareAll() {
    for (Zone zone : byZone.values()) {
      if (closed.get()) {
        return;
      }
      make(zone);
    }
  }

  /** Makes the zone's template if nobody has claimed it; else does nothing. */
  private void make(Zone zone) {
    if (!zone.claimed.compareAndSet(false, true)) {
      return;
    }
    DuckDBConnection connection = null;
    try {
      if (closed.get()) {
        throw new ExecException(ExecErrorCode.NODE_UNAVAILABLE, "The engine is closed");
      }
      connection = utc.duplicate();
      DuckDbEngine.run(connection, "SET SESSION TimeZone = '" + zone.name + "'");
      zone.template.complete(connection);
    } catch (SQLException e) {
      LOG.debug("the engine does not know the time zone {}: {}", zone.name, e.getMessage());
      DuckDbEngine.closeQuietly(connection);
      zone.template.completeExceptionally(
          new ExecException(
              ExecErrorCode.INVALID_REQUEST,
              "The engine cannot run in the time zone " + zone.name));
    } catch (RuntimeException e) {
      DuckDbEngine.closeQuietly(connection);
      zone.template.completeExceptionally(e);
    }
    if (closed.get()) {
      // close() may have run between complete() and here; it closes what it finds completed.
      closeMade(zone);
    }
  }

  /**
   * The template of a zone; made now (by this thread, or by the preparer it waits for) if it was
   * not made yet.
   */
  DuckDBConnection template(String zone) {
    if (zone.equals(EngineTimeZones.UTC)) {
      return utc;
    }
    Zone z = byZone.get(zone);
    if (z == null) {
      throw new ExecException(
          ExecErrorCode.INVALID_REQUEST, "The engine cannot run in the time zone " + zone);
    }
    make(z);
    try {
      return z.template.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ExecException(
          ExecErrorCode.QUERY_CANCELED,
          "interrupted while the time zone " + zone + " was prepared");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Zones whose template exists now, UTC included. */
  int prepared() {
    int n = 1;
    for (Zone z : byZone.values()) {
      if (z.template.isDone() && !z.template.isCompletedExceptionally()) {
        n++;
      }
    }
    return n;
  }

  private static void closeMade(Zone zone) {
    if (zone.template.isCompletedExceptionally()) {
      return;
    }
    DuckDBConnection made = zone.template.getNow(null);
    if (made != null) {
      DuckDbEngine.closeQuietly(made);
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    byZone.values().forEach(DuckDbZoneConnections::closeMade);
  }
}
