package io.aquifer.exec.compile;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.ScanColumn;
import io.aquifer.exec.ScanFile;
import io.aquifer.exec.ScanSpec;
import io.aquifer.planner.calcite.DeltaTableScan;
import io.aquifer.planner.calcite.SystemTable;
import io.aquifer.storage.delta.DataFile;
import io.aquifer.storage.delta.DeltaSnapshot;
import io.aquifer.storage.types.Column;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.rel2sql.RelToSqlConverter;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Compiles a validated logical plan into a {@link QueryFragment}: DuckDB SQL generated from the
 * plan by Calcite's {@link RelToSqlConverter} in {@link AquiferDuckDbDialect}, where every Delta
 * scan becomes a relation name, plus a {@link ScanSpec} per scan with its exact files.
 *
 * <p>The result's scalar columns are cast to the types Calcite derived, so that what the engine
 * returns matches what was announced at prepare time (DuckDB's SUM of BIGINT is HUGEINT, its AVG of
 * DECIMAL is DOUBLE, a constant NULL has no type).
 */
public final class DuckDbPlanCompiler {
  /** How the compiled SQL names the relation of each scan, followed by its number. */
  public static final String SCAN_PREFIX = "__aquifer_scan_";

  private DuckDbPlanCompiler() {}

  /** How the compiled SQL names the rows of each system table it reads, followed by a number. */
  public static final String ROWS_PREFIX = "__aquifer_rows_";

  /**
   * A system table (or information schema table) a query reads: rows the caller hands the engine as
   * an Arrow stream under {@code relationName}.
   */
  public record RowsScan(String relationName, SystemTable table) {}

  /** A query over system tables: the fragment and the tables whose rows it reads. */
  public record RowsQuery(QueryFragment fragment, List<RowsScan> rows) {}

  public static QueryFragment compile(String queryId, RelNode plan) {
    return compile(queryId, plan, false).fragment();
  }

  /**
   * Compiles a query over system tables, which the gateway runs on its own engine: each system
   * table becomes a relation whose rows the caller provides.
   */
  public static RowsQuery compileOverRows(String queryId, RelNode plan) {
    return compile(queryId, plan, true);
  }

  private static RowsQuery compile(String queryId, RelNode plan, boolean rows) {
    RelNode typed =
        GeneratorBarrier.apply(
            CatalogFunctionBinder.apply(
                DatabricksCasts.apply(castOutputs(StructFieldAccessSimplifier.apply(plan)))));
    ScanNamingConverter converter = new ScanNamingConverter(rows);
    SqlNode sql;
    try {
      sql = converter.visitRoot(typed).asStatement();
    } catch (ClassCastException | UnsupportedOperationException | AssertionError e) {
      // Calcite's SQL writer has no form for this plan (e.g. a field of a struct built in the
      // query): valid SQL that Aquifer cannot run yet, not an internal error.
      throw new ExecException(
          ExecErrorCode.NOT_SUPPORTED,
          "An expression of this query is not supported by the engine yet (query " + queryId + ")",
          e);
    }
    qualifyScansByAlias(sql);
    nameOutputColumns(sql, typed.getRowType().getFieldNames());
    String text = sql.toSqlString(AquiferDuckDbDialect.INSTANCE).getSql();
    return new RowsQuery(new QueryFragment(queryId, text, converter.scans), converter.rows);
  }

  /**
   * Casts the output columns of scalar types to their planned types, below a final sort if any.
   * Numbers, because DuckDB widens some (SUM of BIGINT is HUGEINT); booleans, strings and
   * date-times, because an expression Calcite folded to a constant NULL would otherwise reach the
   * client untyped (Arrow's null type, which JDBC drivers cannot read as the announced type).
   */
  public static RelNode castOutputs(RelNode plan) {
    if (plan instanceof Sort sort) {
      RelNode input = castOutputs(sort.getInput());
      return input == sort.getInput() ? plan : sort.copy(sort.getTraitSet(), List.of(input));
    }
    RelDataType rowType = plan.getRowType();
    if (rowType.getFieldList().stream().noneMatch(f -> castsToPlannedType(f.getType()))) {
      return plan;
    }
    RexBuilder rex = plan.getCluster().getRexBuilder();
    List<RexNode> projects = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (RelDataTypeField f : rowType.getFieldList()) {
      RexNode ref = rex.makeInputRef(plan, f.getIndex());
      projects.add(
          castsToPlannedType(f.getType()) ? rex.makeAbstractCast(f.getType(), ref, false) : ref);
      names.add(f.getName());
    }
    return LogicalProject.create(plan, List.of(), projects, names, java.util.Set.of());
  }

  private static boolean castsToPlannedType(RelDataType type) {
    return SqlTypeUtil.isNumeric(type)
        || switch (type.getSqlTypeName()) {
          case BOOLEAN, CHAR, VARCHAR, DATE, TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> true;
          default -> false;
        };
  }

  /**
   * Gives each unnamed output expression its planned name. DuckDB would name it by its text, and a
   * name that long (a 100 KB string literal) breaks the Arrow export of the result; clients see the
   * planned names anyway.
   */
  public static void nameOutputColumns(SqlNode sql, List<String> names) {
    org.apache.calcite.sql.SqlSelect select =
        io.aquifer.planner.calcite.LeadingSelect.of(sql, false).orElse(null);
    if (select == null
        || select.getSelectList() == null
        || select.getSelectList().size() != names.size()) {
      return;
    }
    org.apache.calcite.sql.SqlNodeList items = select.getSelectList();
    for (int i = 0; i < items.size(); i++) {
      SqlNode item = items.get(i);
      if (item instanceof SqlIdentifier || item.getKind() == SqlKind.AS) {
        continue;
      }
      items.set(
          i,
          org.apache.calcite.sql.fun.SqlStdOperatorTable.AS.createCall(
              SqlParserPos.ZERO, item, new SqlIdentifier(names.get(i), SqlParserPos.ZERO)));
    }
  }

  /**
   * Points references to a scan at the alias its FROM item got. Calcite's SQL generator names the
   * row of a scan in a correlated sub-query by the scan's name, but may alias that scan differently
   * in the FROM clause when the same SELECT has correlated sub-queries in both its SELECT list and
   * its WHERE clause ({@code SELECT (SELECT .. WHERE x.b < t.b) FROM t WHERE EXISTS (.. x.b <
   * t.b)}). Scan names are unique and appear once, so the rewrite is unambiguous.
   */
  public static void qualifyScansByAlias(SqlNode sql) {
    Map<String, String> aliases = new HashMap<>();
    sql.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlCall call) {
            if (call.getKind() == SqlKind.AS
                && call.operand(0) instanceof SqlIdentifier scan
                && scan.isSimple()
                && scan.getSimple().startsWith(SCAN_PREFIX)
                && call.operand(1) instanceof SqlIdentifier alias
                && !alias.getSimple().equals(scan.getSimple())) {
              aliases.put(scan.getSimple(), alias.getSimple());
            }
            return super.visit(call);
          }
        });
    if (aliases.isEmpty()) {
      return;
    }
    sql.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlIdentifier id) {
            if (id.names.size() > 1 && aliases.containsKey(id.names.get(0))) {
              List<String> names = new ArrayList<>(id.names);
              names.set(0, aliases.get(names.get(0)));
              id.setNames(names, null);
            }
            return null;
          }
        });
  }

  /** Names each Delta scan {@code __aquifer_scan_N} and records what it reads. */
  /** Public: the converter dispatches to its visit methods by reflection. */
  public static final class ScanNamingConverter extends RelToSqlConverter {
    private final List<ScanSpec> scans = new ArrayList<>();
    private final List<RowsScan> rows = new ArrayList<>();
    private final boolean systemTables;

    ScanNamingConverter(boolean systemTables) {
      super(AquiferDuckDbDialect.INSTANCE);
      this.systemTables = systemTables;
    }

    @Override
    public Result visit(TableScan e) {
      SystemTable system = e.getTable().unwrap(SystemTable.class);
      if (systemTables && system != null) {
        // One relation per table: a query that reads a table twice sees one set of its rows.
        String name =
            rows.stream()
                .filter(r -> r.table() == system)
                .map(RowsScan::relationName)
                .findFirst()
                .orElse(null);
        if (name == null) {
          name = ROWS_PREFIX + rows.size();
          rows.add(new RowsScan(name, system));
        }
        return result(new SqlIdentifier(name, SqlParserPos.ZERO), List.of(Clause.FROM), e, null);
      }
      if (!(e instanceof DeltaTableScan scan)) {
        throw new IllegalStateException("not a Delta scan: " + e.getTable().getQualifiedName());
      }
      String name = SCAN_PREFIX + scans.size();
      scans.add(scanSpec(name, scan));
      SqlIdentifier identifier = new SqlIdentifier(name, SqlParserPos.ZERO);
      return result(identifier, List.of(Clause.FROM), e, null);
    }

    /** The generating projection below an aggregate, as a sub-query of its own. */
    public Result visit(GeneratorBarrier e) {
      // Declaring a FROM clause to add makes the input's SELECT a sub-query (FROM precedes it).
      return visitInput(e, 0, isAnon(), false, java.util.Set.of(Clause.FROM))
          .builder(e, Clause.FROM)
          .result();
    }

    /**
     * A lateral join whose left side is itself a join (two LATERAL VIEWs in a row): Calcite would
     * give the left join one alias, {@code (a, LATERAL (...)) AS "$cor1"}, which DuckDB cannot
     * parse. Here the left side keeps the aliases of its parts and the correlation variable
     * resolves through them.
     */
    @Override
    public Result visit(org.apache.calcite.rel.core.Correlate e) {
      if (!(e.getLeft() instanceof org.apache.calcite.rel.core.Correlate)
          && !(e.getLeft() instanceof org.apache.calcite.rel.core.Join)) {
        return super.visit(e);
      }
      Result left = visitInput(e, 0);
      correlTableMap.put(e.getCorrelationId(), left.qualifiedContext());
      Result right = visitInput(e, 1);
      SqlNode rightFrom = right.asFrom();
      SqlNode lateral;
      if (rightFrom.getKind() == SqlKind.AS) {
        SqlCall as = (SqlCall) rightFrom;
        SqlNode query = as.operand(0);
        SqlNode alias = as.operand(1);
        lateral =
            SqlStdOperatorTable.AS.createCall(
                POS, SqlStdOperatorTable.LATERAL.createCall(POS, query), alias);
      } else {
        lateral = SqlStdOperatorTable.LATERAL.createCall(POS, rightFrom);
      }
      SqlNode join =
          new org.apache.calcite.sql.SqlJoin(
              POS,
              left.asFrom(),
              org.apache.calcite.sql.SqlLiteral.createBoolean(false, POS),
              org.apache.calcite.sql.JoinType.COMMA.symbol(POS),
              lateral,
              org.apache.calcite.sql.JoinConditionType.NONE.symbol(POS),
              null);
      return result(join, left, right);
    }
  }

  public static ScanSpec scanSpec(String name, DeltaTableScan scan) {
    DeltaSnapshot snapshot = scan.snapshot();
    List<ScanColumn> columns = new ArrayList<>();
    for (Column c : snapshot.schema().columns()) {
      boolean partition =
          snapshot.partitionColumns().stream()
              .anyMatch(p -> p.toLowerCase(Locale.ROOT).equals(c.name().toLowerCase(Locale.ROOT)));
      columns.add(new ScanColumn(c.name(), c.physicalName(), c.type(), partition));
    }
    List<ScanFile> files = new ArrayList<>();
    for (DataFile f : scan.files()) {
      files.add(new ScanFile(f.path().toString(), f.partitionValues(), f.deletedRowPositions()));
    }
    if (scan instanceof io.aquifer.planner.calcite.FileSourceScan fileScan) {
      return new ScanSpec(name, columns, files, sourceFormat(fileScan.source(), scan.files()));
    }
    return new ScanSpec(name, columns, files);
  }

  /** How the engine reads the files of a read_files call. */
  public static io.aquifer.exec.SourceFormat sourceFormat(
      io.aquifer.planner.FileSource source, List<DataFile> files) {
    List<String> userPaths = new ArrayList<>();
    List<Long> sizes = new ArrayList<>();
    List<Long> modified = new ArrayList<>();
    for (DataFile f : files) {
      userPaths.add(source.userPaths().getOrDefault(f.path().toString(), f.path().toString()));
      sizes.add(f.size());
      modified.add(f.modificationTime());
    }
    return new io.aquifer.exec.SourceFormat(
        io.aquifer.exec.SourceFormat.Kind.valueOf(source.kind().name()),
        io.aquifer.exec.SourceFormat.Mode.valueOf(source.mode()),
        false,
        new io.aquifer.exec.SourceFormat.TextOptions(
            source.header(),
            source.delimiter(),
            source.quote(),
            source.escape(),
            source.multiLine(),
            source.wholeText(),
            source.dateFormat(),
            source.timestampFormat(),
            source.encoding(),
            source.xml()),
        new io.aquifer.exec.SourceFormat.FileList(userPaths, sizes, modified));
  }
}
