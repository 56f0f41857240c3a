package io.aquifer.gateway.execution;

import io.aquifer.catalog.CatalogStore;
import io.aquifer.catalog.TableName;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.PreparedStatementInfo;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.StatementPhase;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.arrow.ArrowTypeMapping;
import io.aquifer.gateway.system.SystemCatalog;
import io.aquifer.planner.PlannedQuery;
import io.aquifer.planner.QueryPlanner;
import io.aquifer.planner.cache.PlanFingerprint;
import io.aquifer.planner.calcite.CalciteTypes;
import io.aquifer.planner.parse.ParsedStatement;
import io.aquifer.planner.parse.StatementParser;
import io.aquifer.storage.delta.DeltaTables;
import io.aquifer.storage.types.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/** Sends each kind of statement to its executor. */
public final class StatementDispatcher {
  private final CatalogStore catalog;
  private final io.aquifer.gateway.cache.PlanMemo planMemo;
  private final DeltaTables deltaTables;
  private final WarehouseConnection warehouse;
  private final BufferAllocator allocator;
  private final ManagedTableLocations locations;
  private final ExternalLocations externalLocations;
  private final SystemCatalog systemCatalog;
  private final SystemQueryEngine systemEngine;
  private final io.aquifer.gateway.volumes.VolumeFiles volumeFiles;
  private volatile Optional<io.aquifer.results.cache.ResultCache> resultCache = Optional.empty();

  /**
   * @param systemCatalog the tables of the read-only {@code system} catalog
   * @param volumeFiles the files of volumes (LIST, COPY INTO, managed volumes' directories)
   * @param systemEngine runs queries over system tables
   */
  public StatementDispatcher(
      CatalogStore catalog,
      DeltaTables deltaTables,
      WarehouseConnection warehouse,
      BufferAllocator allocator,
      ManagedTableLocations locations,
      ExternalLocations externalLocations,
      SystemCatalog systemCatalog,
      io.aquifer.gateway.volumes.VolumeFiles volumeFiles,
      SystemQueryEngine systemEngine) {
    this.systemEngine = java.util.Objects.requireNonNull(systemEngine, "systemEngine");
    this.volumeFiles = java.util.Objects.requireNonNull(volumeFiles, "volumeFiles");
    this.systemCatalog = java.util.Objects.requireNonNull(systemCatalog, "systemCatalog");
    this.catalog = catalog;
    this.deltaTables = deltaTables;
    this.warehouse = warehouse;
    this.allocator = allocator;
    this.locations = locations;
    this.externalLocations = externalLocations;
    this.planMemo = new io.aquifer.gateway.cache.PlanMemo(catalog);
  }

  /** How many queries ran a plan kept from an earlier run of the same text instead of planning. */
  public long plansReused() {
    return planMemo.plansReused();
  }

  /**
   * How many prepares of a query were answered from an earlier prepare of the same text instead of
   * validating it again.
   */
  public long preparedReused() {
    return planMemo.preparedReused();
  }

  /**
   * How many times a query was parsed and planned or validated, by a prepare or a run (metrics,
   * tests).
   */
  public long queriesPlanned() {
    return planMemo.queriesPlanned();
  }

  /** The result cache queries are answered from; none by default. */
  public void resultCache(Optional<io.aquifer.results.cache.ResultCache> cache) {
    this.resultCache = java.util.Objects.requireNonNull(cache, "cache");
  }

  private StatementContext context(StatementExecution execution) {
    return new StatementContext(
        execution,
        execution.session(),
        catalog,
        deltaTables,
        warehouse.forSession(execution.session()),
        allocator,
        locations,
        systemCatalog,
        new ReadFilesResolver(externalLocations, volumeFiles),
        systemEngine);
  }

  public StatementResult run(StatementExecution execution, List<Object> parameters) {
    StatementContext ctx = context(execution);
    ctx.access().requireActive();
    long parseStart = System.nanoTime();
    ParsedStatement statement = StatementParser.parse(execution.sql());
    execution.statistics().phase(StatementPhase.PARSING, System.nanoTime() - parseStart);
    execution.statistics().statementType(statementType(statement));
    if (!(statement instanceof ParsedStatement.Query)
        && !(statement instanceof ParsedStatement.Dml)
        && !parameters.isEmpty()) {
      throw GatewayErrorCode.UNBOUND_PARAMETER.exception(
          "parameters can only be bound in queries and DML");
    }
    if (statement instanceof ParsedStatement.Query q) {
      return QueryExecutor.run(ctx, q.calciteSql(), parameters, resultCache, Optional.of(planMemo));
    }
    // Any other statement may change what a query's plan would be (DDL, GRANT, DML): remembered
    // plans from before it are not used after it. USE, SET and temporary views change only the
    // session's current schema, settings and temporary views, which the memo's keys hold: other
    // sessions' plans, and this session's under its former key, stay; the session's count of
    // changes keeps a plan made while one ran from being remembered. SHOW, DESCRIBE and EXPLAIN
    // change nothing.
    boolean sessionOnly =
        statement instanceof ParsedStatement.Use
            || statement instanceof ParsedStatement.SetConfig
            || statement instanceof ParsedStatement.SetTimeZone
            || changesOnlyTemporaryViews(statement, ctx.session())
            || readOnly(statement);
    ctx.session().changing();
    if (!sessionOnly) {
      planMemo.statementRun();
    }
    try {
      return runOther(ctx, execution, statement, parameters);
    } finally {
      if (!sessionOnly) {
        planMemo.statementRun();
      }
      ctx.session().changing();
    }
  }

  /**
   * Whether a statement creates or drops a temporary view of the session, and nothing else: {@code
   * CREATE TEMPORARY VIEW}, or {@code DROP VIEW} of a one-part name the session has a temporary
   * view of (which goes first, as in Spark).
   */
  private static boolean changesOnlyTemporaryViews(ParsedStatement statement, Session session) {
    if (statement instanceof ParsedStatement.CreateView view) {
      return view.temporary();
    }
    return statement instanceof ParsedStatement.Drop drop
        && drop.kind() == ParsedStatement.ObjectKind.VIEW
        && drop.name().size() == 1
        && session
            .temporaryViews()
            .containsKey(drop.name().get(0).toLowerCase(java.util.Locale.ROOT));
  }

  /** Whether a statement only reads the catalog and tables: SHOW, DESCRIBE, EXPLAIN, LIST. */
  private static boolean readOnly(ParsedStatement statement) {
    return statement instanceof ParsedStatement.Show
        || statement instanceof ParsedStatement.ShowInCatalog
        || statement instanceof ParsedStatement.ShowPartitions
        || statement instanceof ParsedStatement.ShowTblProperties
        || statement instanceof ParsedStatement.ShowCreateTable
        || statement instanceof ParsedStatement.ShowGrants
        || statement instanceof ParsedStatement.ShowGrantsTo
        || statement instanceof ParsedStatement.ShowPrincipals
        || statement instanceof ParsedStatement.ShowVolumes
        || statement instanceof ParsedStatement.Describe
        || statement instanceof ParsedStatement.DescribeFunction
        || statement instanceof ParsedStatement.DescribeNamespace
        || statement instanceof ParsedStatement.DescribeHistory
        || statement instanceof ParsedStatement.DescribeDetail
        || statement instanceof ParsedStatement.DescribeVolume
        || statement instanceof ParsedStatement.ListFiles
        || statement instanceof ParsedStatement.Explain;
  }

  private StatementResult runOther(
      StatementContext ctx,
      StatementExecution execution,
      ParsedStatement statement,
      List<Object> parameters) {
    if (statement instanceof ParsedStatement.Dml d) {
      StatementResult written = DmlExecutor.run(ctx, d.calciteSql(), d.overwrite(), parameters);
      if (written instanceof StatementResult.UpdateCount count) {
        execution.statistics().writtenRows(count.count());
      }
      return written;
    }
    if (statement instanceof ParsedStatement.CopyInto s) {
      return CopyIntoExecutor.run(ctx, s, externalLocations, volumeFiles);
    }
    if (statement instanceof ParsedStatement.CreateVolume s) {
      return VolumeExecutor.create(ctx, s, volumeFiles, externalLocations);
    }
    if (statement instanceof ParsedStatement.DropVolume s) {
      return VolumeExecutor.drop(ctx, s, volumeFiles);
    }
    if (statement instanceof ParsedStatement.ShowVolumes s) {
      return VolumeExecutor.show(ctx, s);
    }
    if (statement instanceof ParsedStatement.DescribeVolume s) {
      return VolumeExecutor.describe(ctx, s, volumeFiles);
    }
    if (statement instanceof ParsedStatement.ListFiles s) {
      return VolumeExecutor.list(ctx, s, volumeFiles);
    }
    if (statement instanceof ParsedStatement.CreateTable s) {
      return s.location().isPresent()
          ? DdlExecutor.createExternalTable(ctx, s, externalLocations)
          : DdlExecutor.createTable(ctx, s);
    }
    if (statement instanceof ParsedStatement.ShallowClone s) {
      return DdlExecutor.shallowClone(ctx, s);
    }
    if (statement instanceof ParsedStatement.CreateTableLike s) {
      return DdlExecutor.createTableLike(ctx, s);
    }
    if (statement instanceof ParsedStatement.CreateIndex s) {
      return DdlExecutor.createIndex(ctx, s);
    }
    if (statement instanceof ParsedStatement.DropIndex s) {
      return DdlExecutor.dropIndex(ctx, s);
    }
    if (statement instanceof ParsedStatement.CreateView s) {
      return DdlExecutor.createView(ctx, s);
    }
    if (statement instanceof ParsedStatement.CreateSchema s) {
      return DdlExecutor.createSchema(ctx, s);
    }
    if (statement instanceof ParsedStatement.CreateCatalog s) {
      return DdlExecutor.createCatalog(ctx, s);
    }
    if (statement instanceof ParsedStatement.Drop s) {
      return DdlExecutor.drop(ctx, s);
    }
    if (statement instanceof ParsedStatement.Use s) {
      return MetadataExecutor.use(ctx, s);
    }
    if (statement instanceof ParsedStatement.Show s) {
      return MetadataExecutor.show(ctx, s);
    }
    if (statement instanceof ParsedStatement.ShowInCatalog s) {
      return CatalogListingExecutor.show(ctx, s);
    }
    if (statement instanceof ParsedStatement.Describe s) {
      return MetadataExecutor.describe(ctx, s);
    }
    if (statement instanceof ParsedStatement.DescribeFunction s) {
      return MetadataExecutor.describeFunction(ctx, s);
    }
    if (statement instanceof ParsedStatement.DescribeNamespace s) {
      return MetadataExecutor.describeNamespace(ctx, s);
    }
    if (statement instanceof ParsedStatement.DescribeHistory s) {
      return MetadataExecutor.history(ctx, s);
    }
    if (statement instanceof ParsedStatement.ShowPartitions s) {
      return MetadataExecutor.showPartitions(ctx, s);
    }
    if (statement instanceof ParsedStatement.Explain s) {
      return MetadataExecutor.explain(ctx, s);
    }
    if (statement instanceof ParsedStatement.SetConfig s) {
      return SetExecutor.set(ctx, s);
    }
    if (statement instanceof ParsedStatement.SetTimeZone s) {
      return SetExecutor.setTimeZone(ctx, s);
    }
    if (statement instanceof ParsedStatement.AlterTable s) {
      return AlterTableExecutor.alter(ctx, s);
    }
    if (statement instanceof ParsedStatement.Truncate s) {
      return AlterTableExecutor.truncate(ctx, s);
    }
    if (statement instanceof ParsedStatement.Restore s) {
      return TableMaintenanceExecutor.restore(ctx, s);
    }
    if (statement instanceof ParsedStatement.Vacuum s) {
      return TableMaintenanceExecutor.vacuum(ctx, s);
    }
    if (statement instanceof ParsedStatement.Optimize s) {
      return TableMaintenanceExecutor.optimize(ctx, s);
    }
    if (statement instanceof ParsedStatement.ShowTblProperties s) {
      return AlterTableExecutor.showProperties(ctx, s);
    }
    if (statement instanceof ParsedStatement.DescribeDetail s) {
      return AlterTableExecutor.describeDetail(ctx, s);
    }
    if (statement instanceof ParsedStatement.ShowCreateTable s) {
      return ShowCreateTableExecutor.show(ctx, s);
    }
    if (statement instanceof ParsedStatement.RenameTable s) {
      return AlterTableExecutor.rename(ctx, s);
    }
    if (statement instanceof ParsedStatement.CommentOnTable s) {
      return AlterTableExecutor.comment(ctx, s);
    }
    if (statement instanceof ParsedStatement.Grant s) {
      return GrantExecutor.grant(ctx, s);
    }
    if (statement instanceof ParsedStatement.ShowGrants s) {
      return GrantExecutor.show(ctx, s);
    }
    if (statement instanceof ParsedStatement.SetOwner s) {
      return GrantExecutor.setOwner(ctx, s);
    }
    if (statement instanceof ParsedStatement.ShowGrantsTo s) {
      return GrantExecutor.showTo(ctx, s);
    }
    if (statement instanceof ParsedStatement.ShowPrincipals s) {
      return GrantExecutor.showPrincipals(ctx, s);
    }
    if (statement instanceof ParsedStatement.CreateGroup s) {
      return GroupExecutor.create(ctx, s);
    }
    if (statement instanceof ParsedStatement.AlterGroup s) {
      return GroupExecutor.alter(ctx, s);
    }
    if (statement instanceof ParsedStatement.DropGroup s) {
      return GroupExecutor.drop(ctx, s);
    }
    if (statement instanceof ParsedStatement.CreateFunction s) {
      return FunctionExecutor.create(ctx, s);
    }
    if (statement instanceof ParsedStatement.DropFunction s) {
      return FunctionExecutor.drop(ctx, s);
    }
    if (statement instanceof ParsedStatement.SetTablePolicy s) {
      return FunctionExecutor.set(ctx, s);
    }
    if (statement instanceof ParsedStatement.DropTablePolicy s) {
      return FunctionExecutor.drop(ctx, s);
    }
    throw new IllegalStateException("no executor for " + statement.getClass().getSimpleName());
  }

  /** The statement type of some SQL, empty if it does not parse. */
  public static Optional<String> statementType(String sql) {
    try {
      return Optional.of(statementType(StatementParser.parse(sql)));
    } catch (RuntimeException | StackOverflowError e) {
      return Optional.empty();
    }
  }

  /** The statement type of the query history, as Databricks names it: SELECT, INSERT, ... */
  static String statementType(ParsedStatement statement) {
    if (statement instanceof ParsedStatement.Query) {
      return "SELECT";
    }
    if (statement instanceof ParsedStatement.Dml d) {
      String sql = d.calciteSql().stripLeading();
      int end = 0;
      while (end < sql.length() && Character.isLetter(sql.charAt(end))) {
        end++;
      }
      return end == 0 ? "OTHER" : sql.substring(0, end).toUpperCase(java.util.Locale.ROOT);
    }
    if (statement instanceof ParsedStatement.CreateTable
        || statement instanceof ParsedStatement.CreateTableLike
        || statement instanceof ParsedStatement.ShallowClone
        || statement instanceof ParsedStatement.CreateIndex
        || statement instanceof ParsedStatement.CreateView
        || statement instanceof ParsedStatement.CreateSchema
        || statement instanceof ParsedStatement.CreateCatalog) {
      return "CREATE";
    }
    if (statement instanceof ParsedStatement.Drop
        || statement instanceof ParsedStatement.DropIndex) {
      return "DROP";
    }
    if (statement instanceof ParsedStatement.Use) {
      return "USE";
    }
    if (statement instanceof ParsedStatement.Show
        || statement instanceof ParsedStatement.ShowInCatalog
        || statement instanceof ParsedStatement.ShowPartitions) {
      return "SHOW";
    }
    if (statement instanceof ParsedStatement.Describe
        || statement instanceof ParsedStatement.DescribeHistory) {
      return "DESCRIBE";
    }
    if (statement instanceof ParsedStatement.Explain) {
      return "EXPLAIN";
    }
    if (statement instanceof ParsedStatement.AlterTable
        || statement instanceof ParsedStatement.RenameTable
        || statement instanceof ParsedStatement.CommentOnTable) {
      return "ALTER";
    }
    if (statement instanceof ParsedStatement.Truncate) {
      return "TRUNCATE";
    }
    if (statement instanceof ParsedStatement.Restore) {
      return "RESTORE";
    }
    if (statement instanceof ParsedStatement.Vacuum) {
      return "VACUUM";
    }
    if (statement instanceof ParsedStatement.Optimize) {
      return "OPTIMIZE";
    }
    if (statement instanceof ParsedStatement.ShowTblProperties
        || statement instanceof ParsedStatement.ShowCreateTable) {
      return "SHOW";
    }
    if (statement instanceof ParsedStatement.DescribeDetail) {
      return "DESCRIBE";
    }
    if (statement instanceof ParsedStatement.CopyInto) {
      return "COPY";
    }
    if (statement instanceof ParsedStatement.CreateVolume) {
      return "CREATE";
    }
    if (statement instanceof ParsedStatement.DropVolume) {
      return "DROP";
    }
    if (statement instanceof ParsedStatement.ShowVolumes) {
      return "SHOW";
    }
    if (statement instanceof ParsedStatement.DescribeVolume) {
      return "DESCRIBE";
    }
    if (statement instanceof ParsedStatement.ListFiles) {
      return "LIST";
    }
    if (statement instanceof ParsedStatement.Grant g) {
      return g.revoke() ? "REVOKE" : "GRANT";
    }
    if (statement instanceof ParsedStatement.ShowGrants
        || statement instanceof ParsedStatement.ShowGrantsTo
        || statement instanceof ParsedStatement.ShowPrincipals) {
      return "SHOW";
    }
    if (statement instanceof ParsedStatement.CreateGroup) {
      return "CREATE";
    }
    if (statement instanceof ParsedStatement.DropGroup) {
      return "DROP";
    }
    if (statement instanceof ParsedStatement.SetOwner
        || statement instanceof ParsedStatement.AlterGroup
        || statement instanceof ParsedStatement.SetTablePolicy
        || statement instanceof ParsedStatement.DropTablePolicy) {
      return "ALTER";
    }
    if (statement instanceof ParsedStatement.CreateFunction) {
      return "CREATE";
    }
    if (statement instanceof ParsedStatement.DropFunction) {
      return "DROP";
    }
    if (statement instanceof ParsedStatement.SetConfig
        || statement instanceof ParsedStatement.SetTimeZone) {
      return "SET";
    }
    return "OTHER";
  }

  public PreparedStatementInfo prepare(Session session, String sql) {
    ParsedStatement statement = StatementParser.parse(sql);
    Schema empty = new Schema(List.of());
    if (statement instanceof ParsedStatement.Query q) {
      return prepareQuery(session, sql, q.calciteSql());
    }
    if (statement instanceof ParsedStatement.Dml d) {
      StatementExecution probe = new StatementExecution("prepare", sql, session, () -> {});
      RelDataType types = DmlExecutor.parameterTypes(context(probe), d.calciteSql());
      Schema parameters =
          types != null ? arrow(types) : untypedParameters(planner(session).parse(d.calciteSql()));
      return new PreparedStatementInfo(sql, empty, parameters, false);
    }
    if (statement instanceof ParsedStatement.ShowPartitions s) {
      // Its columns are the table's partition columns: those of the query it runs.
      StatementExecution probe = new StatementExecution("prepare", sql, session, () -> {});
      QueryPlanner planner = planner(session);
      QueryPlanner.Validated v =
          planner.validate(planner.parse(MetadataExecutor.showPartitionsQuery(context(probe), s)));
      return new PreparedStatementInfo(sql, arrow(v.rowType()), empty, true);
    }
    List<Field> fields =
        statement instanceof ParsedStatement.SetConfig s
            ? SetExecutor.resultFields(s)
            : MetadataExecutor.resultFields(statement);
    return new PreparedStatementInfo(sql, new Schema(fields), empty, !fields.isEmpty());
  }

  /**
   * Prepares a query. A text prepared again (the Flight SQL JDBC driver prepares every statement it
   * runs) is answered as before while what it read still holds, without planning it again. A new
   * one without parameters is planned in full, not only validated, and its plan is kept in the plan
   * memo under the rules every kept plan follows (same principal, current schema, settings and
   * temporary views; catalog generation and table versions unchanged), so that the run that follows
   * takes it: one plan per prepare and execute. A text with parameters is only validated: its runs
   * plan it with their values bound, as before; so is one the memo does not keep (time travel).
   */
  private PreparedStatementInfo prepareQuery(Session session, String sql, String calciteSql) {
    long sessionChanges = session.changes();
    Optional<io.aquifer.gateway.cache.PlanMemo.Key> key =
        io.aquifer.gateway.cache.PlanMemo.key(session, calciteSql, false);
    String generation = null;
    if (key.isPresent()) {
      Optional<PreparedStatementInfo> known = planMemo.prepared(key.get(), sql, deltaTables);
      if (known.isPresent()) {
        return known.get();
      }
      generation = planMemo.generation();
    }
    QueryPlanner planner = planner(session);
    planMemo.queryPlanned();
    SqlNode node = planner.parse(calciteSql);
    if (key.isEmpty() || parameterCount(node) > 0) {
      QueryPlanner.Validated v = planner.validate(node);
      return new PreparedStatementInfo(sql, arrow(v.rowType()), arrow(v.parameterRowType()), true);
    }
    PlannedQuery plan = planner.plan(node);
    PreparedStatementInfo info =
        new PreparedStatementInfo(
            sql, arrow(plan.rowType(), plan.labels()), arrow(plan.parameterRowType()), true);
    PlanFingerprint fingerprint = PlanFingerprint.of(plan.rel());
    if (fingerprint.cacheable()
        && io.aquifer.gateway.cache.PlanMemo.holds(key.get(), session, sessionChanges)) {
      planMemo.rememberPlan(key.get(), generation, fingerprint.tables(), plan);
      planMemo.rememberPrepared(key.get(), generation, fingerprint.tables(), info);
    }
    return info;
  }

  public io.aquifer.exec.QueryFragment compile(Session session, String sql) {
    ParsedStatement statement = StatementParser.parse(sql);
    if (!(statement instanceof ParsedStatement.Query q)) {
      throw GatewayErrorCode.NOT_A_QUERY.exception("only queries can be compiled");
    }
    QueryPlanner planner = planner(session);
    var plan = planner.plan(planner.parse(q.calciteSql()));
    return io.aquifer.exec.compile.DuckDbPlanCompiler.compile("compile-only", plan.rel())
        .withTimeZone(io.aquifer.gateway.SessionSettings.engineTimeZone(session));
  }

  public List<Column> columns(Session session, TableName name) {
    StatementExecution meta = new StatementExecution("metadata", "", session, () -> {});
    return MetadataExecutor.describeColumns(context(meta), name);
  }

  private QueryPlanner planner(Session session) {
    StatementContext ctx = context(new StatementExecution("prepare", "", session, () -> {}));
    return ctx.newPlanner();
  }

  private static Schema arrow(RelDataType rowType) {
    return arrow(rowType, rowType.getFieldNames());
  }

  /** The columns of {@code rowType} named by {@code names}, one per column. */
  private static Schema arrow(RelDataType rowType, List<String> names) {
    List<Field> fields = new ArrayList<>();
    for (RelDataTypeField f : rowType.getFieldList()) {
      String name = names.get(f.getIndex());
      Field field;
      try {
        field = ArrowTypeMapping.field(name, CalciteTypes.fromCalcite(f.getType()), true);
      } catch (RuntimeException e) {
        field = new Field(name, FieldType.nullable(ArrowType.Utf8.INSTANCE), null);
      }
      fields.add(field);
    }
    return new Schema(fields);
  }

  /** How many {@code ?} markers a parsed statement has. */
  private static int parameterCount(SqlNode node) {
    int[] count = new int[1];
    node.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(org.apache.calcite.sql.SqlDynamicParam param) {
            count[0] = Math.max(count[0], param.getIndex() + 1);
            return null;
          }
        });
    return count[0];
  }

  private static Schema untypedParameters(SqlNode node) {
    int count = parameterCount(node);
    List<Field> fields = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      fields.add(
          new Field("parameter_" + (i + 1), FieldType.nullable(ArrowType.Utf8.INSTANCE), null));
    }
    return new Schema(fields);
  }
}
