package io.aquifer.catalog;

/** The states of a warehouse, as the Databricks Warehouses API names them. */
public enum WarehouseState {
  STARTING,
  RUNNING,
  STOPPING,
  STOPPED,
  DELETING,
  DELETED
}
