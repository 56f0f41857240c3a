package io.aquifer.planner;

import static java.util.Objects.requireNonNull;

import io.aquifer.planner.calcite.AquiferCatalogReader;
import io.aquifer.planner.calcite.AquiferConformance;
import io.aquifer.planner.calcite.AquiferOperatorTable;
import io.aquifer.planner.calcite.AquiferTypeSystem;
import io.aquifer.planner.calcite.DatabricksDivide;
import io.aquifer.planner.calcite.DeltaTableScan;
import io.aquifer.planner.calcite.FilePruner;
import io.aquifer.planner.calcite.PlannerSchemas;
import io.aquifer.planner.calcite.SessionFunctions;
import io.aquifer.planner.calcite.SnapshotBinder;
import io.aquifer.planner.parse.impl.AquiferSqlParserImpl;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.delta.DeltaTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.config.NullCollation;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql2rel.StandardConvertletTable;

/**
 * Parses, validates and converts one statement's queries with Calcite, against the catalog as it is
 * now, every table bound to one snapshot. One instance per statement: snapshots bound by one call
 * are reused by the next (an INSERT's source and its target see the same versions).
 *
 * <p>Subqueries are left in the plan (no decorrelation): the engine unnests them better than
 * Calcite does.
 */
public final class QueryPlanner implements RelOptTable.ViewExpander {
  private static final int MAX_VIEW_DEPTH = 32;
  private static final java.util.regex.Pattern SELF_REFERENCE =
      java.util.regex.Pattern.compile(
          "column '([^']+)' depends on itself through the following columns: '\\1'$");

  private final PlannerCatalog catalog;
  private final List<String> defaultPath;
  private final SessionFunctions sessionFunctions;
  private final SnapshotBinder binder;
  private final JavaTypeFactoryImpl typeFactory =
      new JavaTypeFactoryImpl(AquiferTypeSystem.INSTANCE);
  private final CalciteSchema rootSchema;
  private final RelOptCluster cluster;
  private final CalciteConnectionConfig connectionConfig;
  private int viewDepth;

  /** The views being expanded or typed, innermost last. */
  private java.util.function.Consumer<List<String>> scannedTables = name -> {};

  /** The statement's read_files calls, by the number in their rewritten names. */
  private final List<io.aquifer.planner.ReadFilesCall> readFilesCalls =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private final java.util.ArrayDeque<List<String>> views = new java.util.ArrayDeque<>();

  /** The secured tables whose filter and masks are being planned (their raw rows readable). */
  private final java.util.List<List<String>> securedTables = new java.util.ArrayList<>();

  /**
   * The tables (lower-case catalog, schema, table) this statement writes: see {@link
   * #allowWriteTarget}.
   */
  private final java.util.Set<List<String>> writeTargets =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * The context of a row filter's or column mask's body in {@link #views}: this marker, the
   * function's catalog, schema and name, then the table's.
   */
  public static final String FUNCTION_CONTEXT = "\u0000function";

  public QueryPlanner(
      PlannerCatalog catalog, DeltaTables tables, String currentCatalog, String currentSchema) {
    this(catalog, tables, currentCatalog, currentSchema, java.util.Optional.empty());
  }

  /**
   * @param currentUser the caller, what {@code current_user()} answers (refused without one)
   */
  public QueryPlanner(
      PlannerCatalog catalog,
      DeltaTables tables,
      String currentCatalog,
      String currentSchema,
      java.util.Optional<String> currentUser) {
    // Calcite resolves each name many times; the catalog is asked once per name and statement.
    this.catalog = new StatementCatalog(requireNonNull(catalog, "catalog"));
    this.sessionFunctions =
        new SessionFunctions(
            currentCatalog, currentSchema, currentUser, this.catalog::isAccountGroupMember);
    this.defaultPath = List.of(currentCatalog, currentSchema);
    this.binder = new SnapshotBinder(requireNonNull(tables, "tables"));
    this.rootSchema =
        CalciteSchema.createRootSchema(
            false,
            false,
            "",
            PlannerSchemas.root(
                this.catalog,
                binder,
                this::viewRowType,
                this::currentView,
                this::expandSecured,
                name -> securedTables.contains(name),
                name -> writeTargets.contains(lower(name)),
                n -> n < readFilesCalls.size() ? readFilesCalls.get(n) : null));
    this.cluster =
        RelOptCluster.create(
            new HepPlanner(HepProgram.builder().build()), new RexBuilder(typeFactory));
    Properties props = new Properties();
    props.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "false");
    props.setProperty(
        CalciteConnectionProperty.UNQUOTED_CASING.camelName(), Casing.UNCHANGED.name());
    props.setProperty(CalciteConnectionProperty.QUOTED_CASING.camelName(), Casing.UNCHANGED.name());
    this.connectionConfig = new CalciteConnectionConfigImpl(props);
  }

  /**
   * Lets this planner's queries name the {@linkplain io.aquifer.planner.calcite.SecuredTable#WRITE
   * write read} of {@code table} (catalog, schema, table): what an UPDATE, DELETE or MERGE of a
   * table with a row filter or column masks reads its target through, so that rows the caller may
   * not see and stored values of columns it does not assign are written back unchanged.
   */
  public void allowWriteTarget(List<String> table) {
    writeTargets.add(lower(table));
  }

  private static List<String> lower(List<String> names) {
    return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
  }

  /**
   * Names with a control character are the planner's own (the unfiltered or write reads of a
   * secured table, their hidden columns): a statement, view or function body cannot use them.
   */
  private static void refuseInternalNames(SqlNode node) {
    node.accept(
        new org.apache.calcite.sql.util.SqlBasicVisitor<Void>() {
          @Override
          public Void visit(org.apache.calcite.sql.SqlIdentifier id) {
            for (String name : id.names) {
              if (io.aquifer.planner.calcite.SecuredTable.isInternal(name)) {
                throw new PlannerException(
                    PlannerErrorCode.INVALID_STATEMENT,
                    "identifier "
                        + name.replace('\u0001', '?').replace('\u0002', '?')
                        + " contains a control character, which names may not hold",
                    id.getParserPosition().getLineNum(),
                    id.getParserPosition().getColumnNum(),
                    null);
              }
            }
            return null;
          }
        });
  }

  /** The parser settings for Databricks-flavoured SQL. */
  public static SqlParser.Config parserConfig() {
    return SqlParser.config()
        .withParserFactory(AquiferSqlParserImpl.FACTORY)
        .withQuoting(Quoting.BACK_TICK)
        .withUnquotedCasing(Casing.UNCHANGED)
        .withQuotedCasing(Casing.UNCHANGED)
        .withCaseSensitive(false)
        // names are as long as the catalog allows (Calcite's default is 128)
        .withIdentifierMaxLength(io.aquifer.catalog.ObjectNames.MAX_LENGTH)
        .withConformance(SqlConformanceEnum.BABEL);
  }

  /**
   * The snapshot this statement reads of a table: bound on first use, the same for every later
   * reference (so a write's target and its source query agree).
   */
  public io.aquifer.storage.delta.DeltaSnapshot snapshot(java.net.URI location) {
    return binder.bind(location, "");
  }

  public JavaTypeFactoryImpl typeFactory() {
    return typeFactory;
  }

  public RelOptCluster cluster() {
    return cluster;
  }

  /** Parses one query or DML statement (text from {@link io.aquifer.planner.parse}). */
  public SqlNode parse(String calciteSql) {
    io.aquifer.planner.parse.ReadFilesRewriter.Result readFiles =
        io.aquifer.planner.parse.ReadFilesRewriter.rewrite(calciteSql, readFilesCalls.size());
    readFilesCalls.addAll(readFiles.calls());
    calciteSql = readFiles.sql();
    try {
      SqlNode node =
          SqlParser.create(
                  io.aquifer.planner.parse.NonReservedWords.quote(
                      io.aquifer.planner.parse.LambdaParameterNames.quote(calciteSql)),
                  parserConfig())
              .parseStmt();
      if (calciteSql.indexOf(io.aquifer.planner.calcite.SecuredTable.INTERNAL) >= 0
          || calciteSql.contains(io.aquifer.planner.calcite.SecuredTable.RAW)) {
        refuseInternalNames(node);
      }
      // Generators first: they expand one select item into several, each already named as Spark
      // names it (pos, col, col0...), which SparkColumnNames then leaves alone.
      io.aquifer.planner.calcite.GeneratorRewriter.rewrite(node);
      // Named from the statement as written, before the rewrites below change its operators.
      io.aquifer.planner.calcite.SparkColumnNames.apply(node);
      DatabricksDivide.rewrite(node);
      io.aquifer.planner.calcite.SemiJoinRewriter.rewrite(node);
      io.aquifer.planner.calcite.PivotNames.apply(node);
      io.aquifer.planner.calcite.GroupingIdRewriter.rewrite(node);
      io.aquifer.planner.calcite.TimestampAddRewriter.rewrite(node);
      return node;
    } catch (SqlParseException e) {
      var pos = e.getPos();
      io.aquifer.planner.parse.UnsupportedSyntax.inQuery(
              calciteSql, pos == null ? 0 : pos.getLineNum(), pos == null ? 0 : pos.getColumnNum())
          .ifPresent(
              unsupported -> {
                throw unsupported;
              });
      String message = firstLine(e.getMessage());
      throw new PlannerException(
          PlannerErrorCode.PARSE_SYNTAX_ERROR,
          message,
          pos == null ? 0 : pos.getLineNum(),
          pos == null ? 0 : pos.getColumnNum(),
          e);
    }
  }

  /** Validates and converts a query to a logical plan, then skips files by statistics. */
  public PlannedQuery plan(SqlNode query) {
    SqlValidator validator = statementValidator();
    Written written = Written.of(query);
    SqlNode validated = validate(validator, query);
    RelRoot root;
    try {
      root = converter(validator).convertQuery(validated, false, true);
    } catch (PlannerException | StorageException e) {
      throw e;
    } catch (RuntimeException | AssertionError e) {
      io.aquifer.planner.calcite.ReadFilesFailure.in(e)
          .ifPresent(
              f -> {
                throw f;
              });
      // Calcite rejects some expressions only while converting them ("while converting ...").
      throw new PlannerException(PlannerErrorCode.INVALID_STATEMENT, rootMessage(e), 0, 0, e);
    }
    RelNode rel = root.project();
    rel = FilePruner.prune(rel);
    List<String> labels =
        labelsAsWritten(validator, validated, rel.getRowType(), written).getFieldNames();
    List<DeltaTableScan> scans = scans(rel);
    scannedTables(scans).forEach(scannedTables);
    return new PlannedQuery(rel, validator.getParameterRowType(validated), scans, labels);
  }

  /**
   * The qualified name of every Delta table {@code scans} read (views are seen through; time travel
   * names the table), once per scan: what {@link #onScannedTable} is told of a plan, for a plan run
   * again without being planned.
   */
  public static List<List<String>> scannedTables(List<DeltaTableScan> scans) {
    List<List<String>> names = new ArrayList<>();
    for (DeltaTableScan scan : scans) {
      if (scan instanceof io.aquifer.planner.calcite.FileSourceScan) {
        continue;
      }
      List<String> name = new ArrayList<>(scan.getTable().getQualifiedName());
      if (!name.isEmpty()) {
        String last = io.aquifer.planner.calcite.SecuredTable.withoutRaw(name.get(name.size() - 1));
        int at = last.lastIndexOf(io.aquifer.planner.parse.TimeTravelRewriter.MARKER);
        name.set(name.size() - 1, at > 0 ? last.substring(0, at) : last);
      }
      names.add(List.copyOf(name));
    }
    return names;
  }

  /**
   * Tells {@code listener} the qualified name of every Delta table a plan made by {@link #plan}
   * scans (views are seen through; time travel names the table), once per scan: the planner's
   * knowledge of what a statement reads, for table lineage.
   */
  public QueryPlanner onScannedTable(java.util.function.Consumer<List<String>> listener) {
    this.scannedTables = requireNonNull(listener, "listener");
    return this;
  }

  /** Row type and parameter types of a validated statement. */
  public record Validated(RelDataType rowType, RelDataType parameterRowType) {}

  /**
   * Validates a query or DML statement without planning it: its result columns (queries only) and
   * the types of its {@code ?} markers.
   */
  public Validated validate(SqlNode statement) {
    SqlValidator validator = statementValidator();
    Written written = Written.of(statement);
    SqlNode validated = validate(validator, statement);
    return new Validated(
        labelsAsWritten(validator, validated, validator.getValidatedNodeType(validated), written),
        validator.getParameterRowType(validated));
  }

  /**
   * The validated row type with the labels of the select list as written. Calcite's validator makes
   * the names of its row type unique ({@code SELECT 1 AS a, 2 AS a} gives {@code a, a0}); the plan
   * and so the result keep the labels as written, as Databricks does, and a prepared statement's
   * columns must name them alike. A star's columns keep their names too: the validator expands
   * {@code SELECT * FROM t1 JOIN t2} to {@code t1.a, t2.a AS a0}, and an alias the statement did
   * not write gives way to the column's own name.
   */
  private RelDataType labelsAsWritten(
      SqlValidator validator, SqlNode validated, RelDataType rowType, Written statement) {
    org.apache.calcite.sql.SqlSelect select =
        io.aquifer.planner.calcite.LeadingSelect.of(validated, false).orElse(null);
    if (select == null
        || select.getSelectList() == null
        || select.getSelectList().size() != rowType.getFieldCount()) {
      return rowType;
    }
    List<String> names = new ArrayList<>();
    boolean changed = false;
    for (int i = 0; i < rowType.getFieldCount(); i++) {
      String planned = rowType.getFieldList().get(i).getName();
      SqlNode item = select.getSelectList().get(i);
      String written = validator.deriveAlias(item, i);
      if (statement.star()
          && written != null
          && item.getKind() == org.apache.calcite.sql.SqlKind.AS
          && ((org.apache.calcite.sql.SqlCall) item).operand(0)
              instanceof org.apache.calcite.sql.SqlIdentifier column
          && !column.isStar()
          && !statement.aliases().contains(written.toLowerCase(java.util.Locale.ROOT))) {
        written = org.apache.calcite.util.Util.last(column.names);
      }
      String name = written == null ? planned : written;
      changed |= !name.equals(planned);
      names.add(name);
    }
    if (!changed) {
      return rowType;
    }
    List<RelDataType> types = new ArrayList<>();
    rowType.getFieldList().forEach(f -> types.add(f.getType()));
    return typeFactory.createTypeWithNullability(
        typeFactory.createStructType(types, names), rowType.isNullable());
  }

  /**
   * What the leading select list of a statement says before validation expands it: whether it has a
   * star, and the aliases it writes (lower case).
   */
  private record Written(boolean star, java.util.Set<String> aliases) {
    static Written of(SqlNode statement) {
      org.apache.calcite.sql.SqlSelect select =
          io.aquifer.planner.calcite.LeadingSelect.of(statement, false).orElse(null);
      if (select == null || select.getSelectList() == null) {
        return new Written(false, java.util.Set.of());
      }
      boolean star = false;
      java.util.Set<String> aliases = new java.util.HashSet<>();
      for (SqlNode item : select.getSelectList()) {
        if (item instanceof org.apache.calcite.sql.SqlIdentifier id && id.isStar()) {
          star = true;
        } else if (item.getKind() == org.apache.calcite.sql.SqlKind.AS) {
          SqlNode alias = ((org.apache.calcite.sql.SqlCall) item).operand(1);
          aliases.add(alias.toString().toLowerCase(java.util.Locale.ROOT));
        }
      }
      return new Written(star, aliases);
    }
  }

  /** Validates a query and returns its row type, without planning it. */
  public RelDataType validateQuery(SqlNode query) {
    SqlValidator validator = statementValidator();
    SqlNode validated = validate(validator, query);
    return validator.getValidatedNodeType(validated);
  }

  @Override
  public RelRoot expandView(
      RelDataType rowType, String queryString, List<String> schemaPath, List<String> viewPath) {
    enterView(viewPath);
    try {
      SqlNode node = parseView(queryString, viewPath);
      SqlValidator validator = validator(schemaPath);
      SqlNode validated = validateView(validator, node, viewPath);
      return converter(validator).convertQuery(validated, true, false);
    } finally {
      exitView();
    }
  }

  private RelDataType viewRowType(PlannerCatalog.ViewEntry view) {
    enterView(view.qualifiedName());
    try {
      SqlNode node = parseView(view.sql(), view.qualifiedName());
      SqlValidator validator = validator(view.defaultPath());
      SqlNode validated = validateView(validator, node, view.qualifiedName());
      return validator.getValidatedNodeType(validated);
    } finally {
      exitView();
    }
  }

  /**
   * The rows of a table with a row filter or column masks: {@code SELECT mask(c, ...) AS c, ...
   * FROM <the table, unfiltered> WHERE filter(...)}, built from the parsed function bodies with
   * their parameters bound to the table's columns, validated and converted like a view. Session
   * functions in the bodies ({@code current_user()}, {@code is_account_group_member}) answer for
   * the statement's caller; tables the bodies read are checked against the function's owner.
   */
  private RelRoot expandSecured(
      io.aquifer.planner.calcite.SecuredTable table, RelDataType rowType) {
    List<String> base = table.baseName();
    if (securedTables.contains(base)) {
      throw new PlannerException(
          PlannerErrorCode.INVALID_STATEMENT,
          "the row filter or a column mask of table "
              + String.join(".", base)
              + " reads the table itself");
    }
    PlannerCatalog.TablePolicy policy = table.policy();
    // (A write read of a table whose policies were just dropped has no function: the table's own.)
    List<String> contextName =
        policy
            .rowFilter()
            .map(PlannerCatalog.PolicyCall::function)
            .or(() -> policy.masks().values().stream().findFirst().map(m -> m.function()))
            .map(PlannerCatalog.SqlFunction::qualifiedName)
            .orElse(base);
    List<String> functionContext = new ArrayList<>();
    functionContext.add(FUNCTION_CONTEXT);
    functionContext.addAll(contextName);
    functionContext.addAll(base);
    securedTables.add(base);
    enterView(functionContext);
    try {
      SqlNode query = securedQuery(table, policy, rowType);
      SqlValidator validator = validator(base.subList(0, 2));
      SqlNode validated = validate(validator, query);
      return converter(validator).convertQuery(validated, true, false);
    } catch (PlannerException e) {
      if (e.code() == PlannerErrorCode.PERMISSION_DENIED) {
        throw e;
      }
      throw new PlannerException(
          e.code(),
          "the row filter or a column mask of table "
              + String.join(".", base)
              + " cannot be applied: "
              + e.getMessage());
    } finally {
      exitView();
      securedTables.remove(securedTables.size() - 1);
    }
  }

  /** {@code SELECT mask(c, ...) AS c, ... FROM <the table, unfiltered> WHERE filter(...)}. */
  private SqlNode securedQuery(
      io.aquifer.planner.calcite.SecuredTable table,
      PlannerCatalog.TablePolicy policy,
      RelDataType rowType) {
    org.apache.calcite.sql.parser.SqlParserPos pos =
        org.apache.calcite.sql.parser.SqlParserPos.ZERO;
    String alias = "__aquifer_secured";
    org.apache.calcite.sql.SqlNodeList select = new org.apache.calcite.sql.SqlNodeList(pos);
    for (var field : rowType.getFieldList()) {
      SqlNode column =
          new org.apache.calcite.sql.SqlIdentifier(List.of(alias, field.getName()), pos);
      PlannerCatalog.PolicyCall mask = policy.masks().get(field.getName().toLowerCase(Locale.ROOT));
      if (mask != null) {
        SqlNode masked =
            org.apache.calcite.sql.fun.SqlStdOperatorTable.CAST.createCall(
                pos,
                call(mask, alias),
                org.apache.calcite.sql.type.SqlTypeUtil.convertTypeToSpec(field.getType()));
        column =
            org.apache.calcite.sql.fun.SqlStdOperatorTable.AS.createCall(
                pos, masked, new org.apache.calcite.sql.SqlIdentifier(field.getName(), pos));
      }
      select.add(column);
    }
    SqlNode from =
        org.apache.calcite.sql.fun.SqlStdOperatorTable.AS.createCall(
            pos,
            new org.apache.calcite.sql.SqlIdentifier(table.rawName(), pos),
            new org.apache.calcite.sql.SqlIdentifier(alias, pos));
    SqlNode where = policy.rowFilter().map(f -> call(f, alias)).orElse(null);
    if (table.forWrite()) {
      // Every row, with its stored values and whether the caller may see it (filter TRUE).
      for (var field : rowType.getFieldList()) {
        select.add(
            org.apache.calcite.sql.fun.SqlStdOperatorTable.AS.createCall(
                pos,
                new org.apache.calcite.sql.SqlIdentifier(List.of(alias, field.getName()), pos),
                new org.apache.calcite.sql.SqlIdentifier(
                    io.aquifer.planner.calcite.SecuredTable.storedColumn(field.getName()), pos)));
      }
      SqlNode visible =
          where == null
              ? org.apache.calcite.sql.SqlLiteral.createBoolean(true, pos)
              : org.apache.calcite.sql.fun.SqlStdOperatorTable.IS_TRUE.createCall(pos, where);
      select.add(
          org.apache.calcite.sql.fun.SqlStdOperatorTable.AS.createCall(
              pos,
              visible,
              new org.apache.calcite.sql.SqlIdentifier(
                  io.aquifer.planner.calcite.SecuredTable.VISIBLE, pos)));
      where = null;
    }
    return new org.apache.calcite.sql.SqlSelect(
        pos, null, select, from, where, null, null, null, null, null, null, null, null);
  }

  /** SQL functions calling SQL functions: deeper nesting is refused (it may be a cycle). */
  private static final int MAX_FUNCTION_DEPTH = 32;

  /**
   * Every call of a SQL function of the catalog replaced by its body, with the parameters bound to
   * the call's arguments (Databricks' SQL UDFs are inlined the same way). A one-part name is a SQL
   * function of the current schema only if no built-in function has that name.
   */
  private SqlNode inlineFunctions(SqlNode node, List<String> path, int depth) {
    return node.accept(
        new org.apache.calcite.sql.util.SqlShuttle() {
          @Override
          public SqlNode visit(org.apache.calcite.sql.SqlCall call) {
            SqlNode visited = super.visit(call);
            if (!(visited instanceof org.apache.calcite.sql.SqlCall c)
                || !(c.getOperator() instanceof org.apache.calcite.sql.SqlUnresolvedFunction f)
                || f.getSqlIdentifier() == null) {
              return visited;
            }
            List<String> names = f.getSqlIdentifier().names;
            if (names.size() > 3) {
              return visited;
            }
            if (names.size() == 1) {
              List<org.apache.calcite.sql.SqlOperator> builtins = new ArrayList<>();
              AquiferOperatorTable.INSTANCE.lookupOperatorOverloads(
                  f.getSqlIdentifier(),
                  null,
                  org.apache.calcite.sql.SqlSyntax.FUNCTION,
                  builtins,
                  org.apache.calcite.sql.validate.SqlNameMatchers.withCaseSensitive(false));
              if (!builtins.isEmpty()) {
                return visited;
              }
            }
            List<String> qualified = new ArrayList<>(path.subList(0, 3 - names.size()));
            qualified.addAll(names);
            java.util.Optional<PlannerCatalog.SqlFunction> function =
                catalog.function(qualified, currentView());
            if (function.isEmpty()) {
              return visited;
            }
            if (depth >= MAX_FUNCTION_DEPTH) {
              throw new PlannerException(
                  PlannerErrorCode.STATEMENT_TOO_COMPLEX,
                  "SQL functions call each other more than "
                      + MAX_FUNCTION_DEPTH
                      + " deep (at "
                      + String.join(".", qualified)
                      + ")");
            }
            PlannerCatalog.SqlFunction fn = function.get();
            if (fn.parameters().size() != c.operandCount()) {
              throw new PlannerException(
                  PlannerErrorCode.WRONG_NUM_ARGS,
                  "function "
                      + String.join(".", fn.qualifiedName())
                      + " takes "
                      + fn.parameters().size()
                      + " argument(s) but is called with "
                      + c.operandCount(),
                  c.getParserPosition().getLineNum(),
                  c.getParserPosition().getColumnNum(),
                  null);
            }
            java.util.Map<String, SqlNode> arguments = new java.util.HashMap<>();
            for (int i = 0; i < fn.parameters().size(); i++) {
              arguments.put(fn.parameters().get(i).toLowerCase(Locale.ROOT), c.operand(i));
            }
            // Names in the body resolve in the function's schema, never in the caller's, and
            // before the arguments (resolved in the caller's) go in.
            return bind(inlinedBody(fn, depth + 1), arguments);
          }
        });
  }

  /** The body of a SQL function with the SQL functions it calls inlined, from its own schema. */
  private SqlNode inlinedBody(PlannerCatalog.SqlFunction function, int depth) {
    return inlineFunctions(body(function), function.qualifiedName().subList(0, 2), depth);
  }

  /** The parsed body expression of a SQL function. */
  private SqlNode body(PlannerCatalog.SqlFunction function) {
    SqlNode parsed;
    try {
      parsed = parse("SELECT " + function.expression());
    } catch (PlannerException e) {
      throw new PlannerException(
          PlannerErrorCode.INVALID_STATEMENT,
          "function "
              + String.join(".", function.qualifiedName())
              + " cannot be parsed: "
              + e.getMessage());
    }
    SqlNode body = ((org.apache.calcite.sql.SqlSelect) parsed).getSelectList().get(0);
    if (body.getKind() == org.apache.calcite.sql.SqlKind.AS) {
      body = ((org.apache.calcite.sql.SqlCall) body).operand(0);
    }
    return body;
  }

  /** The body with each simple name of a parameter replaced by (a copy of) its argument. */
  private static SqlNode bind(SqlNode body, java.util.Map<String, SqlNode> arguments) {
    return body.accept(
        new org.apache.calcite.sql.util.SqlShuttle() {
          @Override
          public SqlNode visit(org.apache.calcite.sql.SqlIdentifier id) {
            if (id.isSimple()) {
              SqlNode argument = arguments.get(id.getSimple().toLowerCase(Locale.ROOT));
              if (argument != null) {
                return argument.clone(argument.getParserPosition());
              }
            }
            return id;
          }
        });
  }

  /** A function's body with its parameters bound to columns of the table aliased {@code alias}. */
  private SqlNode call(PlannerCatalog.PolicyCall call, String alias) {
    PlannerCatalog.SqlFunction function = call.function();
    if (function.parameters().size() != call.arguments().size()) {
      throw new PlannerException(
          PlannerErrorCode.WRONG_NUM_ARGS,
          "function "
              + String.join(".", function.qualifiedName())
              + " takes "
              + function.parameters().size()
              + " argument(s) but is applied to "
              + call.arguments().size()
              + " column(s)");
    }
    java.util.Map<String, SqlNode> arguments = new java.util.HashMap<>();
    for (int i = 0; i < function.parameters().size(); i++) {
      arguments.put(
          function.parameters().get(i).toLowerCase(Locale.ROOT),
          new org.apache.calcite.sql.SqlIdentifier(
              List.of(alias, call.arguments().get(i)),
              org.apache.calcite.sql.parser.SqlParserPos.ZERO));
    }
    return bind(inlinedBody(function, 1), arguments);
  }

  /** The innermost permanent (three-part) view, or function body, being expanded, if any. */
  private java.util.Optional<List<String>> currentView() {
    var it = views.descendingIterator();
    while (it.hasNext()) {
      List<String> view = it.next();
      if (view.size() == 3 || view.get(0).equals(FUNCTION_CONTEXT)) {
        return java.util.Optional.of(view);
      }
    }
    return java.util.Optional.empty();
  }

  private void exitView() {
    viewDepth--;
    views.pollLast();
  }

  private void enterView(List<String> viewPath) {
    views.addLast(List.copyOf(viewPath));
    if (++viewDepth > MAX_VIEW_DEPTH) {
      views.pollLast();
      viewDepth--;
      throw new PlannerException(
          PlannerErrorCode.INVALID_STATEMENT,
          "view "
              + String.join(".", viewPath)
              + " refers to itself, or views nest deeper than "
              + MAX_VIEW_DEPTH);
    }
  }

  private SqlNode parseView(String sql, List<String> viewPath) {
    try {
      return parse(sql);
    } catch (PlannerException e) {
      throw new PlannerException(
          PlannerErrorCode.INVALID_STATEMENT,
          "view " + String.join(".", viewPath) + " cannot be parsed: " + e.getMessage());
    }
  }

  private SqlNode validateView(SqlValidator validator, SqlNode node, List<String> viewPath) {
    try {
      return validate(validator, node);
    } catch (PlannerException e) {
      if (e.code() == PlannerErrorCode.PERMISSION_DENIED) {
        throw e;
      }
      throw new PlannerException(
          e.code(),
          "view " + String.join(".", viewPath) + " is no longer valid: " + e.getMessage());
    }
  }

  private SqlNode validate(SqlValidator validator, SqlNode node) {
    try {
      // The current catalog and schema of the names validated: the reader's first two-part path.
      List<String> path =
          validator.getCatalogReader().getSchemaPaths().stream()
              .filter(p -> p.size() == 2)
              .findFirst()
              .orElse(defaultPath);
      return validator.validate(sessionFunctions.rewrite(inlineFunctions(node, path, 0)));
    } catch (CalciteContextException e) {
      io.aquifer.planner.calcite.ReadFilesFailure.in(e)
          .ifPresent(
              f -> {
                throw f;
              });
      String message = cleanMessage(e.getMessage());
      PlannerErrorCode code = classify(message);
      java.util.regex.Matcher selfReference = SELF_REFERENCE.matcher(message);
      if (selfReference.find()) {
        // With lateral column aliases, an unknown column is reported as depending on itself.
        code = PlannerErrorCode.UNRESOLVED_COLUMN;
        message = "Column '" + selfReference.group(1) + "' not found in any table";
      }
      throw new PlannerException(code, message, e.getPosLine(), e.getPosColumn(), e);
    } catch (StorageException e) {
      throw e;
    } catch (PlannerException e) {
      throw e;
    } catch (RuntimeException | AssertionError e) {
      io.aquifer.planner.calcite.ReadFilesFailure.in(e)
          .ifPresent(
              f -> {
                throw f;
              });
      throw new PlannerException(PlannerErrorCode.INVALID_STATEMENT, rootMessage(e), 0, 0, e);
    }
  }

  /**
   * The first line of the innermost message of a Calcite failure, at most 300 characters: the outer
   * ones repeat the statement ("while converting ..."), which may be huge.
   */
  public static String rootMessage(Throwable e) {
    String message = null;
    for (Throwable c = e; c != null && c.getCause() != c; c = c.getCause()) {
      if (c.getMessage() != null && !c.getMessage().startsWith("while converting")) {
        message = c.getMessage();
      }
    }
    if (message == null) {
      message = "the statement cannot be planned (" + e.getClass().getSimpleName() + ")";
    }
    String line = firstLine(message);
    return line.length() <= 300 ? line : line.substring(0, 300) + "...";
  }

  /**
   * A validator for the statement's own names: one-part names find the session's temporary views
   * before the current schema's tables, as in Spark.
   */
  private SqlValidator statementValidator() {
    return validator(defaultPath, true);
  }

  /** A validator for a view's names, as they resolved when it was created. */
  private SqlValidator validator(List<String> path) {
    return validator(path, false);
  }

  private SqlValidator validator(List<String> path, boolean temporaryViewsFirst) {
    CalciteCatalogReader reader =
        new AquiferCatalogReader(
            rootSchema,
            path.get(0),
            path.get(1),
            temporaryViewsFirst,
            typeFactory,
            connectionConfig);
    // Built-in operators only: the schemas hold no functions (a catalog SQL function is inlined
    // before validation, see inlineFunctions), so asking the reader too would resolve the schema
    // path for every call only to find nothing.
    SqlOperatorTable operators = AquiferOperatorTable.INSTANCE;
    SqlValidator.Config config =
        SqlValidator.Config.DEFAULT
            .withConformance(AquiferConformance.INSTANCE)
            .withIdentifierExpansion(true)
            .withDefaultNullCollation(NullCollation.LOW);
    return io.aquifer.planner.calcite.AquiferValidator.create(
        operators, reader, typeFactory, config);
  }

  private SqlToRelConverter converter(SqlValidator validator) {
    SqlToRelConverter.Config config =
        SqlToRelConverter.config()
            .withExpand(false)
            .withDecorrelationEnabled(false)
            .withTrimUnusedFields(false)
            .withInSubQueryThreshold(Integer.MAX_VALUE);
    return new SqlToRelConverter(
        this,
        validator,
        (CalciteCatalogReader) validator.getCatalogReader(),
        cluster,
        StandardConvertletTable.INSTANCE,
        config);
  }

  /** Every Delta scan of the plan, including those inside subqueries. */
  public static List<DeltaTableScan> scans(RelNode rel) {
    List<DeltaTableScan> scans = new ArrayList<>();
    collectScans(rel, scans);
    return scans;
  }

  private static void collectScans(RelNode rel, List<DeltaTableScan> scans) {
    if (rel instanceof DeltaTableScan d) {
      scans.add(d);
    }
    rel.accept(
        new RexShuttle() {
          @Override
          public RexNode visitSubQuery(RexSubQuery subQuery) {
            collectScans(subQuery.rel, scans);
            return subQuery;
          }
        });
    for (RelNode input : rel.getInputs()) {
      collectScans(input, scans);
    }
  }

  private static PlannerErrorCode classify(String message) {
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    if (m.contains("object '") && m.contains("not found")) {
      return PlannerErrorCode.TABLE_OR_VIEW_NOT_FOUND;
    }
    if (m.contains("table '") && m.contains("not found")) {
      return PlannerErrorCode.TABLE_OR_VIEW_NOT_FOUND;
    }
    if (m.contains("column '") && m.contains("not found")) {
      return PlannerErrorCode.UNRESOLVED_COLUMN;
    }
    if (m.contains("no match found for function signature")) {
      return PlannerErrorCode.UNRESOLVED_ROUTINE;
    }
    if (m.contains("cannot apply")
        || m.contains("cannot assign")
        || m.contains("type mismatch")
        || m.contains("must have compatible types")) {
      return PlannerErrorCode.DATATYPE_MISMATCH;
    }
    return PlannerErrorCode.INVALID_STATEMENT;
  }

  /** Calcite prefixes "From line 1, column 8 to line 1, column 9: "; the position is kept apart. */
  private static String cleanMessage(String message) {
    if (message == null) {
      return "invalid statement";
    }
    int colon = message.indexOf(": ");
    if (message.startsWith("From line ") && colon > 0) {
      return message.substring(colon + 2);
    }
    return message;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "syntax error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
