package io.aquifer.gateway.system;

import io.aquifer.gateway.Session;
import io.aquifer.storage.types.TableSchema;
import java.util.List;

/**
 * A read-only table of the {@code system} catalog whose rows the gateway holds. Queries over it run
 * in the gateway (see {@link io.aquifer.planner.SystemTableQueries}).
 */
public interface SystemTable {
  /** The schema in the {@code system} catalog, lower case: {@code query}. */
  String schema();

  /** The table's name, lower case: {@code history}. */
  String name();

  TableSchema columns();

  /**
   * The rows the session's principal may see, one list per row in the order of {@link #columns()}
   * (String, Boolean, Integer, Long, Double, BigDecimal, LocalDate, Instant or null).
   */
  List<List<Object>> rows(Session session);
}
