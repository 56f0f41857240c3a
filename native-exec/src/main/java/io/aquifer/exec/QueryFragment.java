package io.aquifer.exec;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A unit of work for a warehouse node: engine SQL generated from a validated plan, and the scans it
 * reads. The SQL refers to each scan by its {@link ScanSpec#relationName()}.
 *
 * @param queryId statement id, used to cancel
 */
public record QueryFragment(String queryId, String engineSql, List<ScanSpec> scans) {
  public QueryFragment {
    requireNonNull(queryId, "queryId");
    requireNonNull(engineSql, "engineSql");
    scans = List.copyOf(scans);
  }
}
