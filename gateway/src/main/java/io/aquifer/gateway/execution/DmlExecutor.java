package io.aquifer.gateway.execution;

import io.aquifer.catalog.TableInfo;
import io.aquifer.catalog.TableKind;
import io.aquifer.catalog.TableName;
import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.WriteFragment;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.StatementResult;
import io.aquifer.planner.ParameterBinder;
import io.aquifer.planner.PlannedQuery;
import io.aquifer.planner.PlannerErrorCode;
import io.aquifer.planner.PlannerException;
import io.aquifer.planner.QueryPlanner;
import io.aquifer.planner.calcite.CalciteTypes;
import io.aquifer.planner.calcite.DeltaTableScan;
import io.aquifer.planner.calcite.SecuredTable;
import io.aquifer.planner.parse.SqlMergeInto;
import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.delta.CommitRequest;
import io.aquifer.storage.delta.DataFile;
import io.aquifer.storage.delta.DeltaSnapshot;
import io.aquifer.storage.delta.NewDataFile;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.TableSchema;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUpdate;
import org.apache.calcite.sql.fun.SqlCase;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INSERT [OVERWRITE], DELETE, UPDATE and MERGE. Each is planned by Calcite as a query over the
 * target's snapshot (the rows to write), run on a warehouse that writes new Parquet files, and
 * committed by the gateway as one Delta transaction: copy-on-write for DELETE and UPDATE (only the
 * files that may hold affected rows are rewritten), a full rewrite for MERGE. Nothing is visible
 * until the commit; a failure before it deletes the new files.
 *
 * <p>A target with a row filter or column masks is rewritten through its {@linkplain
 * SecuredTable#WRITE write read}: the statement's conditions and expressions see the rows and
 * values the caller reads, only rows the filter shows the caller are changed or deleted, and every
 * column a row keeps (hidden rows, unassigned columns) is written back with its stored value.
 */
final class DmlExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(DmlExecutor.class);
  private static final SqlParserPos POS = SqlParserPos.ZERO;
  private static final String MATCHED_FLAG = "__aquifer_matched";

  private DmlExecutor() {}

  /** The table a DML statement changes, bound to the statement's snapshot. */
  private record Target(
      TableName name,
      URI location,
      DeltaSnapshot snapshot,
      SqlIdentifier identifier,
      io.aquifer.catalog.TablePolicies policies) {
    /** Whether the table has a row filter or column masks. */
    boolean secured() {
      return !policies.isEmpty();
    }

    boolean rowFilter() {
      return policies.rowFilter().isPresent();
    }
  }

  static StatementResult run(
      StatementContext ctx, String calciteSql, boolean overwrite, List<Object> parameters) {
    QueryPlanner planner = ctx.newPlanner();
    SqlNode node = planner.parse(calciteSql);
    // Each rewrite below needs fresh copies of the user's expressions: parse again for them.
    Function<Integer, SqlNode> reparse = i -> planner.parse(calciteSql);
    return switch (node.getKind()) {
      case INSERT -> insert(ctx, planner, (SqlInsert) node, overwrite, parameters);
      case DELETE -> delete(ctx, planner, (SqlDelete) node, reparse, parameters);
      case UPDATE -> update(ctx, planner, (SqlUpdate) node, reparse, parameters);
      case MERGE -> merge(ctx, planner, (SqlMergeInto) node, parameters);
      default ->
          throw new PlannerException(
              PlannerErrorCode.UNSUPPORTED_FEATURE, node.getKind() + " is not supported");
    };
  }

  // ---- INSERT ----

  private static StatementResult insert(
      StatementContext ctx,
      QueryPlanner planner,
      SqlInsert insert,
      boolean overwrite,
      List<Object> parameters) {
    Target target = target(ctx, planner, insert.getTargetTable());
    if (overwrite) {
      refuseFiltered(target, "INSERT OVERWRITE");
    }
    TableSchema schema = target.snapshot().schema();
    insertDefaults(planner, insert, schema);
    typeValuesParameters(insert, schema);
    PlannedQuery source = planner.plan(insert.getSource());
    List<RelDataTypeField> sourceFields = source.rowType().getFieldList();
    int[] mapping = new int[schema.columns().size()];
    java.util.Arrays.fill(mapping, -1);
    SqlNodeList columnList = insert.getTargetColumnList();
    if (columnList == null) {
      if (sourceFields.size() != schema.columns().size()) {
        throw arity(target, schema.columns().size(), sourceFields.size());
      }
      for (int i = 0; i < mapping.length; i++) {
        mapping[i] = i;
      }
    } else {
      if (columnList.size() != sourceFields.size()) {
        throw arity(target, columnList.size(), sourceFields.size());
      }
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < columnList.size(); i++) {
        String name = ((SqlIdentifier) columnList.get(i)).getSimple();
        int index = indexOf(schema, name);
        if (index < 0) {
          throw new PlannerException(
              PlannerErrorCode.UNRESOLVED_COLUMN,
              "column " + name + " is not a column of " + target.name(),
              columnList.get(i).getParserPosition().getLineNum(),
              columnList.get(i).getParserPosition().getColumnNum(),
              null);
        }
        if (!seen.add(name.toLowerCase(Locale.ROOT))) {
          throw GatewayErrorCode.DUPLICATE_ASSIGNMENT.exception(
              "column " + name + " is listed twice");
        }
        mapping[index] = i;
      }
    }
    RelNode shaped = shape(source.rel(), schema, mapping, target);
    RelNode bound = ParameterBinder.bind(shaped, source.parameterRowType(), parameters);
    boolean readsTarget = scans(bound, target);
    List<NewDataFile> files = write(ctx, bound, target);
    List<DataFile> removed = overwrite ? target.snapshot().files() : List.of();
    commitNewFiles(
        ctx,
        target.location(),
        new CommitRequest(
            target.snapshot().version(),
            "WRITE",
            Map.of("mode", overwrite ? "Overwrite" : "Append"),
            files,
            removed,
            readsTarget));
    return new StatementResult.UpdateCount(rows(files));
  }

  /**
   * Column defaults in an INSERT: {@code DEFAULT} in a VALUES row becomes the column's default (a
   * typed NULL without one), and a column that the column list leaves out and that has a default is
   * added to the list with it (as a VALUES item, or a select item over the query).
   */
  private static void insertDefaults(QueryPlanner planner, SqlInsert insert, TableSchema schema) {
    SqlNode source = insert.getSource();
    SqlNodeList columnList = insert.getTargetColumnList();
    if (source.getKind() == SqlKind.VALUES) {
      for (SqlNode row : ((SqlCall) source).getOperandList()) {
        if (row.getKind() != SqlKind.ROW) {
          continue;
        }
        SqlCall call = (SqlCall) row;
        for (int j = 0; j < call.operandCount(); j++) {
          if (!ColumnDefaultValues.isDefault(call.operand(j))) {
            continue;
          }
          int column = j;
          if (columnList != null) {
            column =
                j < columnList.size()
                    ? indexOf(schema, ((SqlIdentifier) columnList.get(j)).getSimple())
                    : -1;
          }
          if (column >= 0 && column < schema.columns().size()) {
            call.setOperand(j, ColumnDefaultValues.value(planner, schema.columns().get(column)));
          }
        }
      }
    }
    if (columnList == null) {
      return;
    }
    Set<String> listed = new HashSet<>();
    for (SqlNode node : columnList) {
      listed.add(((SqlIdentifier) node).getSimple().toLowerCase(Locale.ROOT));
    }
    List<Column> omitted =
        schema.columns().stream()
            .filter(c -> c.defaultValue().isPresent())
            .filter(c -> !listed.contains(c.name().toLowerCase(Locale.ROOT)))
            .toList();
    if (omitted.isEmpty()) {
      return;
    }
    List<SqlNode> names = new ArrayList<>(columnList.getList());
    omitted.forEach(c -> names.add(new SqlIdentifier(c.name(), POS)));
    if (source.getKind() == SqlKind.VALUES) {
      SqlCall values = (SqlCall) source;
      for (int i = 0; i < values.operandCount(); i++) {
        if (values.operand(i).getKind() != SqlKind.ROW) {
          continue;
        }
        List<SqlNode> items = new ArrayList<>(((SqlCall) values.operand(i)).getOperandList());
        omitted.forEach(c -> items.add(ColumnDefaultValues.value(planner, c)));
        values.setOperand(i, SqlStdOperatorTable.ROW.createCall(POS, items));
      }
    } else {
      List<SqlNode> items = new ArrayList<>();
      items.add(SqlIdentifier.star(POS));
      omitted.forEach(c -> items.add(ColumnDefaultValues.value(planner, c)));
      insert.setOperand(
          2,
          select(
              new SqlNodeList(items, POS),
              SqlStdOperatorTable.AS.createCall(
                  POS, source, new SqlIdentifier("__aquifer_insert_source", POS)),
              null));
    }
    insert.setOperand(3, new SqlNodeList(names, POS));
  }

  /**
   * {@code INSERT ... VALUES (?, ?)}: a marker takes the type of the column it fills, written as
   * {@code CAST(? AS type)} so the VALUES can be validated on their own.
   */
  private static void typeValuesParameters(SqlInsert insert, TableSchema schema) {
    SqlNode source = insert.getSource();
    if (source.getKind() != SqlKind.VALUES) {
      return;
    }
    SqlNodeList columnList = insert.getTargetColumnList();
    for (SqlNode row : ((SqlCall) source).getOperandList()) {
      if (row.getKind() != SqlKind.ROW) {
        continue;
      }
      SqlCall call = (SqlCall) row;
      for (int j = 0; j < call.operandCount(); j++) {
        if (!(call.operand(j) instanceof org.apache.calcite.sql.SqlDynamicParam param)) {
          continue;
        }
        int column = j;
        if (columnList != null) {
          column =
              j < columnList.size()
                  ? indexOf(schema, ((SqlIdentifier) columnList.get(j)).getSimple())
                  : -1;
        }
        if (column < 0 || column >= schema.columns().size()) {
          continue;
        }
        call.setOperand(
            j,
            SqlStdOperatorTable.CAST.createCall(POS, param, sqlType(schema.columns().get(column))));
      }
    }
  }

  /**
   * The types of a DML statement's {@code ?} markers, in order, for a client that prepares it:
   * found by validating the queries the statement will run.
   */
  static RelDataType parameterTypes(StatementContext ctx, String calciteSql) {
    QueryPlanner planner = ctx.newPlanner();
    SqlNode node = planner.parse(calciteSql);
    SqlNode probe;
    switch (node.getKind()) {
      case INSERT -> {
        SqlInsert insert = (SqlInsert) node;
        Target target = target(ctx, planner, insert.getTargetTable());
        typeValuesParameters(insert, target.snapshot().schema());
        probe = insert.getSource();
      }
      case DELETE -> {
        SqlDelete delete = (SqlDelete) node;
        Target target = target(ctx, planner, delete.getTargetTable());
        probe = select(countStar(), from(target, delete.getAlias()), delete.getCondition());
      }
      case UPDATE -> {
        SqlUpdate update = (SqlUpdate) node;
        Target target = target(ctx, planner, update.getTargetTable());
        TableSchema schema = target.snapshot().schema();
        List<SqlNode> values = new ArrayList<>();
        for (int i = 0; i < update.getTargetColumnList().size(); i++) {
          SqlIdentifier id = (SqlIdentifier) update.getTargetColumnList().get(i);
          int index = indexOf(schema, id.names.get(id.names.size() - 1));
          SqlNode expr = update.getSourceExpressionList().get(i);
          values.add(
              index < 0
                  ? expr
                  : SqlStdOperatorTable.CAST.createCall(
                      POS, expr, sqlType(schema.columns().get(index))));
        }
        if (values.isEmpty()) {
          values.add(SqlLiteral.createExactNumeric("1", POS));
        }
        probe =
            select(
                new SqlNodeList(values, POS),
                from(target, update.getAlias()),
                update.getCondition());
      }
      default -> {
        return null;
      }
    }
    return planner.validate(probe).parameterRowType();
  }

  /** Projects the source's columns into the target's order; missing columns get NULL. */
  private static RelNode shape(RelNode source, TableSchema schema, int[] mapping, Target target) {
    RexBuilder rex = source.getCluster().getRexBuilder();
    List<RexNode> exprs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<RelDataTypeField> fields = source.getRowType().getFieldList();
    for (int i = 0; i < mapping.length; i++) {
      Column column = schema.columns().get(i);
      RelDataType type = CalciteTypes.toCalcite(rex.getTypeFactory(), column.type(), true);
      if (mapping[i] < 0) {
        exprs.add(rex.makeNullLiteral(type));
      } else {
        RelDataType from = fields.get(mapping[i]).getType();
        if (!assignable(type, from)) {
          throw new PlannerException(
              PlannerErrorCode.DATATYPE_MISMATCH,
              "cannot write "
                  + from.getFullTypeString()
                  + " into column "
                  + column.name()
                  + " "
                  + column.type().sql()
                  + " of "
                  + target.name());
        }
        exprs.add(rex.makeInputRef(source, mapping[i]));
      }
      names.add(column.name());
    }
    return LogicalProject.create(source, List.of(), exprs, names, Set.of());
  }

  private static boolean assignable(RelDataType to, RelDataType from) {
    if (from.getSqlTypeName() == SqlTypeName.NULL || SqlTypeUtil.isCharacter(to)) {
      return true;
    }
    if (SqlTypeUtil.isNumeric(to) && SqlTypeUtil.isNumeric(from)) {
      return true;
    }
    if (SqlTypeUtil.isCharacter(from)) {
      // Strings convert to any primitive type at run time; a bad value fails the write.
      return !(to.isStruct() || SqlTypeUtil.isArray(to) || SqlTypeUtil.isMap(to));
    }
    SqlTypeFamily f = from.getSqlTypeName().getFamily();
    SqlTypeFamily t = to.getSqlTypeName().getFamily();
    if (f == t) {
      return true;
    }
    return SqlTypeUtil.isDatetime(to) && SqlTypeUtil.isDatetime(from);
  }

  private static PlannerException arity(Target target, int expected, int actual) {
    return new PlannerException(
        PlannerErrorCode.INSERT_COLUMN_ARITY_MISMATCH,
        "cannot write to "
            + target.name()
            + ": "
            + expected
            + " target column(s) but the query"
            + " produces "
            + actual);
  }

  // ---- DELETE ----

  private static StatementResult delete(
      StatementContext ctx,
      QueryPlanner planner,
      SqlDelete delete,
      Function<Integer, SqlNode> reparse,
      List<Object> parameters) {
    Target target = target(ctx, planner, delete.getTargetTable());
    if (target.secured()) {
      return deleteSecured(ctx, planner, target, delete, reparse, parameters);
    }
    if (delete.getCondition() == null) {
      List<DataFile> all = target.snapshot().files();
      long count = countAll(ctx, planner, target, delete.getAlias());
      if (count == 0 && all.isEmpty()) {
        return new StatementResult.UpdateCount(0);
      }
      commit(ctx, target, "DELETE", Map.of("predicate", "true"), List.of(), all);
      return new StatementResult.UpdateCount(count);
    }
    SqlDelete forCount = (SqlDelete) reparse.apply(0);
    Affected affected =
        affected(ctx, planner, target, forCount.getAlias(), forCount.getCondition(), parameters);
    if (affected.rows() == 0) {
      return new StatementResult.UpdateCount(0);
    }
    SqlDelete forKeep = (SqlDelete) reparse.apply(1);
    PlannedQuery keep =
        planner.plan(
            select(
                star(),
                from(target, forKeep.getAlias()),
                SqlStdOperatorTable.IS_NOT_TRUE.createCall(POS, forKeep.getCondition())));
    RelNode keepRel = restrictScan(keep.rel(), target, affected.candidates());
    List<NewDataFile> files = write(ctx, ParameterBinder.bindByIndex(keepRel, parameters), target);
    commit(
        ctx,
        target,
        "DELETE",
        Map.of("predicate", "(user predicate)"),
        files,
        affected.candidates());
    return new StatementResult.UpdateCount(affected.rows());
  }

  /**
   * DELETE of a table with a row filter or column masks: the condition sees the masked values, only
   * rows the filter shows the caller are deleted, and the other rows of the rewritten files are
   * written back with their stored values.
   */
  private static StatementResult deleteSecured(
      StatementContext ctx,
      QueryPlanner planner,
      Target target,
      SqlDelete delete,
      Function<Integer, SqlNode> reparse,
      List<Object> parameters) {
    boolean hasCondition = delete.getCondition() != null;
    if (!hasCondition && !target.rowFilter()) {
      // Masks only: every row is seen, so every file goes.
      List<DataFile> all = target.snapshot().files();
      long count = countAll(ctx, planner, target, delete.getAlias());
      if (count == 0 && all.isEmpty()) {
        return new StatementResult.UpdateCount(0);
      }
      commit(ctx, target, "DELETE", Map.of("predicate", "true"), List.of(), all);
      return new StatementResult.UpdateCount(count);
    }
    SqlDelete forCount = hasCondition ? (SqlDelete) reparse.apply(0) : delete;
    Affected affected =
        affected(ctx, planner, target, forCount.getAlias(), forCount.getCondition(), parameters);
    List<DataFile> candidates = affected.candidates();
    if (affected.rows() == 0) {
      return new StatementResult.UpdateCount(0);
    }
    SqlDelete forKeep = (SqlDelete) reparse.apply(1);
    SqlIdentifier alias = writeAlias(target, forKeep.getAlias());
    SqlNode deleted = visible(alias);
    if (hasCondition) {
      deleted =
          SqlStdOperatorTable.AND.createCall(
              POS,
              deleted,
              SqlStdOperatorTable.IS_TRUE.createCall(
                  POS, unqualify(forKeep.getCondition(), target, forKeep.getAlias())));
    }
    PlannedQuery keep =
        planner.plan(
            select(
                storedColumns(target, alias),
                writeSource(target, alias),
                SqlStdOperatorTable.NOT.createCall(POS, deleted)));
    RelNode keepRel = restrictScan(keep.rel(), target, candidates);
    List<NewDataFile> files = write(ctx, ParameterBinder.bindByIndex(keepRel, parameters), target);
    commit(
        ctx,
        target,
        "DELETE",
        Map.of("predicate", hasCondition ? "(user predicate)" : "true"),
        files,
        candidates);
    return new StatementResult.UpdateCount(affected.rows());
  }

  // ---- UPDATE ----

  private static StatementResult update(
      StatementContext ctx,
      QueryPlanner planner,
      SqlUpdate update,
      Function<Integer, SqlNode> reparse,
      List<Object> parameters) {
    Target target = target(ctx, planner, update.getTargetTable());
    TableSchema schema = target.snapshot().schema();
    SqlNodeList targetColumns = update.getTargetColumnList();
    Map<Integer, Integer> assignment = new java.util.HashMap<>();
    for (int i = 0; i < targetColumns.size(); i++) {
      SqlIdentifier id = (SqlIdentifier) targetColumns.get(i);
      String name = id.names.get(id.names.size() - 1);
      int index = indexOf(schema, name);
      if (index < 0) {
        throw new PlannerException(
            PlannerErrorCode.UNRESOLVED_COLUMN,
            "column " + name + " is not a column of " + target.name(),
            id.getParserPosition().getLineNum(),
            id.getParserPosition().getColumnNum(),
            null);
      }
      if (assignment.put(index, i) != null) {
        throw GatewayErrorCode.DUPLICATE_ASSIGNMENT.exception(
            "column " + name + " is assigned twice");
      }
    }
    boolean hasCondition = update.getCondition() != null;
    SqlUpdate forCount = hasCondition ? (SqlUpdate) reparse.apply(0) : update;
    Affected affected =
        affected(ctx, planner, target, forCount.getAlias(), forCount.getCondition(), parameters);
    List<DataFile> candidates = affected.candidates();
    if (affected.rows() == 0) {
      return new StatementResult.UpdateCount(0);
    }
    List<SqlNode> selectList = new ArrayList<>();
    int copy = 1;
    // A secured target: read through its write read, under the statement's alias (or the table's
    // name); a row keeps its stored values unless the filter shows it and the condition holds.
    SqlIdentifier alias =
        target.secured() ? writeAlias(target, update.getAlias()) : update.getAlias();
    for (int c = 0; c < schema.columns().size(); c++) {
      String name = schema.columns().get(c).name();
      SqlIdentifier column =
          target.secured() ? stored(alias, name) : column(update.getAlias(), name);
      Integer source = assignment.get(c);
      SqlNode value;
      if (source == null && schema.columns().get(c).generationExpression().isPresent()) {
        // Recomputed from the row's new values (GeneratedColumnValues); the same for a row the
        // statement does not change.
        value =
            SqlStdOperatorTable.CAST.createCall(
                POS, SqlLiteral.createNull(POS), sqlType(schema.columns().get(c)));
      } else if (source == null) {
        value = column;
      } else {
        SqlUpdate fresh = (SqlUpdate) reparse.apply(copy++);
        SqlNode expr = fresh.getSourceExpressionList().get(source);
        if (ColumnDefaultValues.isDefault(expr)) {
          expr = ColumnDefaultValues.value(planner, schema.columns().get(c));
        }
        SqlNode when =
            hasCondition ? SqlStdOperatorTable.IS_TRUE.createCall(POS, fresh.getCondition()) : null;
        if (target.secured()) {
          expr = unqualify(expr, target, update.getAlias());
          when =
              when == null
                  ? visible(alias)
                  : SqlStdOperatorTable.AND.createCall(
                      POS, visible(alias), unqualify(when, target, update.getAlias()));
        }
        value =
            when != null
                ? new SqlCase(POS, null, SqlNodeList.of(when), SqlNodeList.of(expr), column)
                : expr;
      }
      selectList.add(SqlStdOperatorTable.AS.createCall(POS, value, new SqlIdentifier(name, POS)));
    }
    PlannedQuery rewrite =
        planner.plan(
            select(
                new SqlNodeList(selectList, POS),
                target.secured() ? writeSource(target, alias) : from(target, update.getAlias()),
                null));
    checkAssignable(rewrite.rowType(), schema, target);
    RelNode rel = restrictScan(rewrite.rel(), target, candidates);
    List<NewDataFile> files = write(ctx, ParameterBinder.bindByIndex(rel, parameters), target);
    commit(
        ctx,
        target,
        "UPDATE",
        Map.of("predicate", hasCondition ? "(user predicate)" : "true"),
        files,
        candidates);
    return new StatementResult.UpdateCount(affected.rows());
  }

  // ---- MERGE ----

  private static final String TARGET_FLAG = "__aquifer_target";
  private static final String TARGET_ROW = "__aquifer_row";

  /**
   * A MERGE clause resolved against the target: its rows' group, its condition (or null), whether
   * it deletes, and the values it gives columns (by the target's column index; an INSERT gives
   * every column one).
   */
  private record MergeClause(
      SqlMergeInto.When when, SqlNode condition, boolean delete, Map<Integer, SqlNode> values) {}

  /**
   * MERGE INTO with any number of WHEN clauses, as one pass: the target FULL (or LEFT) JOIN the
   * source, each output column a CASE over the clauses in order (the first clause of a group whose
   * condition holds acts), rows a DELETE clause takes and unmatched source rows no INSERT takes
   * dropped; the result replaces the target's files in one commit. Before that, a target row that
   * two source rows match and a WHEN MATCHED clause would change fails the statement.
   */
  private static StatementResult merge(
      StatementContext ctx, QueryPlanner planner, SqlMergeInto merge, List<Object> parameters) {
    Target target = target(ctx, planner, merge.target());
    TableSchema schema = target.snapshot().schema();
    SqlIdentifier alias =
        merge.alias() != null ? merge.alias() : new SqlIdentifier(target.name().table(), POS);
    // Without an alias the target is read under its table name: a column named through its schema
    // or catalog (main.s.t.c) names it through that name.
    Function<SqlNode, SqlNode> own = n -> merge.alias() == null ? unqualify(n, target, null) : n;
    SqlNode sourceRef = merge.source();
    SqlIdentifier sourceAlias = sourceAlias(sourceRef);
    checkClauseConditions(merge.clauses());
    List<String> sourceColumns = sourceColumns(planner, sourceRef);

    List<MergeClause> clauses = new ArrayList<>();
    for (SqlMergeInto.Clause c : merge.clauses()) {
      SqlNode condition = c.condition() == null ? null : own.apply(c.condition());
      Map<Integer, SqlNode> values = new java.util.HashMap<>();
      switch (c.action()) {
        case DELETE -> {}
        case UPDATE -> {
          for (int i = 0; i < c.columns().size(); i++) {
            SqlIdentifier id = (SqlIdentifier) c.columns().get(i);
            String name = id.names.get(id.names.size() - 1);
            int index = indexOf(schema, name);
            if (index < 0) {
              throw new PlannerException(
                  PlannerErrorCode.UNRESOLVED_COLUMN,
                  "column " + id + " is not a column of " + target.name(),
                  id.getParserPosition().getLineNum(),
                  id.getParserPosition().getColumnNum(),
                  null);
            }
            SqlNode expr = c.values().get(i);
            SqlNode value =
                ColumnDefaultValues.isDefault(expr)
                    ? ColumnDefaultValues.value(planner, schema.columns().get(index))
                    : own.apply(expr);
            if (values.put(index, value) != null) {
              throw GatewayErrorCode.DUPLICATE_ASSIGNMENT.exception(
                  "column " + name + " is assigned twice");
            }
          }
          for (int g = 0; g < schema.columns().size(); g++) {
            Column column = schema.columns().get(g);
            if (column.generationExpression().isPresent() && !values.containsKey(g)) {
              // Recomputed from the updated row (GeneratedColumnValues).
              values.put(
                  g,
                  SqlStdOperatorTable.CAST.createCall(
                      POS, SqlLiteral.createNull(POS), sqlType(column)));
            }
          }
        }
        case UPDATE_STAR, INSERT_STAR -> {
          String clause = c.action() == SqlMergeInto.Action.UPDATE_STAR ? "UPDATE" : "INSERT";
          for (int i = 0; i < schema.columns().size(); i++) {
            String name = schema.columns().get(i).name();
            String found =
                sourceColumns.stream().filter(name::equalsIgnoreCase).findFirst().orElse(null);
            if (found == null) {
              throw GatewayErrorCode.DELTA_MERGE_UNRESOLVED_EXPRESSION.exception(
                  "Cannot resolve "
                      + sourceAlias.getSimple()
                      + "."
                      + name
                      + " in "
                      + clause
                      + " clause given columns "
                      + String.join(
                          ", ",
                          sourceColumns.stream()
                              .map(n -> sourceAlias.getSimple() + "." + n)
                              .toList())
                      + " of the source");
            }
            values.put(i, new SqlIdentifier(List.of(sourceAlias.getSimple(), found), POS));
          }
        }
        case INSERT -> {
          SqlNodeList insertColumns = c.columns();
          checkMergeInsert(target, schema, insertColumns, c.values().size());
          for (int col = 0; col < schema.columns().size(); col++) {
            Column column = schema.columns().get(col);
            SqlNode value =
                column.defaultValue().isPresent()
                    ? ColumnDefaultValues.value(planner, column)
                    : SqlLiteral.createNull(POS);
            for (int i = 0; i < c.values().size(); i++) {
              String listed;
              if (insertColumns == null) {
                listed = schema.columns().get(i).name();
              } else {
                SqlIdentifier id = (SqlIdentifier) insertColumns.get(i);
                listed = id.names.get(id.names.size() - 1);
              }
              if (listed.equalsIgnoreCase(column.name())) {
                value = sourceOnly(c.values().get(i), sourceAlias, sourceColumns);
              }
            }
            if (ColumnDefaultValues.isDefault(value)) {
              value = ColumnDefaultValues.value(planner, column);
            }
            if (value instanceof SqlLiteral lit && lit.getTypeName() == SqlTypeName.NULL) {
              value = SqlStdOperatorTable.CAST.createCall(POS, value, sqlType(column));
            }
            values.put(col, value);
          }
        }
        default -> throw GatewayErrors.internal("MERGE action " + c.action(), null);
      }
      clauses.add(
          new MergeClause(c.when(), condition, c.action() == SqlMergeInto.Action.DELETE, values));
    }
    SqlNode on = own.apply(merge.condition());
    boolean inserts = clauses.stream().anyMatch(c -> c.when() == SqlMergeInto.When.NOT_MATCHED);

    // A target row that two source rows match and a WHEN MATCHED clause changes is ambiguous (a
    // lone unconditional DELETE is not: either match deletes the row).
    List<MergeClause> matched =
        clauses.stream().filter(c -> c.when() == SqlMergeInto.When.MATCHED).toList();
    boolean onlyUnconditionalDelete =
        matched.size() == 1 && matched.get(0).delete() && matched.get(0).condition() == null;
    if (!matched.isEmpty() && !onlyUnconditionalDelete) {
      SqlNode join =
          mergeJoin(
              target,
              alias,
              sourceRef,
              sourceAlias,
              on,
              true,
              org.apache.calcite.sql.JoinType.INNER);
      SqlSelect perRow =
          new SqlSelect(
              POS,
              null,
              SqlNodeList.of(new SqlIdentifier(List.of(alias.getSimple(), TARGET_ROW), POS)),
              join,
              mergeCase(
                  clauses,
                  target,
                  alias,
                  sourceAlias,
                  c -> SqlLiteral.createBoolean(true, POS),
                  false),
              SqlNodeList.of(new SqlIdentifier(List.of(alias.getSimple(), TARGET_ROW), POS)),
              SqlStdOperatorTable.GREATER_THAN.createCall(
                  POS,
                  SqlStdOperatorTable.COUNT.createCall(POS, SqlIdentifier.star(POS)),
                  SqlLiteral.createExactNumeric("1", POS)),
              null,
              null,
              null,
              null,
              null,
              null);
      long ambiguous =
          single(
              ctx,
              planner.plan(
                  select(
                      countStar(),
                      SqlStdOperatorTable.AS.createCall(
                          POS, perRow, new SqlIdentifier("__aquifer_ambiguous", POS)),
                      null)),
              parameters);
      if (ambiguous > 0) {
        throw GatewayErrorCode.DELTA_MULTIPLE_SOURCE_ROW_MATCHING_TARGET_ROW_IN_MERGE.exception(
            "Cannot perform Merge as multiple source rows matched and attempted to modify the same"
                + " target row in the Delta table in possibly conflicting ways ("
                + ambiguous
                + " target row(s)); preprocess the source so that at most one source row matches"
                + " each target row");
      }
    }

    org.apache.calcite.sql.JoinType joinType =
        inserts ? org.apache.calcite.sql.JoinType.FULL : org.apache.calcite.sql.JoinType.LEFT;
    long affected =
        single(
            ctx,
            planner.plan(
                select(
                    countStar(),
                    mergeJoin(target, alias, sourceRef, sourceAlias, on, false, joinType),
                    mergeCase(
                        clauses,
                        target,
                        alias,
                        sourceAlias,
                        c -> SqlLiteral.createBoolean(true, POS),
                        false))),
            parameters);
    if (affected == 0) {
      return new StatementResult.UpdateCount(0);
    }

    List<SqlNode> selectList = new ArrayList<>();
    for (int col = 0; col < schema.columns().size(); col++) {
      String name = schema.columns().get(col).name();
      int index = col;
      SqlNode value;
      if (clauses.stream().noneMatch(c -> c.values().containsKey(index))) {
        value = kept(target, alias, name);
      } else {
        value =
            mergeCase(
                clauses,
                target,
                alias,
                sourceAlias,
                c ->
                    c.values().containsKey(index)
                        ? copy(c.values().get(index))
                        : kept(target, alias, name),
                false);
        ((SqlCase) value).setOperand(3, kept(target, alias, name));
      }
      selectList.add(SqlStdOperatorTable.AS.createCall(POS, value, new SqlIdentifier(name, POS)));
    }
    SqlNode keep =
        mergeCase(
            clauses,
            target,
            alias,
            sourceAlias,
            c -> SqlLiteral.createBoolean(!c.delete(), POS),
            true);
    PlannedQuery rewrite =
        planner.plan(
            select(
                new SqlNodeList(selectList, POS),
                mergeJoin(target, alias, sourceRef, sourceAlias, on, false, joinType),
                keep));
    checkAssignable(rewrite.rowType(), schema, target);
    List<NewDataFile> files =
        write(ctx, ParameterBinder.bindByIndex(rewrite.rel(), parameters), target);
    commit(ctx, target, "MERGE", Map.of(), files, target.snapshot().files());
    return new StatementResult.UpdateCount(affected);
  }

  /**
   * Every clause without a condition must be the last of its group (WHEN MATCHED, WHEN NOT MATCHED
   * [BY TARGET], WHEN NOT MATCHED BY SOURCE), as in Databricks: a later one could never act.
   */
  private static void checkClauseConditions(List<SqlMergeInto.Clause> clauses) {
    for (SqlMergeInto.When when : SqlMergeInto.When.values()) {
      List<SqlMergeInto.Clause> group = clauses.stream().filter(c -> c.when() == when).toList();
      for (int i = 0; i < group.size() - 1; i++) {
        if (group.get(i).condition() == null) {
          GatewayErrorCode code =
              switch (when) {
                case MATCHED -> GatewayErrorCode.NON_LAST_MATCHED_CLAUSE_OMIT_CONDITION;
                case NOT_MATCHED ->
                    GatewayErrorCode.NON_LAST_NOT_MATCHED_BY_TARGET_CLAUSE_OMIT_CONDITION;
                case NOT_MATCHED_BY_SOURCE ->
                    GatewayErrorCode.NON_LAST_NOT_MATCHED_BY_SOURCE_CLAUSE_OMIT_CONDITION;
              };
          throw code.exception(
              "When there are more than one "
                  + when.name().replace('_', ' ')
                  + " clauses in a MERGE statement, only the last one can omit the condition");
        }
      }
    }
  }

  /** The source's column names, in order. */
  private static List<String> sourceColumns(QueryPlanner planner, SqlNode sourceRef) {
    return planner.validateQuery(select(star(), copy(sourceRef), null)).getFieldNames();
  }

  /**
   * An INSERT value sees only the source: a bare column name the source has is named through the
   * source's alias (the target, outer-joined, has a column of that name too).
   */
  private static SqlNode sourceOnly(
      SqlNode value, SqlIdentifier sourceAlias, List<String> columns) {
    return value.accept(
        new org.apache.calcite.sql.util.SqlShuttle() {
          @Override
          public SqlNode visit(SqlIdentifier id) {
            if (id.names.size() == 1
                && !id.isStar()
                && columns.stream().anyMatch(id.getSimple()::equalsIgnoreCase)) {
              return new SqlIdentifier(
                  List.of(sourceAlias.getSimple(), id.getSimple()), id.getParserPosition());
            }
            return id;
          }
        });
  }

  /**
   * {@code (SELECT *, TRUE AS flag [, ROW_NUMBER() OVER () AS row] FROM target) AS alias JOIN
   * (SELECT *, TRUE AS flag FROM source) AS sourceAlias ON condition}: each side flagged, so that
   * an outer join tells matched from unmatched rows. A secured target is read through its write
   * read, and only rows its filter shows the caller can match.
   */
  private static SqlNode mergeJoin(
      Target target,
      SqlIdentifier alias,
      SqlNode sourceRef,
      SqlIdentifier sourceAlias,
      SqlNode on,
      boolean rowNumbers,
      org.apache.calcite.sql.JoinType type) {
    List<SqlNode> targetItems = new ArrayList<>();
    targetItems.add(SqlIdentifier.star(POS));
    targetItems.add(
        SqlStdOperatorTable.AS.createCall(
            POS, SqlLiteral.createBoolean(true, POS), new SqlIdentifier(TARGET_FLAG, POS)));
    if (rowNumbers) {
      // Ordered by a scalar column of the target: engines such as Spark want row_number() ordered
      // (ties still get distinct numbers).
      List<SqlNode> order = new ArrayList<>();
      for (Column column : target.snapshot().schema().columns()) {
        if (column.type() instanceof io.aquifer.storage.types.PrimitiveType
            || column.type() instanceof io.aquifer.storage.types.DecimalType) {
          order.add(new SqlIdentifier(column.name(), POS));
          break;
        }
      }
      SqlNode window =
          org.apache.calcite.sql.SqlWindow.create(
              null,
              null,
              SqlNodeList.EMPTY,
              new SqlNodeList(order, POS),
              SqlLiteral.createBoolean(false, POS),
              null,
              null,
              null,
              POS);
      targetItems.add(
          SqlStdOperatorTable.AS.createCall(
              POS,
              SqlStdOperatorTable.OVER.createCall(
                  POS, SqlStdOperatorTable.ROW_NUMBER.createCall(POS), window),
              new SqlIdentifier(TARGET_ROW, POS)));
    }
    SqlNode targetSide =
        SqlStdOperatorTable.AS.createCall(
            POS,
            select(
                new SqlNodeList(targetItems, POS),
                target.secured() ? writeSource(target, alias) : from(target, alias),
                null),
            alias);
    SqlNode sourceSide =
        SqlStdOperatorTable.AS.createCall(
            POS,
            select(
                SqlNodeList.of(
                    SqlIdentifier.star(POS),
                    SqlStdOperatorTable.AS.createCall(
                        POS,
                        SqlLiteral.createBoolean(true, POS),
                        new SqlIdentifier(MATCHED_FLAG, POS))),
                copy(sourceRef),
                null),
            sourceAlias);
    SqlNode condition = copy(on);
    if (target.secured()) {
      condition = SqlStdOperatorTable.AND.createCall(POS, visible(alias), condition);
    }
    return new org.apache.calcite.sql.SqlJoin(
        POS,
        targetSide,
        SqlLiteral.createBoolean(false, POS),
        type.symbol(POS),
        sourceSide,
        org.apache.calcite.sql.JoinConditionType.ON.symbol(POS),
        condition);
  }

  /**
   * {@code CASE WHEN <clause 1 applies> THEN then(1) ... ELSE ...}: the clauses in order (the
   * groups exclude each other, so within a group the first that applies wins). The ELSE is FALSE,
   * or for the rows to keep ({@code keep}) FALSE for a source row no INSERT takes and TRUE else.
   */
  private static SqlCase mergeCase(
      List<MergeClause> clauses,
      Target target,
      SqlIdentifier alias,
      SqlIdentifier sourceAlias,
      Function<MergeClause, SqlNode> then,
      boolean keep) {
    List<SqlNode> whens = new ArrayList<>();
    List<SqlNode> thens = new ArrayList<>();
    for (MergeClause c : clauses) {
      SqlNode applies = group(c.when(), target, alias, sourceAlias);
      if (c.condition() != null) {
        applies =
            SqlStdOperatorTable.AND.createCall(
                POS, applies, SqlStdOperatorTable.IS_TRUE.createCall(POS, copy(c.condition())));
      }
      whens.add(applies);
      thens.add(then.apply(c));
    }
    if (keep) {
      whens.add(group(SqlMergeInto.When.NOT_MATCHED, target, alias, sourceAlias));
      thens.add(SqlLiteral.createBoolean(false, POS));
    }
    return new SqlCase(
        POS,
        null,
        new SqlNodeList(whens, POS),
        new SqlNodeList(thens, POS),
        SqlLiteral.createBoolean(keep, POS));
  }

  /** Whether a joined row belongs to a group of clauses (matched, source only, target only). */
  private static SqlNode group(
      SqlMergeInto.When when, Target target, SqlIdentifier alias, SqlIdentifier sourceAlias) {
    SqlNode targetRow =
        SqlStdOperatorTable.IS_TRUE.createCall(
            POS, new SqlIdentifier(List.of(alias.getSimple(), TARGET_FLAG), POS));
    SqlNode sourceRow =
        SqlStdOperatorTable.IS_TRUE.createCall(
            POS, new SqlIdentifier(List.of(sourceAlias.getSimple(), MATCHED_FLAG), POS));
    return switch (when) {
      case MATCHED -> SqlStdOperatorTable.AND.createCall(POS, targetRow, sourceRow);
      case NOT_MATCHED -> SqlStdOperatorTable.NOT.createCall(POS, targetRow);
      case NOT_MATCHED_BY_SOURCE -> {
        SqlNode onlyTarget =
            SqlStdOperatorTable.AND.createCall(
                POS, targetRow, SqlStdOperatorTable.NOT.createCall(POS, sourceRow));
        // A secured target: only rows the filter shows the caller are changed.
        yield target.secured()
            ? SqlStdOperatorTable.AND.createCall(POS, onlyTarget, visible(alias))
            : onlyTarget;
      }
    };
  }

  /** The kept value of a target column: its stored value for a secured target. */
  private static SqlIdentifier kept(Target target, SqlIdentifier alias, String name) {
    return target.secured()
        ? stored(alias, name)
        : new SqlIdentifier(List.of(alias.getSimple(), name), POS);
  }

  /** A deep copy of a parse tree: Calcite's validation rewrites the nodes it validates. */
  private static SqlNode copy(SqlNode node) {
    if (node == null) {
      return null;
    }
    return node.accept(
        new org.apache.calcite.sql.util.SqlShuttle() {
          @Override
          public SqlNode visit(SqlIdentifier id) {
            return id.clone(id.getParserPosition());
          }

          @Override
          public SqlNode visit(SqlCall call) {
            ArgHandler<SqlNode> handler = new CallCopyingArgHandler(call, true);
            call.getOperator().acceptCall(this, call, false, handler);
            return handler.result();
          }
        });
  }

  /**
   * MERGE ... INSERT [(columns)] VALUES (...): as many values as columns (all of the target's
   * without a list), each listed column a column of the target, none twice.
   */
  private static void checkMergeInsert(
      Target target, TableSchema schema, SqlNodeList insertColumns, int values) {
    if (insertColumns == null) {
      if (values != schema.columns().size()) {
        throw arity(target, schema.columns().size(), values);
      }
      return;
    }
    if (insertColumns.size() != values) {
      throw arity(target, insertColumns.size(), values);
    }
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (SqlNode node : insertColumns) {
      SqlIdentifier id = (SqlIdentifier) node;
      int index = indexOf(schema, id.names.get(id.names.size() - 1));
      if (index < 0) {
        throw new PlannerException(
            PlannerErrorCode.UNRESOLVED_COLUMN,
            "column " + id + " is not a column of " + target.name());
      }
      if (!seen.add(index)) {
        throw new PlannerException(
            PlannerErrorCode.INVALID_STATEMENT, "column " + id + " is inserted twice");
      }
    }
  }

  private static org.apache.calcite.sql.SqlDataTypeSpec sqlType(Column column) {
    RelDataType type =
        CalciteTypes.toCalcite(
            new org.apache.calcite.sql.type.SqlTypeFactoryImpl(
                io.aquifer.planner.calcite.AquiferTypeSystem.INSTANCE),
            column.type(),
            true);
    return org.apache.calcite.sql.type.SqlTypeUtil.convertTypeToSpec(type);
  }

  private static SqlIdentifier sourceAlias(SqlNode sourceRef) {
    if (sourceRef.getKind() == SqlKind.AS) {
      return (SqlIdentifier) ((SqlCall) sourceRef).operand(1);
    }
    if (sourceRef instanceof SqlIdentifier id) {
      return new SqlIdentifier(id.names.get(id.names.size() - 1), POS);
    }
    throw new PlannerException(
        PlannerErrorCode.INVALID_STATEMENT, "MERGE needs an alias for a subquery source");
  }

  // ---- shared steps ----

  /**
   * INSERT OVERWRITE of a table with a row filter is refused, as Databricks refuses it: it would
   * remove rows the caller cannot see. (Column masks alone do not stop it: it reads nothing of the
   * target that it writes back.)
   */
  private static void refuseFiltered(Target target, String operation) {
    if (target.rowFilter()) {
      throw GatewayErrorCode.ROW_LEVEL_SECURITY_FEATURE_NOT_SUPPORTED.exception(
          "Row level security policies for "
              + target.name()
              + " are not supported: "
              + operation
              + " would remove rows the row filter hides from the caller; use DELETE and INSERT,"
              + " or drop the filter first (ALTER TABLE ... DROP ROW FILTER)");
    }
  }

  /** The alias a secured target's write read goes by: the statement's, or the table's name. */
  private static SqlIdentifier writeAlias(Target target, SqlIdentifier alias) {
    return alias != null ? alias : new SqlIdentifier(target.name().table(), POS);
  }

  /**
   * {@code catalog.schema.table<write> AS alias}: a secured target's every row, stored values too.
   */
  private static SqlNode writeSource(Target target, SqlIdentifier alias) {
    SqlIdentifier table =
        new SqlIdentifier(
            List.of(
                target.name().catalog(),
                target.name().schema(),
                target.name().table() + SecuredTable.WRITE),
            POS);
    return SqlStdOperatorTable.AS.createCall(POS, table, alias);
  }

  /** A column's stored (unmasked) value in a write read. */
  private static SqlIdentifier stored(SqlIdentifier alias, String name) {
    return new SqlIdentifier(List.of(alias.getSimple(), SecuredTable.storedColumn(name)), POS);
  }

  /** Whether the row filter shows a row of a write read to the caller (never NULL). */
  private static SqlIdentifier visible(SqlIdentifier alias) {
    return new SqlIdentifier(List.of(alias.getSimple(), SecuredTable.VISIBLE), POS);
  }

  /** Every column's stored value, under its name, in the table's order. */
  private static SqlNodeList storedColumns(Target target, SqlIdentifier alias) {
    List<SqlNode> items = new ArrayList<>();
    for (Column column : target.snapshot().schema().columns()) {
      items.add(
          SqlStdOperatorTable.AS.createCall(
              POS, stored(alias, column.name()), new SqlIdentifier(column.name(), POS)));
    }
    return new SqlNodeList(items, POS);
  }

  /**
   * A statement without an alias, whose target is read under the table's name: a column named
   * through the table's schema or catalog ({@code main.s.t.c}, {@code s.t.c}) is named through the
   * table's name ({@code t.c}). With an alias the statement names columns through it.
   */
  private static SqlNode unqualify(SqlNode node, Target target, SqlIdentifier alias) {
    if (node == null || alias != null) {
      return node;
    }
    List<String> full =
        List.of(target.name().catalog(), target.name().schema(), target.name().table());
    return node.accept(
        new org.apache.calcite.sql.util.SqlShuttle() {
          @Override
          public SqlNode visit(SqlIdentifier id) {
            for (int prefix = 3; prefix >= 2; prefix--) {
              if (id.names.size() > prefix
                  && startsWith(id.names, full.subList(3 - prefix, 3), prefix)) {
                List<String> names = new ArrayList<>();
                names.add(target.name().table());
                names.addAll(id.names.subList(prefix, id.names.size()));
                return new SqlIdentifier(names, id.getParserPosition());
              }
            }
            return id;
          }
        });
  }

  private static boolean startsWith(List<String> names, List<String> prefix, int length) {
    for (int i = 0; i < length; i++) {
      if (!names.get(i).equalsIgnoreCase(prefix.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static Target target(StatementContext ctx, QueryPlanner planner, SqlNode table) {
    if (!(table instanceof SqlIdentifier id)) {
      throw new PlannerException(
          PlannerErrorCode.INVALID_STATEMENT, "the target of a write must be a table name");
    }
    TableName name = ctx.tableName(id.names);
    if (name.table().indexOf(io.aquifer.planner.parse.TimeTravelRewriter.MARKER) >= 0) {
      throw new PlannerException(
          PlannerErrorCode.INVALID_TIME_TRAVEL_SPEC, "cannot write to an old version of a table");
    }
    TableInfo info =
        ctx.catalog()
            .getTable(name)
            .orElseThrow(
                () ->
                    new PlannerException(
                        PlannerErrorCode.TABLE_OR_VIEW_NOT_FOUND,
                        "table " + name + " does not exist",
                        id.getParserPosition().getLineNum(),
                        id.getParserPosition().getColumnNum(),
                        null));
    if (info.kind() == TableKind.VIEW) {
      throw GatewayErrorCode.EXPECT_TABLE_NOT_VIEW.exception(
          name + " is a view; views cannot be written");
    }
    ctx.access().requireModify(name);
    ctx.execution().statistics().writeTable(name.toString());
    URI location = URI.create(info.location().orElseThrow());
    DeltaSnapshot snapshot = planner.snapshot(location);
    io.aquifer.catalog.TablePolicies policies = ctx.catalog().functions().policies(name);
    if (!policies.isEmpty()) {
      planner.allowWriteTarget(List.of(name.catalog(), name.schema(), name.table()));
    }
    return new Target(name, location, snapshot, id, policies);
  }

  private static SqlNode from(Target target, SqlIdentifier alias) {
    SqlIdentifier table =
        new SqlIdentifier(
            List.of(target.name().catalog(), target.name().schema(), target.name().table()), POS);
    return alias == null ? table : SqlStdOperatorTable.AS.createCall(POS, table, alias);
  }

  private static SqlIdentifier column(SqlIdentifier alias, String name) {
    return alias == null
        ? new SqlIdentifier(name, POS)
        : new SqlIdentifier(List.of(alias.getSimple(), name), POS);
  }

  private static SqlSelect select(SqlNodeList selectList, SqlNode from, SqlNode where) {
    return new SqlSelect(
        POS, null, selectList, from, where, null, null, null, null, null, null, null, null);
  }

  private static SqlNodeList countStar() {
    return SqlNodeList.of(SqlStdOperatorTable.COUNT.createCall(POS, SqlIdentifier.star(POS)));
  }

  private static SqlNodeList star() {
    return SqlNodeList.of(SqlIdentifier.star(POS));
  }

  /** The rows a DELETE or UPDATE changes and the files that may hold them. */
  private record Affected(long rows, List<DataFile> candidates) {}

  /**
   * Counts the rows {@code condition} selects (every row without one) and the files that may hold
   * them: those the planner's pruning keeps for the count, or every file of the snapshot.
   */
  private static Affected affected(
      StatementContext ctx,
      QueryPlanner planner,
      Target target,
      SqlIdentifier alias,
      SqlNode condition,
      List<Object> parameters) {
    if (condition == null) {
      return new Affected(countAll(ctx, planner, target, alias), target.snapshot().files());
    }
    PlannedQuery count = planner.plan(select(countStar(), from(target, alias), condition));
    return new Affected(single(ctx, count, parameters), topScan(count.rel(), target).files());
  }

  private static long countAll(
      StatementContext ctx, QueryPlanner planner, Target target, SqlIdentifier alias) {
    return single(ctx, planner.plan(select(countStar(), from(target, alias), null)), List.of());
  }

  private static long single(StatementContext ctx, PlannedQuery plan, List<Object> parameters) {
    RelNode bound = ParameterBinder.bindByIndex(plan.rel(), parameters);
    // The markers are bound now: the query runs without parameters.
    RelDataType none = bound.getCluster().getTypeFactory().createStructType(List.of(), List.of());
    return QueryExecutor.single(ctx, new PlannedQuery(bound, none, plan.scans()));
  }

  /** The scan of the target table in the plan's main tree (not inside subqueries). */
  private static DeltaTableScan topScan(RelNode rel, Target target) {
    return topScan(rel, target.snapshot().location(), target.name());
  }

  /**
   * The first scan of the table at {@code location} in the plan's main tree (not inside
   * subqueries): what a rewrite of that table's files (DELETE, UPDATE, MERGE, OPTIMIZE) reads.
   */
  static DeltaTableScan topScan(RelNode rel, java.net.URI location, TableName name) {
    DeltaTableScan[] found = new DeltaTableScan[1];
    rel.accept(
        new RelShuttleImpl() {
          @Override
          public RelNode visit(TableScan scan) {
            if (found[0] == null
                && scan instanceof DeltaTableScan d
                && d.snapshot().location().equals(location)) {
              found[0] = d;
            }
            return scan;
          }
        });
    if (found[0] == null) {
      throw GatewayErrors.internal("no scan of " + name + " in the rewrite", null);
    }
    return found[0];
  }

  /** Makes the plan read only the given files of the target (the ones being rewritten). */
  private static RelNode restrictScan(RelNode rel, Target target, List<DataFile> files) {
    return restrictScan(rel, topScan(rel, target), files);
  }

  /** Makes {@code scan}, a scan in the plan, read only the given files. */
  static RelNode restrictScan(RelNode rel, DeltaTableScan scan, List<DataFile> files) {
    return rel.accept(
        new RelShuttleImpl() {
          @Override
          public RelNode visit(TableScan s) {
            return s == scan ? scan.withFiles(files) : s;
          }
        });
  }

  private static void checkAssignable(RelDataType rowType, TableSchema schema, Target target) {
    List<RelDataTypeField> fields = rowType.getFieldList();
    for (int i = 0; i < schema.columns().size(); i++) {
      Column column = schema.columns().get(i);
      RelDataType to =
          CalciteTypes.toCalcite(
              new org.apache.calcite.sql.type.SqlTypeFactoryImpl(
                  io.aquifer.planner.calcite.AquiferTypeSystem.INSTANCE),
              column.type(),
              true);
      if (!assignable(to, fields.get(i).getType())) {
        throw new PlannerException(
            PlannerErrorCode.DATATYPE_MISMATCH,
            "cannot write "
                + fields.get(i).getType().getFullTypeString()
                + " into column "
                + column.name()
                + " "
                + column.type().sql()
                + " of "
                + target.name());
      }
    }
  }

  private static List<NewDataFile> write(StatementContext ctx, RelNode rel, Target target) {
    return write(
        ctx,
        CheckConstraintEnforcer.enforce(
            ctx,
            GeneratedColumnValues.compute(ctx, rel, target.snapshot().schema()),
            target.snapshot().schema(),
            CheckConstraintEnforcer.of(ctx, target.location(), target.snapshot().version())),
        target.location(),
        target.snapshot().schema(),
        target.snapshot().partitionColumns());
  }

  /**
   * Has the warehouse write the rows of a query as new data files of the table at {@code location}
   * (nothing is committed): what INSERT, UPDATE, MERGE and CREATE TABLE AS write through.
   */
  static List<NewDataFile> write(
      StatementContext ctx,
      RelNode rel,
      java.net.URI location,
      TableSchema schema,
      List<String> partitionColumns) {
    QueryFragment fragment =
        ctx.warehouse()
            .compile(ctx.nodeQueryId(), rel)
            .withTimeZone(io.aquifer.gateway.SessionSettings.engineTimeZone(ctx.session()));
    ctx.checkCanceled();
    return ctx.warehouse()
        .write(
            new WriteFragment(
                fragment, location, schema, DdlExecutor.TARGET_FILE_ROWS, partitionColumns),
            ctx.execution().statistics()::diskCacheReads);
  }

  /** Commits a change computed from the target's rows (DELETE, UPDATE, MERGE). */
  private static void commit(
      StatementContext ctx,
      Target target,
      String operation,
      Map<String, String> parameters,
      List<NewDataFile> added,
      List<DataFile> removed) {
    commitNewFiles(
        ctx,
        target.location(),
        new CommitRequest(
            target.snapshot().version(), operation, parameters, added, removed, true));
  }

  /**
   * Whether the plan reads the target table (INSERT ... SELECT from the table itself): then the
   * INSERT is no blind append, and a concurrent commit is a conflict for it.
   */
  private static boolean scans(RelNode rel, Target target) {
    boolean[] found = {false};
    rel.accept(
        new RelShuttleImpl() {
          @Override
          public RelNode visit(TableScan scan) {
            if (scan instanceof DeltaTableScan d
                && d.snapshot().location().equals(target.snapshot().location())) {
              found[0] = true;
            }
            return scan;
          }
        });
    return found[0];
  }

  /**
   * Commits files the node wrote as one Delta transaction. When the statement can no longer commit
   * (canceled) or a concurrent commit won, the new files are deleted again, so a failed write
   * leaves no trace.
   */
  static void commitNewFiles(StatementContext ctx, URI location, CommitRequest request) {
    try {
      ctx.execution().beginCommit();
    } catch (RuntimeException e) {
      deleteFiles(request.addedFiles());
      throw e;
    }
    try {
      ctx.deltaTables().commit(location, request);
    } catch (StorageException e) {
      if (e.code() == StorageErrorCode.DELTA_COMMIT_CONFLICT) {
        deleteFiles(request.addedFiles());
      }
      throw e;
    }
  }

  static void deleteFiles(List<NewDataFile> files) {
    for (NewDataFile f : files) {
      try {
        io.aquifer.storage.objects.TableFiles.deleteIfExists(f.path());
      } catch (RuntimeException e) {
        LOG.warn("could not delete uncommitted file {}", f.path(), e);
      }
    }
  }

  private static long rows(List<NewDataFile> files) {
    return files.stream().mapToLong(f -> f.stats().numRecords()).sum();
  }

  private static int indexOf(TableSchema schema, String name) {
    for (int i = 0; i < schema.columns().size(); i++) {
      if (schema.columns().get(i).name().equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }
}
