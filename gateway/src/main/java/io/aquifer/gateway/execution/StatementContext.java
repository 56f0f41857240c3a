package io.aquifer.gateway.execution;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.CatalogStore;
import io.aquifer.catalog.TableName;
import io.aquifer.exec.WarehouseNodeIds;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.system.SystemCatalog;
import io.aquifer.planner.QueryPlanner;
import io.aquifer.storage.delta.DeltaTables;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.BufferAllocator;

/** What a statement's executor works with: its session, the catalog, storage and a warehouse. */
public record StatementContext(
    StatementExecution execution,
    Session session,
    CatalogStore catalog,
    DeltaTables deltaTables,
    WarehouseConnection warehouse,
    BufferAllocator allocator,
    ManagedTableLocations locations,
    SystemCatalog systemCatalog,
    ReadFilesResolver readFiles,
    SystemQueryEngine systemEngine) {
  public StatementContext {
    requireNonNull(execution, "execution");
    requireNonNull(session, "session");
    requireNonNull(catalog, "catalog");
    requireNonNull(deltaTables, "deltaTables");
    requireNonNull(warehouse, "warehouse");
    requireNonNull(allocator, "allocator");
    requireNonNull(locations, "locations");
    requireNonNull(systemCatalog, "systemCatalog");
    requireNonNull(readFiles, "readFiles");
    requireNonNull(systemEngine, "systemEngine");
  }

  private static final AtomicLong NODE_CALLS = new AtomicLong();

  public String statementId() {
    return execution.id();
  }

  /**
   * A new id for one call of this statement to a warehouse node, {@code <statement id>/<n>}: a
   * statement may make several calls (an UPDATE counts, then writes), and the node must never see
   * two calls with one id. Canceling the statement's id on a node cancels all of its calls.
   */
  public String nodeQueryId() {
    return execution.id() + WarehouseNodeIds.SEPARATOR + NODE_CALLS.incrementAndGet();
  }

  public void checkCanceled() {
    execution.checkCanceled();
  }

  /** A planner bound to this session's current catalog and schema. */
  public QueryPlanner newPlanner() {
    return newPlanner(
            new GatewayPlannerCatalog(catalog, systemCatalog, session, informationSchema()))
        .onScannedTable(this::scanned);
  }

  /**
   * Like {@link #newPlanner()}, with every {@code read_files} call answered by {@code readFiles}
   * (COPY INTO's SELECT over the files it chose).
   */
  QueryPlanner newPlanner(
      java.util.function.Function<
              io.aquifer.planner.ReadFilesCall, io.aquifer.planner.PlannerCatalog.FileSourceEntry>
          readFiles) {
    return new QueryPlanner(
            new GatewayPlannerCatalog(catalog, systemCatalog, session, informationSchema())
                .withReadFiles(readFiles),
            deltaTables,
            session.currentCatalog(),
            session.currentSchema(),
            java.util.Optional.of(session.principal().name()))
        .onScannedTable(this::scanned);
  }

  /**
   * Records the tables a plan reads for table lineage, as planning it would have: for a plan kept
   * from an earlier prepare or run of the same text.
   */
  void scannedBy(io.aquifer.planner.PlannedQuery plan) {
    io.aquifer.planner.QueryPlanner.scannedTables(plan.scans()).forEach(this::scanned);
  }

  /** A table a plan of this statement reads: for table lineage. */
  private void scanned(List<String> qualifiedName) {
    execution.statistics().readTable(String.join(".", qualifiedName).toLowerCase(Locale.ROOT));
  }

  /** Like {@link #newPlanner()}, blind to the session's temporary views. */
  public QueryPlanner newPlannerWithoutTemporaryViews() {
    return newPlanner(
            new GatewayPlannerCatalog(catalog, systemCatalog, session, informationSchema())
                .withoutTemporaryViews())
        .onScannedTable(this::scanned);
  }

  /**
   * A planner that checks no privileges: for the column types of a view the caller may see
   * (DESCRIBE, metadata), never to read rows.
   */
  QueryPlanner newMetadataPlanner() {
    return newPlanner(
        new GatewayPlannerCatalog(catalog, systemCatalog, session, informationSchema())
            .withoutPrivilegeChecks());
  }

  /** The access control of this statement's principal. */
  AccessControl access() {
    return new AccessControl(catalog, session.principal());
  }

  private QueryPlanner newPlanner(GatewayPlannerCatalog plannerCatalog) {
    return new QueryPlanner(
        plannerCatalog.withReadFiles(call -> readFiles.resolve(this, call)),
        deltaTables,
        session.currentCatalog(),
        session.currentSchema(),
        java.util.Optional.of(session.principal().name()));
  }

  /** The {@code information_schema} of every catalog, as this statement's session sees it. */
  InformationSchema informationSchema() {
    return new InformationSchema(
        catalog,
        t -> {
          if (t.kind() == io.aquifer.catalog.TableKind.VIEW) {
            return new InformationSchema.TableColumns(
                MetadataExecutor.describeColumns(this, t.name()), List.of());
          }
          var snapshot = deltaTables.latest(java.net.URI.create(t.location().orElseThrow()));
          return new InformationSchema.TableColumns(
              snapshot.schema().columns(), snapshot.partitionColumns());
        },
        access());
  }

  /** Resolves a 1-, 2- or 3-part table name against the session. */
  public TableName tableName(List<String> parts) {
    return switch (parts.size()) {
      case 1 -> new TableName(session.currentCatalog(), session.currentSchema(), parts.get(0));
      case 2 -> new TableName(session.currentCatalog(), parts.get(0), parts.get(1));
      case 3 -> new TableName(parts.get(0), parts.get(1), parts.get(2));
      default ->
          throw GatewayErrorCode.INVALID_IDENTIFIER.exception(
              "table names have at most three parts (catalog.schema.table): "
                  + String.join(".", parts));
    };
  }
}
