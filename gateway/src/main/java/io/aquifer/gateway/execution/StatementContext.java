package io.aquifer.gateway.execution;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.CatalogStore;
import io.aquifer.catalog.TableName;
import io.aquifer.gateway.Session;
import io.aquifer.planner.QueryPlanner;
import io.aquifer.storage.delta.DeltaTables;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/** What a statement's executor works with: its session, the catalog, storage and a warehouse. */
public record StatementContext(
    StatementExecution execution,
    Session session,
    CatalogStore catalog,
    DeltaTables deltaTables,
    WarehouseConnection warehouse,
    BufferAllocator allocator,
    ManagedTableLocations locations) {
  public StatementContext {
    requireNonNull(execution, "execution");
    requireNonNull(session, "session");
    requireNonNull(catalog, "catalog");
    requireNonNull(deltaTables, "deltaTables");
    requireNonNull(warehouse, "warehouse");
    requireNonNull(allocator, "allocator");
    requireNonNull(locations, "locations");
  }

  public String statementId() {
    return execution.id();
  }

  public void checkCanceled() {
    execution.checkCanceled();
  }

  /** A planner bound to this session's current catalog and schema. */
  public QueryPlanner newPlanner() {
    return new QueryPlanner(
        new GatewayPlannerCatalog(catalog),
        deltaTables,
        session.currentCatalog(),
        session.currentSchema(),
        java.util.Optional.of(session.principal().name()));
  }

  /** Resolves a 1-, 2- or 3-part table name against the session. */
  public TableName tableName(List<String> parts) {
    return switch (parts.size()) {
      case 1 -> new TableName(session.currentCatalog(), session.currentSchema(), parts.get(0));
      case 2 -> new TableName(session.currentCatalog(), parts.get(0), parts.get(1));
      case 3 -> new TableName(parts.get(0), parts.get(1), parts.get(2));
      default ->
          throw GatewayErrors.invalid(
              "INVALID_IDENTIFIER",
              "42602",
              "table names have at most three parts (catalog.schema.table): "
                  + String.join(".", parts));
    };
  }
}
