package io.aquifer.exec;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A unit of work for a warehouse node: engine SQL generated from a validated plan, and the scans it
 * reads. The SQL refers to each scan by its {@link ScanSpec#relationName()}.
 *
 * @param queryId statement id, used to cancel
 * @param timeZone the session time zone the engine runs the SQL in (casts between TIMESTAMP and
 *     TIMESTAMP_NTZ or strings, field extraction, formatting): a region id such as {@code
 *     America/Los_Angeles}, {@code UTC}, or a fixed offset {@code GMT+05:30}; see {@link
 *     EngineTimeZones}. A fragment without one (from an older gateway) runs in UTC.
 * @param profile run the query for its profile ({@code EXPLAIN ANALYZE}): the node runs it with the
 *     engine's profiler and returns the engine's own JSON profile (DuckDB: one row, columns {@code
 *     explain_key} and {@code explain_value}) instead of the query's rows
 */
public record QueryFragment(
    String queryId, String engineSql, List<ScanSpec> scans, String timeZone, boolean profile) {
  public QueryFragment {
    requireNonNull(queryId, "queryId");
    requireNonNull(engineSql, "engineSql");
    scans = List.copyOf(scans);
    timeZone = timeZone == null ? EngineTimeZones.UTC : timeZone;
  }

  public QueryFragment(String queryId, String engineSql, List<ScanSpec> scans, String timeZone) {
    this(queryId, engineSql, scans, timeZone, false);
  }

  /** A fragment run in UTC. */
  public QueryFragment(String queryId, String engineSql, List<ScanSpec> scans) {
    this(queryId, engineSql, scans, EngineTimeZones.UTC);
  }

  /** This fragment, run in another time zone. */
  public QueryFragment withTimeZone(String zone) {
    return new QueryFragment(queryId, engineSql, scans, zone, profile);
  }

  /** This fragment, with these scans instead (the same relations, with decisions added). */
  public QueryFragment withScans(List<ScanSpec> others) {
    return new QueryFragment(queryId, engineSql, others, timeZone, profile);
  }

  /** This fragment, run for the engine's profile instead of its rows. */
  public QueryFragment forProfile() {
    return new QueryFragment(queryId, engineSql, scans, timeZone, true);
  }
}
