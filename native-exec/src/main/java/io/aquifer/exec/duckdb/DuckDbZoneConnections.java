package io.aquifer.exec.duckdb;

import io.aquifer.exec.EngineTimeZones;
import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One template connection per time zone of {@link EngineTimeZones#all()}, each a duplicate of a
 * template with {@code SET SESSION TimeZone} done. They are made before the engine locks its
 * configuration, after which DuckDB refuses {@code SET TimeZone}; a query's connection is a
 * duplicate of its zone's template and inherits the zone.
 */
final class DuckDbZoneConnections implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DuckDbZoneConnections.class);

  private final DuckDBConnection utc;
  private final Map<String, DuckDBConnection> byZone;

  private DuckDbZoneConnections(DuckDBConnection utc, Map<String, DuckDBConnection> byZone) {
    this.utc = utc;
    this.byZone = byZone;
  }

  /**
   * Prepares the zones from a template that runs in UTC (which serves UTC itself and stays owned by
   * the caller).
   */
  static DuckDbZoneConnections prepare(DuckDBConnection utcTemplate) throws SQLException {
    Map<String, DuckDBConnection> byZone = new HashMap<>();
    try {
      for (String zone : EngineTimeZones.all()) {
        if (zone.equals(EngineTimeZones.UTC)) {
          continue;
        }
        DuckDBConnection connection = utcTemplate.duplicate();
        try {
          DuckDbEngine.run(connection, "SET SESSION TimeZone = '" + zone + "'");
          byZone.put(zone, connection);
        } catch (SQLException e) {
          LOG.debug("the engine does not know the time zone {}: {}", zone, e.getMessage());
          DuckDbEngine.closeQuietly(connection);
        }
      }
    } catch (SQLException | RuntimeException e) {
      byZone.values().forEach(DuckDbEngine::closeQuietly);
      throw e;
    }
    return new DuckDbZoneConnections(utcTemplate, byZone);
  }

  /** The template of a zone. */
  DuckDBConnection template(String zone) {
    if (zone.equals(EngineTimeZones.UTC)) {
      return utc;
    }
    DuckDBConnection template = byZone.get(zone);
    if (template == null) {
      throw new ExecException(
          ExecErrorCode.INVALID_REQUEST, "The engine cannot run in the time zone " + zone);
    }
    return template;
  }

  int size() {
    return byZone.size() + 1;
  }

  @Override
  public void close() {
    byZone.values().forEach(DuckDbEngine::closeQuietly);
  }
}
