package io.aquifer.catalog;

/** How well a warehouse's clusters are doing (Databricks' {@code health.status}). */
public enum WarehouseHealth {
  /** Every cluster answers its health checks (or none is needed: the warehouse is stopped). */
  HEALTHY,
  /** A cluster failed and is being replaced; statements may wait longer. */
  DEGRADED,
  /** No cluster could be started; the message says why. */
  FAILED
}
