package io.aquifer.gateway.execution;

import io.aquifer.catalog.CatalogInfo;
import io.aquifer.catalog.CatalogStore;
import io.aquifer.catalog.SchemaInfo;
import io.aquifer.catalog.TableInfo;
import io.aquifer.catalog.TableKind;
import io.aquifer.catalog.TableName;
import io.aquifer.catalog.ViewDefinition;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.TemporaryView;
import io.aquifer.gateway.system.SystemCatalog;
import io.aquifer.planner.PlannerCatalog;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The catalog store as the planner sees it, with the read-only {@code system} catalog whose rows
 * the gateway supplies for one session.
 */
public final class GatewayPlannerCatalog implements PlannerCatalog {
  private final CatalogStore catalog;
  private final SystemCatalog system;
  private final Session session;
  private final boolean temporaryViews;
  private final InformationSchema informationSchema;
  private final boolean checkPrivileges;

  /** Resolves read_files calls; none: read_files is refused. */
  private java.util.function.Function<io.aquifer.planner.ReadFilesCall, FileSourceEntry> readFiles =
      null;

  /** Reads already allowed in this statement, by table and view context. */
  private final Set<List<Object>> allowed = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Access control per principal: the session's, and each view owner's. */
  private final java.util.Map<String, AccessControl> accessControls =
      new java.util.concurrent.ConcurrentHashMap<>();

  public GatewayPlannerCatalog(CatalogStore catalog) {
    this(catalog, new SystemCatalog(List.of()), null);
  }

  /**
   * @param session whose principal decides which system table rows are visible
   */
  public GatewayPlannerCatalog(CatalogStore catalog, SystemCatalog system, Session session) {
    this(catalog, system, session, null);
  }

  /**
   * @param informationSchema the {@code information_schema} of every catalog; null for none
   */
  GatewayPlannerCatalog(
      CatalogStore catalog,
      SystemCatalog system,
      Session session,
      InformationSchema informationSchema) {
    this(catalog, system, session, informationSchema, true, true);
  }

  private GatewayPlannerCatalog(
      CatalogStore catalog,
      SystemCatalog system,
      Session session,
      InformationSchema informationSchema,
      boolean temporaryViews,
      boolean checkPrivileges) {
    this.catalog = catalog;
    this.system = system;
    this.session = session;
    this.informationSchema = informationSchema;
    this.temporaryViews = temporaryViews;
    this.checkPrivileges = checkPrivileges;
  }

  /** This catalog, resolving read_files calls with {@code resolver}. */
  GatewayPlannerCatalog withReadFiles(
      java.util.function.Function<io.aquifer.planner.ReadFilesCall, FileSourceEntry> resolver) {
    this.readFiles = resolver;
    return this;
  }

  @Override
  public FileSourceEntry readFiles(io.aquifer.planner.ReadFilesCall call) {
    if (readFiles == null) {
      return PlannerCatalog.super.readFiles(call);
    }
    return readFiles.apply(call);
  }

  /** The same catalog without the session's temporary views (what a permanent view may read). */
  public GatewayPlannerCatalog withoutTemporaryViews() {
    return new GatewayPlannerCatalog(
        catalog, system, session, informationSchema, false, checkPrivileges);
  }

  /**
   * The same catalog reading without privilege checks: for the column types of a view the caller
   * may see (DESCRIBE, metadata calls), never for reading rows.
   */
  GatewayPlannerCatalog withoutPrivilegeChecks() {
    return new GatewayPlannerCatalog(
        catalog, system, session, informationSchema, temporaryViews, false);
  }

  /**
   * SELECT (with USE CATALOG and USE SCHEMA) on every table and view a statement reads, for the
   * session's principal; inside a view, for the view's owner (Databricks' definer rights). The
   * tables of the {@code system} catalog are securables like any other (admins grant them); {@code
   * information_schema} filters its own rows.
   */
  @Override
  public void checkRead(List<String> qualifiedName, Optional<List<String>> view) {
    if (session == null || !checkPrivileges) {
      return;
    }
    String catalogName = qualifiedName.get(0);
    String schema = qualifiedName.get(1);
    if (isInformationSchema(catalogName, schema)) {
      return;
    }
    if (hasSystem()
        && SystemCatalog.isSystem(catalogName)
        && session.ownQueryHistory()
        && view.isEmpty()
        && schema.equalsIgnoreCase("query")
        && qualifiedName.get(2).equalsIgnoreCase("history")) {
      return; // the Query History REST API: the caller's own statements, no grant needed
    }
    List<Object> key = List.of(qualifiedName, view);
    if (allowed.contains(key)) {
      return;
    }
    AccessControl access;
    if (view.isPresent()
        && view.get().get(0).equals(io.aquifer.planner.QueryPlanner.FUNCTION_CONTEXT)) {
      // Inside a row filter or column mask: the function's owner reads what its body names.
      List<String> f = view.get();
      Optional<io.aquifer.catalog.FunctionInfo> function =
          catalog.functions().get(new TableName(f.get(1), f.get(2), f.get(3)));
      if (function.isEmpty()) {
        return;
      }
      String owner = function.get().owner();
      access =
          accessControls.computeIfAbsent(
              owner,
              o ->
                  new AccessControl(
                      catalog, new io.aquifer.catalog.Principal(o, catalog.grants().isAdmin(o))));
    } else if (view.isPresent()) {
      List<String> v = view.get();
      Optional<TableInfo> definition =
          catalog.getTable(new TableName(v.get(0), v.get(1), v.get(2)));
      if (definition.isEmpty()) {
        return;
      }
      String owner = definition.get().owner();
      access =
          accessControls.computeIfAbsent(
              owner,
              o ->
                  new AccessControl(
                      catalog, new io.aquifer.catalog.Principal(o, catalog.grants().isAdmin(o))));
    } else {
      access =
          accessControls.computeIfAbsent(
              "\u0000session", k -> new AccessControl(catalog, session.principal()));
    }
    try {
      access.requireSelect(new TableName(catalogName, schema, qualifiedName.get(2)));
    } catch (io.aquifer.gateway.GatewayException e) {
      String message =
          view.isPresent()
              ? e.getMessage() + " (the owner of view " + String.join(".", view.get()) + ")"
              : e.getMessage();
      throw new io.aquifer.planner.PlannerException(
          io.aquifer.planner.PlannerErrorCode.PERMISSION_DENIED, message);
    }
    allowed.add(key);
  }

  private boolean isInformationSchema(String catalogName, String schema) {
    return informationSchema != null
        && InformationSchema.isInformationSchema(schema)
        && !(hasSystem() && SystemCatalog.isSystem(catalogName));
  }

  private boolean hasSystem() {
    return session != null && !system.schemaNames().isEmpty();
  }

  @Override
  public Set<String> catalogNames() {
    Set<String> names =
        catalog.listCatalogs().stream().map(CatalogInfo::name).collect(Collectors.toSet());
    if (hasSystem()) {
      names.removeIf(SystemCatalog::isSystem);
      names.add(SystemCatalog.NAME);
    }
    return names;
  }

  @Override
  public Set<String> schemaNames(String catalogName) {
    if (hasSystem() && SystemCatalog.isSystem(catalogName)) {
      return system.schemaNames();
    }
    Set<String> names =
        catalog.listSchemas(lower(catalogName)).stream()
            .map(SchemaInfo::name)
            .collect(Collectors.toSet());
    if (informationSchema != null && catalog.getCatalog(lower(catalogName)).isPresent()) {
      names.add(InformationSchema.NAME);
    }
    return names;
  }

  @Override
  public Set<String> tableNames(String catalogName, String schema) {
    if (hasSystem() && SystemCatalog.isSystem(catalogName)) {
      return system.tableNames(schema);
    }
    if (isInformationSchema(catalogName, schema)) {
      return InformationSchema.tableNames();
    }
    return catalog.listTables(lower(catalogName), lower(schema)).stream()
        .map(t -> t.name().table())
        .collect(Collectors.toSet());
  }

  @Override
  public Optional<ResolvedTable> table(String catalogName, String schema, String table) {
    if (hasSystem() && SystemCatalog.isSystem(catalogName)) {
      return system
          .table(schema, table)
          .map(
              t ->
                  new SystemTableEntry(
                      List.of(SystemCatalog.NAME, t.schema(), t.name()),
                      t.columns(),
                      () -> t.rows(session)));
    }
    if (isInformationSchema(catalogName, schema)) {
      return informationSchema.table(catalogName, table).map(t -> t);
    }
    Optional<TableInfo> info;
    try {
      info = catalog.getTable(new TableName(catalogName, schema, table));
    } catch (io.aquifer.catalog.CatalogException e) {
      return Optional.empty();
    }
    return info.map(t -> withPolicy(resolve(t)));
  }

  /**
   * A Delta table with its row filter and column masks (Unity Catalog's), which the planner applies
   * to every read of it.
   */
  private ResolvedTable withPolicy(ResolvedTable resolved) {
    if (!(resolved instanceof DeltaTableEntry delta)) {
      return resolved;
    }
    List<String> n = delta.qualifiedName();
    io.aquifer.catalog.TablePolicies policies =
        catalog.functions().policies(new TableName(n.get(0), n.get(1), n.get(2)));
    if (policies.isEmpty()) {
      return resolved;
    }
    Optional<PolicyCall> filter =
        policies.rowFilter().map(f -> new PolicyCall(function(f.function()), f.columns()));
    java.util.Map<String, PolicyCall> masks = new java.util.HashMap<>();
    for (io.aquifer.catalog.TablePolicies.ColumnMask m : policies.masks().values()) {
      List<String> arguments = new java.util.ArrayList<>();
      arguments.add(m.column());
      arguments.addAll(m.usingColumns());
      masks.put(m.column(), new PolicyCall(function(m.function()), arguments));
    }
    return new DeltaTableEntry(n, delta.location(), new TablePolicy(filter, masks));
  }

  private SqlFunction function(TableName name) {
    io.aquifer.catalog.FunctionInfo f =
        catalog
            .functions()
            .get(name)
            .orElseThrow(
                () ->
                    new io.aquifer.planner.PlannerException(
                        io.aquifer.planner.PlannerErrorCode.INVALID_STATEMENT,
                        "function " + name + " of a row filter or column mask does not exist"));
    return sqlFunction(f);
  }

  private static SqlFunction sqlFunction(io.aquifer.catalog.FunctionInfo f) {
    TableName name = f.name();
    return new SqlFunction(
        List.of(name.catalog(), name.schema(), name.table()),
        f.parameters().stream().map(io.aquifer.catalog.FunctionInfo.Parameter::name).toList(),
        f.body(),
        f.returnType());
  }

  @Override
  public Optional<SqlFunction> function(List<String> qualifiedName) {
    return function(qualifiedName, Optional.empty());
  }

  /**
   * A SQL function called by name: who calls it needs USE CATALOG, USE SCHEMA and EXECUTE on it
   * (granted on the function, its schema or catalog), or to own it (or be an admin). Who calls it
   * is the statement's principal; inside a view, the view's owner (definer rights); inside a row
   * filter or column mask, the owner of the table it protects (a reader needs no EXECUTE on the
   * functions of a table's policies).
   */
  @Override
  public Optional<SqlFunction> function(
      List<String> qualifiedName, Optional<List<String>> context) {
    Optional<io.aquifer.catalog.FunctionInfo> found;
    try {
      found =
          catalog
              .functions()
              .get(new TableName(qualifiedName.get(0), qualifiedName.get(1), qualifiedName.get(2)));
    } catch (io.aquifer.catalog.CatalogException e) {
      return Optional.empty();
    }
    if (found.isEmpty()) {
      return Optional.empty();
    }
    io.aquifer.catalog.FunctionInfo f = found.get();
    if (session != null && checkPrivileges) {
      Optional<TableName> definer = context.map(GatewayPlannerCatalog::definerObject);
      AccessControl access;
      String who;
      if (definer.isEmpty()) {
        access = sessionAccess();
        who = "";
      } else {
        Optional<TableInfo> object = catalog.getTable(definer.get());
        if (object.isEmpty()) {
          return Optional.of(sqlFunction(f));
        }
        access = ownerAccess(object.get().owner());
        who =
            " (the owner of "
                + (object.get().kind() == TableKind.VIEW ? "view " : "table ")
                + definer.get()
                + ")";
      }
      try {
        access.requireExecute(f.name());
      } catch (io.aquifer.gateway.GatewayException e) {
        throw new io.aquifer.planner.PlannerException(
            io.aquifer.planner.PlannerErrorCode.PERMISSION_DENIED,
            e.getMessage() + who + " (calling function " + f.name() + ")");
      }
    }
    return Optional.of(sqlFunction(f));
  }

  /** The view, or the table of a row filter or column mask, whose owner's rights apply. */
  private static TableName definerObject(List<String> context) {
    int n = context.size();
    return new TableName(context.get(n - 3), context.get(n - 2), context.get(n - 1));
  }

  private AccessControl sessionAccess() {
    return accessControls.computeIfAbsent(
        "\u0000session", k -> new AccessControl(catalog, session.principal()));
  }

  private AccessControl ownerAccess(String owner) {
    return accessControls.computeIfAbsent(
        owner,
        o ->
            new AccessControl(
                catalog, new io.aquifer.catalog.Principal(o, catalog.grants().isAdmin(o))));
  }

  /** Whether the session's principal is in {@code group}, directly or through other groups. */
  @Override
  public boolean isAccountGroupMember(String group) {
    if (session == null || group.isBlank()) {
      return false;
    }
    String user = io.aquifer.catalog.GrantStore.principalName(session.principal().name());
    String name = io.aquifer.catalog.GrantStore.principalName(group);
    return !name.equals(user) && catalog.grants().identities(user).contains(name);
  }

  @Override
  public Set<String> temporaryViewNames() {
    if (session == null || !temporaryViews) {
      return Set.of();
    }
    return session.temporaryViews().values().stream()
        .map(TemporaryView::name)
        .collect(Collectors.toSet());
  }

  @Override
  public Optional<ViewEntry> temporaryView(String name) {
    if (session == null || !temporaryViews) {
      return Optional.empty();
    }
    return Optional.ofNullable(session.temporaryViews().get(lower(name)))
        .map(
            v ->
                new ViewEntry(
                    List.of(v.name()), v.sql(), List.of(v.currentCatalog(), v.currentSchema())));
  }

  static ResolvedTable resolve(TableInfo t) {
    List<String> name = List.of(t.name().catalog(), t.name().schema(), t.name().table());
    if (t.kind() == TableKind.VIEW) {
      ViewDefinition view = t.view().orElseThrow();
      return new ViewEntry(name, view.sql(), List.of(view.currentCatalog(), view.currentSchema()));
    }
    return new DeltaTableEntry(name, URI.create(t.location().orElseThrow()));
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
