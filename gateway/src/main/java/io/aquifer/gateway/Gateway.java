package io.aquifer.gateway;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.AccessTokenStore;
import io.aquifer.catalog.CatalogInfo;
import io.aquifer.catalog.CatalogStore;
import io.aquifer.catalog.Principal;
import io.aquifer.catalog.SchemaInfo;
import io.aquifer.catalog.TableInfo;
import io.aquifer.catalog.TableKind;
import io.aquifer.catalog.TableName;
import io.aquifer.gateway.arrow.ArrowTypeMapping;
import io.aquifer.gateway.execution.ExternalLocations;
import io.aquifer.gateway.execution.GatewayErrors;
import io.aquifer.gateway.execution.InterruptedTableRecovery;
import io.aquifer.gateway.execution.ManagedTableLocations;
import io.aquifer.gateway.execution.StatementDispatcher;
import io.aquifer.gateway.execution.StatementExecution;
import io.aquifer.gateway.execution.StatementRegistry;
import io.aquifer.gateway.execution.WarehouseConnection;
import io.aquifer.gateway.history.QueryHistory;
import io.aquifer.gateway.history.QueryHistoryEntries;
import io.aquifer.gateway.history.QueryHistoryTable;
import io.aquifer.gateway.system.SystemCatalog;
import io.aquifer.results.ResultChunk;
import io.aquifer.results.ResultStore;
import io.aquifer.results.cache.ResultCache;
import io.aquifer.results.cache.ResultCacheConfig;
import io.aquifer.storage.delta.DeltaTables;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.TableSchema;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The statement service: sessions, authentication, and the life of every statement (parse, plan,
 * route to a warehouse, commit). Front ends hold one instance.
 */
public final class Gateway implements StatementService, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  /** How long close() waits for canceled statements to release their engine streams. */
  private static final long CLOSE_WAIT_SECONDS = 10;

  public static final String DEFAULT_CATALOG = "main";
  public static final String DEFAULT_SCHEMA = "default";

  private final CatalogStore catalog;
  private final AccessTokenStore tokens;
  private final DeltaTables deltaTables;
  private final WarehouseConnection warehouse;
  private final BufferAllocator allocator;
  private final ManagedTableLocations locations;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final GatewayConfig config;
  private final ResultStore results;
  private final Optional<ResultCache> resultCache;
  private final StatementRegistry statements;
  private final List<StatementEndListener> endListeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService scheduler;
  private final ExecutorService executor;
  private final StatementDispatcher dispatcher;
  private final io.aquifer.gateway.execution.SystemQueryEngine systemEngine;
  private final io.aquifer.gateway.volumes.VolumeFiles volumeFiles;
  private final AuthenticationCache authentications = new AuthenticationCache(System::nanoTime);
  private final IdentityService identities;
  private final io.aquifer.gateway.audit.AuditLog audit;
  private final QueryHistory history;

  /**
   * @param externalLocations the directories {@code CREATE TABLE ... LOCATION} may register tables
   *     in; the warehouse nodes must be allowed to read them too
   * @param config the result store and statement settings
   * @param history told about every statement when it ends (a {@link StatementEndListener}), and
   *     what {@code system.query.history} shows
   */
  public Gateway(
      CatalogStore catalog,
      AccessTokenStore tokens,
      DeltaTables deltaTables,
      WarehouseConnection warehouse,
      BufferAllocator allocator,
      Path dataDirectory,
      ExternalLocations externalLocations,
      GatewayConfig config,
      QueryHistory history) {
    this.config = requireNonNull(config, "config");
    this.history = requireNonNull(history, "history");
    this.results = resultStore(config);
    this.statements = new StatementRegistry(results);
    if (requireNonNull(history, "history") != QueryHistory.DISABLED) {
      endListeners.add(
          (status, sql) ->
              history.record(
                  QueryHistoryEntries.of(status, sql, historyWarehouseId(status.sessionId()))));
    }
    this.catalog = requireNonNull(catalog, "catalog");
    this.tokens = requireNonNull(tokens, "tokens");
    this.audit =
        new io.aquifer.gateway.audit.AuditLog(
            new io.aquifer.catalog.AuditStore(catalog.database()), this::tableLocation);
    this.identities = new IdentityService(catalog.database(), tokens, authentications::clear);
    this.deltaTables = requireNonNull(deltaTables, "deltaTables");
    this.warehouse = requireNonNull(warehouse, "warehouse");
    this.allocator = requireNonNull(allocator, "allocator");
    this.locations = new ManagedTableLocations(dataDirectory, config.storageRoot());
    this.volumeFiles =
        new io.aquifer.gateway.volumes.VolumeFiles(catalog, dataDirectory, config.storageRoot());
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "aquifer-statement-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.systemEngine =
        new io.aquifer.gateway.execution.SystemQueryEngine(
            dataDirectory.resolve("tmp").resolve("system-queries"));
    this.dispatcher =
        new StatementDispatcher(
            catalog,
            deltaTables,
            warehouse,
            allocator,
            locations,
            requireNonNull(externalLocations, "externalLocations"),
            new SystemCatalog(
                List.of(
                    new QueryHistoryTable(history),
                    new io.aquifer.gateway.audit.AuditLogTable(audit),
                    new io.aquifer.gateway.audit.TableLineageTable(audit),
                    new io.aquifer.gateway.cache.ResultCacheMetricsTable(this::resultCache))),
            volumeFiles,
            systemEngine);
    this.resultCache = openResultCache(config.resultCache());
    dispatcher.resultCache(resultCache);
    InterruptedTableRecovery.recover(catalog, locations);
    ScheduledThreadPoolExecutor maintenance =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "aquifer-statement-maintenance");
              t.setDaemon(true);
              return t;
            });
    // Time limits of statements that ended in time are dropped from the queue at once.
    maintenance.setRemoveOnCancelPolicy(true);
    this.scheduler = maintenance;
    long every = config.effectiveMaintenanceInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::expireResults, every, every, TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(this::expireCachedResults, 1, 60, TimeUnit.MINUTES);
    scheduler.scheduleWithFixedDelay(audit::expire, 0, 60, TimeUnit.MINUTES);
    // 'aquifer cache clear' (or another gateway) cleared the shared durable tier: drop memory too.
    scheduler.scheduleWithFixedDelay(this::checkResultCacheCleared, 2, 2, TimeUnit.SECONDS);
    // The first statement would otherwise load and compile the planner (2-4 s on a cold JVM).
    io.aquifer.gateway.execution.PlannerWarmUp.start(catalog, deltaTables);
  }

  private static Optional<ResultCache> openResultCache(ResultCacheConfig config) {
    if (!config.enabled()) {
      return Optional.empty();
    }
    try {
      ResultCache cache = ResultCache.open(config);
      LOG.info("result cache in {}", cache.describeStore());
      return Optional.of(cache);
    } catch (RuntimeException e) {
      LOG.error("the result cache cannot be opened; running without it: {}", e.getMessage(), e);
      return Optional.empty();
    }
  }

  /** The query result cache, if it is on (for metrics, {@code aquifer cache clear}, tests). */
  public Optional<ResultCache> resultCache() {
    return resultCache;
  }

  /** How many queries ran a plan kept from an earlier run of the same text (metrics, tests). */
  public long plansReused() {
    return dispatcher.plansReused();
  }

  /**
   * How many prepares of a query were answered from an earlier prepare of the same text, without
   * validating it again (metrics, tests).
   */
  public long preparedReused() {
    return dispatcher.preparedReused();
  }

  /**
   * How many times a query was parsed and planned or validated, by a prepare or a run, since start
   * (metrics, tests): a prepare and the run of a new text count one together.
   */
  public long queriesPlanned() {
    return dispatcher.queriesPlanned();
  }

  /** Told about every statement when it ends: the hook for query history. */
  public void addStatementEndListener(StatementEndListener listener) {
    endListeners.add(requireNonNull(listener, "listener"));
  }

  /** The result store, for diagnostics and tests (bytes held, results held). */
  public ResultStore resultStore() {
    return results;
  }

  public GatewayConfig config() {
    return config;
  }

  /** Closes statements whose results expired and frees their space; returns how many. */
  public int expireResults() {
    try {
      int closed = statements.expire(Instant.now(), config.results().expiry());
      results.expire();
      return closed;
    } catch (RuntimeException e) {
      LOG.error("reclaiming expired results failed", e);
      return 0;
    }
  }

  private void checkResultCacheCleared() {
    try {
      resultCache.ifPresent(ResultCache::checkCleared);
    } catch (RuntimeException e) {
      LOG.warn("checking whether the result cache was cleared failed: {}", e.toString());
    }
  }

  /** Deletes expired result cache entries from its durable tier; returns how many. */
  public int expireCachedResults() {
    try {
      return resultCache.map(ResultCache::expire).orElse(0);
    } catch (RuntimeException e) {
      LOG.error("deleting expired result cache entries failed", e);
      return 0;
    }
  }

  // ---- authentication and sessions ----

  @Override
  public Principal authenticateToken(String token) {
    return authenticateToken(token, Optional.empty());
  }

  @Override
  public Principal authenticateToken(String token, Optional<String> clientAddress) {
    if (token == null || token.isBlank()) {
      throw GatewayErrors.unauthenticated("an access token is required");
    }
    String presented = token.trim();
    Optional<Principal> cached = authentications.cached(presented);
    if (cached.isPresent()) {
      return cached.get();
    }
    AccessTokenStore.TokenCheck check = tokens.check(presented);
    audit.tokenLogin(presented, check.principal(), check.refusal(), clientAddress);
    if (check.principal().isEmpty()) {
      authentications.forget(presented);
      throw GatewayErrors.unauthenticated("invalid or expired access token: " + check.refusal());
    }
    authentications.remember(
        presented,
        check.principal().get(),
        check.expiresAt().map(expiry -> Duration.between(Instant.now(), expiry)));
    return check.principal().get();
  }

  @Override
  public void requestDenied(
      Optional<Principal> caller,
      String serviceName,
      java.util.Map<String, String> requestParams,
      String message,
      Optional<String> clientAddress) {
    audit.denied(
        serviceName,
        caller.map(Principal::name).orElse(null),
        requestParams,
        message,
        clientAddress);
  }

  @Override
  public IdentityService identities() {
    return identities;
  }

  @Override
  public Principal authenticateBasic(String user, String password) {
    return authenticateBasic(user, password, Optional.empty());
  }

  @Override
  public Principal authenticateBasic(String user, String password, Optional<String> clientAddress) {
    Principal principal = authenticateToken(password, clientAddress);
    if (user == null
        || user.isBlank()
        || user.equalsIgnoreCase("token")
        || user.equalsIgnoreCase(principal.name())) {
      return principal;
    }
    throw GatewayErrors.unauthenticated("the access token does not belong to user " + user);
  }

  @Override
  public Session openSession(Principal principal) {
    Session session =
        new Session(UUID.randomUUID().toString(), principal, DEFAULT_CATALOG, DEFAULT_SCHEMA);
    sessions.put(session.id(), session);
    return session;
  }

  @Override
  public Optional<Session> session(String sessionId, Principal principal) {
    Session s = sessions.get(sessionId);
    if (s == null || !s.principal().name().equals(principal.name())) {
      return Optional.empty();
    }
    return Optional.of(s);
  }

  /** The id of the warehouse a session's statements run on, for the query history. */
  private String historyWarehouseId(String sessionId) {
    Session session = sessions.get(sessionId);
    if (session != null && warehouse instanceof io.aquifer.gateway.warehouse.Warehouses w) {
      return w.warehouseIdOf(session.warehouse()).orElse(QueryHistoryEntries.DEFAULT_WAREHOUSE);
    }
    return QueryHistoryEntries.DEFAULT_WAREHOUSE;
  }

  @Override
  public void useWarehouse(Session session, String warehouseIdOrName) {
    try {
      session.warehouse(warehouseIdOrName);
      warehouse.forSession(session);
    } catch (RuntimeException e) {
      throw GatewayErrors.translate(e);
    }
  }

  @Override
  public void closeSession(String sessionId) {
    Session s = sessions.remove(sessionId);
    if (s != null) {
      statements.closeSession(s);
    }
  }

  // ---- statements ----

  @Override
  public PreparedStatementInfo prepare(Session session, String sql) {
    try {
      return dispatcher.prepare(session, sql);
    } catch (RuntimeException | StackOverflowError e) {
      GatewayException error = GatewayErrors.translate(e);
      // Front ends prepare a statement before they submit it: one rejected here is never
      // submitted, so it ends here.
      statementEnded(rejected(session, sql, error), sql, null, session.clientAddress());
      throw error.audited(GatewayErrorCode.PERMISSION_DENIED.name().equals(error.errorClass()));
    }
  }

  @Override
  public Statement submit(Session session, String sql, List<Object> parameters) {
    return submit(session, sql, parameters, Optional.empty());
  }

  @Override
  public Statement submit(
      Session session, String sql, List<Object> parameters, Optional<Duration> statementTimeout) {
    requireNonNull(session, "session");
    requireNonNull(sql, "sql");
    List<Object> params = new ArrayList<>(parameters);
    String id = UUID.randomUUID().toString();
    StatementExecution execution =
        new StatementExecution(
            id,
            sql,
            session,
            () -> {
              warehouse.cancel(id);
              systemEngine.cancel(id);
            },
            allocator,
            this::statementEnded);
    if (history.keepsEngineProfiles()) {
      execution.statistics().keepsEngineProfile(history::keepsEngineProfile);
    }
    statements.register(execution);
    Optional<Duration> timeout =
        statementTimeout
            .filter(t -> !t.isZero())
            .or(() -> SessionSettings.statementTimeout(session, config.statementTimeout()));
    timeout.ifPresent(limit -> statements.limit(execution, limit, scheduler));
    long submitted = System.nanoTime();
    statements.start(
        execution,
        executor,
        () -> {
          execution.statistics().phase(StatementPhase.QUEUED, System.nanoTime() - submitted);
          return dispatcher.run(execution, params);
        });
    return execution;
  }

  @Override
  public Optional<String> engineProfile(Principal caller, String statementId) {
    requireNonNull(caller, "caller");
    return history
        .engineProfile(requireNonNull(statementId, "statementId"))
        .filter(p -> caller.admin() || p.executedBy().equals(caller.name()))
        .map(
            p -> {
              try {
                com.fasterxml.jackson.databind.JsonNode stored =
                    PROFILE_JSON.readTree(p.profileJson());
                com.fasterxml.jackson.databind.node.ObjectNode out =
                    io.aquifer.gateway.history.OperatorProfileMapping.map(
                        stored.path("plan"), stored.path("profile"));
                out.put("statement_id", statementId);
                return out.toString();
              } catch (java.io.IOException e) {
                throw GatewayErrorCode.INTERNAL_ERROR.exception(
                    "The stored engine profile of statement " + statementId + " is not JSON");
              }
            });
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper PROFILE_JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** A statement that failed in prepare, before it was submitted: FAILED when it began. */
  private static StatementStatus rejected(Session session, String sql, GatewayException error) {
    Instant now = Instant.now();
    return new StatementStatus(
        UUID.randomUUID().toString(),
        session.principal().name(),
        session.id(),
        StatementState.FAILED,
        now,
        Optional.empty(),
        Optional.of(now),
        0,
        0,
        0,
        false,
        OptionalLong.empty(),
        Optional.of(StatementError.of(error)),
        StatementDispatcher.statementType(sql),
        session.clientApplication(),
        Optional.empty(),
        OptionalLong.empty(),
        OptionalLong.empty(),
        OptionalLong.empty(),
        Optional.empty(),
        StatementPhaseTimes.NONE,
        Optional.empty(),
        Optional.empty());
  }

  /**
   * Records how long a statement queued on its warehouse (the warehouses' {@code WarehouseListener}
   * calls it): its {@link StatementPhase#WAITING_FOR_COMPUTE} and {@link
   * StatementPhase#WAITING_AT_CAPACITY}, in its status and history entry. Unknown ids are ignored.
   */
  public void recordQueueTime(String statementId, Duration forCompute, Duration atCapacity) {
    statements
        .lookup(statementId)
        .ifPresent(
            execution -> {
              execution
                  .statistics()
                  .phase(StatementPhase.WAITING_FOR_COMPUTE, forCompute.toNanos());
              execution
                  .statistics()
                  .phase(StatementPhase.WAITING_AT_CAPACITY, atCapacity.toNanos());
            });
  }

  private void statementEnded(StatementExecution execution) {
    statementEnded(
        execution.status(),
        execution.sql(),
        execution.statistics(),
        execution.session().clientAddress());
  }

  /**
   * The one place a statement's end is observed (submitted statements when they end, and those that
   * failed in prepare): the log line, the audit log and table lineage, then the listeners.
   *
   * @param statistics what its executors observed; null for one that failed in prepare
   */
  private void statementEnded(
      StatementStatus status,
      String sql,
      io.aquifer.gateway.history.StatementStatistics statistics,
      Optional<String> clientAddress) {
    String previous = MDC.get(GatewayErrors.STATEMENT_ID);
    MDC.put(GatewayErrors.STATEMENT_ID, status.id());
    try {
      LOG.info(
          "statement {} {} principal={} duration_ms={} rows={}{}",
          status.id(),
          status.state(),
          status.principal(),
          status.duration().toMillis(),
          status.updateCount().orElse(status.rows()),
          status
              .error()
              .map(e -> " error=" + e.errorClass() + " sqlstate=" + e.sqlState())
              .orElse(""));
      try {
        audit.statementEnded(status, sql, statistics, clientAddress);
      } catch (RuntimeException e) {
        LOG.error("auditing statement {} failed", status.id(), e);
      }
      for (StatementEndListener listener : endListeners) {
        try {
          listener.statementEnded(status, sql);
        } catch (RuntimeException e) {
          LOG.error("statement end listener {} failed", listener, e);
        }
      }
      recordEngineProfileLater(status, statistics);
    } finally {
      if (previous == null) {
        MDC.remove(GatewayErrors.STATEMENT_ID);
      } else {
        MDC.put(GatewayErrors.STATEMENT_ID, previous);
      }
    }
  }

  /**
   * A statement's engine profile that had not arrived when it ended (a remote node's is fetched
   * after its stream) is added to its history entry when it does; none arrives, none is added.
   */
  private void recordEngineProfileLater(
      StatementStatus status, io.aquifer.gateway.history.StatementStatistics statistics) {
    if (statistics == null
        || history == QueryHistory.DISABLED
        || status.engineProfile().isPresent()) {
      return;
    }
    java.util.concurrent.CompletableFuture<Optional<String>> later =
        statistics.engineProfileLater();
    if (later == null) {
      return;
    }
    String statementId = status.id();
    later.thenAccept(
        profile -> profile.ifPresent(json -> history.recordEngineProfile(statementId, json)));
  }

  @Override
  public void cancel(Session session, String statementId) {
    statements.cancel(session, statementId);
  }

  @Override
  public Statement statement(Session session, String statementId) {
    return statements.find(session, statementId);
  }

  @Override
  public StatementStatus status(Session session, String statementId) {
    return statements.find(session, statementId).status();
  }

  @Override
  public StatementStatus await(Session session, String statementId, Duration timeout) {
    StatementExecution execution = statements.find(session, statementId);
    execution.awaitEnd(timeout);
    return execution.status();
  }

  @Override
  public Optional<ResultChunk> chunk(
      Session session, String statementId, int index, Duration wait) {
    return statements.find(session, statementId).chunk(index, wait);
  }

  @Override
  public void close(Session session, String statementId) {
    statements.close(session, statementId);
  }

  /** A table's storage location by its full name ({@code main.sales.orders}), for lineage. */
  private Optional<String> tableLocation(String fullName) {
    String[] parts = fullName.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    return catalog
        .getTable(new TableName(parts[0], parts[1], parts[2]))
        .flatMap(TableInfo::location);
  }

  // ---- metadata ----

  @Override
  public List<String> catalogs(Session session) {
    return access(session).visibleCatalogs(catalog.listCatalogs()).stream()
        .map(CatalogInfo::name)
        .sorted()
        .toList();
  }

  /** What the session's principal may see: listings leave out the rest. */
  private io.aquifer.gateway.execution.AccessControl access(Session session) {
    return new io.aquifer.gateway.execution.AccessControl(catalog, session.principal());
  }

  @Override
  public List<SchemaRef> schemas(
      Session session, Optional<String> catalogName, Optional<String> schemaPattern) {
    WildcardPattern pattern = WildcardPattern.sqlLike(schemaPattern.orElse(null));
    List<SchemaRef> result = new ArrayList<>();
    var access = access(session);
    for (String c : catalogs(session)) {
      if (catalogName.isPresent()
          && !catalogName.get().isEmpty()
          && !c.equalsIgnoreCase(catalogName.get())) {
        continue;
      }
      for (SchemaInfo s : access.visibleSchemas(catalog.listSchemas(c))) {
        if (pattern.matches(s.name())) {
          result.add(new SchemaRef(c, s.name()));
        }
      }
    }
    return result;
  }

  @Override
  public List<TableRef> tables(
      Session session,
      Optional<String> catalogName,
      Optional<String> schemaPattern,
      Optional<String> tablePattern,
      List<String> types) {
    WildcardPattern tables = WildcardPattern.sqlLike(tablePattern.orElse(null));
    List<TableRef> result = new ArrayList<>();
    var access = access(session);
    for (SchemaRef s : schemas(session, catalogName, schemaPattern)) {
      for (TableInfo t : access.visibleTables(catalog.listTables(s.catalog(), s.schema()))) {
        String type = t.kind() == TableKind.VIEW ? "VIEW" : "TABLE";
        if (!types.isEmpty() && types.stream().noneMatch(type::equalsIgnoreCase)) {
          continue;
        }
        if (tables.matches(t.name().table())) {
          result.add(new TableRef(s.catalog(), s.schema(), t.name().table(), type, t.comment()));
        }
      }
    }
    return result;
  }

  @Override
  public List<TableDetails> tableDetails(Session session, String catalogName, String schema) {
    try {
      List<TableDetails> result = new ArrayList<>();
      var access = access(session);
      for (SchemaRef s : schemas(session, Optional.of(catalogName), Optional.empty())) {
        if (!s.schema().equalsIgnoreCase(schema)) {
          continue;
        }
        for (TableInfo t : access.visibleTables(catalog.listTables(s.catalog(), s.schema()))) {
          boolean view = t.kind() == TableKind.VIEW;
          result.add(
              new TableDetails(
                  new TableRef(
                      s.catalog(),
                      s.schema(),
                      t.name().table(),
                      view ? "VIEW" : "TABLE",
                      t.comment()),
                  t.kind().name(),
                  t.owner(),
                  t.createdAt(),
                  t.updatedAt(),
                  t.location()));
        }
      }
      return result;
    } catch (RuntimeException e) {
      throw GatewayErrors.translate(e);
    }
  }

  @Override
  public Map<String, String> tableProperties(Session session, TableRef table) {
    try {
      TableName name = new TableName(table.catalog(), table.schema(), table.name());
      TableInfo info =
          catalog
              .getTable(name)
              .orElseThrow(
                  () ->
                      GatewayErrorCode.TABLE_OR_VIEW_NOT_FOUND.exception(
                          "table " + name + " does not exist"));
      access(session).requireVisible(io.aquifer.catalog.Securable.table(name));
      if (info.kind() == TableKind.VIEW || info.location().isEmpty()) {
        return Map.of();
      }
      return deltaTables.properties(URI.create(info.location().get()));
    } catch (RuntimeException e) {
      throw GatewayErrors.translate(e);
    }
  }

  @Override
  public TableSchema columns(Session session, String catalogName, String schema, String table) {
    try {
      return new TableSchema(
          dispatcher.columns(session, new TableName(catalogName, schema, table)));
    } catch (RuntimeException e) {
      throw GatewayErrors.translate(e);
    }
  }

  /** Arrow schema of a table, for front ends that list tables with their schemas. */
  public org.apache.arrow.vector.types.pojo.Schema arrowSchema(
      Session session, String catalogName, String schema, String table) {
    List<Column> columns = columns(session, catalogName, schema, table).columns();
    return ArrowTypeMapping.schema(new TableSchema(columns));
  }

  /**
   * Plans and compiles a query without running it: the engine SQL and scans a warehouse would
   * receive. For benchmarks of the planner and for tools.
   */
  public io.aquifer.exec.QueryFragment compile(Session session, String sql) {
    try {
      return dispatcher.compile(session, sql);
    } catch (RuntimeException e) {
      throw GatewayErrors.translate(e);
    }
  }

  /** Where a table's Delta log is: for tools that read the same files another way. */
  public Optional<URI> tableLocation(String catalogName, String schema, String table) {
    return catalog
        .getTable(new TableName(catalogName, schema, table))
        .flatMap(TableInfo::location)
        .map(URI::create);
  }

  @Override
  public io.aquifer.gateway.volumes.VolumeFiles volumeFiles() {
    return volumeFiles;
  }

  public BufferAllocator allocator() {
    return allocator;
  }

  @Override
  public void close() {
    statements.cancelAll();
    scheduler.shutdownNow();
    executor.shutdownNow();
    // A canceled statement's thread still closes its engine stream; the allocator that stream
    // came from is closed after this returns, so wait (bounded) for those threads to end.
    try {
      if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        LOG.warn("statement threads still running {} s after close", CLOSE_WAIT_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    results.close();
    resultCache.ifPresent(ResultCache::close);
    systemEngine.close();
    audit.close();
  }

  /**
   * The result store: chunks past its memory limit go to files under {@code <data dir>/results}, or
   * with an object-store root to {@code <storage root>/results/}. That prefix is not emptied (other
   * gateways may share the root); results a stopped gateway left there are deleted once twice the
   * result expiry has passed since their last chunk was written.
   */
  private static ResultStore resultStore(GatewayConfig config) {
    if (config.storageRoot().isEmpty()) {
      return ResultStore.local(config.results());
    }
    io.aquifer.gateway.results.FileStoreSpillTier tier =
        new io.aquifer.gateway.results.FileStoreSpillTier(
            io.aquifer.storage.objects.S3FileStore.of(
                io.aquifer.storage.objects.S3Location.of(config.storageRoot().get())
                    .resolve(RESULTS_DIRECTORY)
                    .uri()));
    try {
      int left =
          tier.deleteOlderThan(
              java.time.Instant.now().minus(config.results().expiry().multipliedBy(2)));
      if (left > 0) {
        LOG.info("Deleted {} results left in the storage root by a stopped gateway", left);
      }
    } catch (RuntimeException e) {
      LOG.warn("Cannot look for old results in the storage root: {}", e.getMessage());
    }
    return new ResultStore(config.results(), tier, java.time.Clock.systemUTC());
  }

  /** Where stored results live below an object-store storage root. */
  public static final String RESULTS_DIRECTORY = "results";
}
