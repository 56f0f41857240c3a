package io.aquifer.planner;

import static java.util.Objects.requireNonNull;

import io.aquifer.planner.calcite.DeltaTableScan;
import io.aquifer.planner.calcite.SystemTable;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.interpreter.Interpreter;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;

/**
 * Queries over system tables ({@code system.query.history}): their rows live in the gateway, not in
 * Delta files, so such a query runs in the gateway, with Calcite's interpreter over the logical
 * plan, instead of on a warehouse. A query may not read system tables and Delta tables together.
 */
public final class SystemTableQueries {
  private SystemTableQueries() {}

  /**
   * Whether the plan reads system tables. @throws PlannerException UNSUPPORTED_FEATURE if it reads
   * Delta tables too
   */
  public static boolean readsSystemTables(RelNode rel) {
    List<TableScan> scans = new ArrayList<>();
    collectScans(rel, scans);
    List<String> system = new ArrayList<>();
    boolean delta = false;
    for (TableScan scan : scans) {
      SystemTable table = scan.getTable().unwrap(SystemTable.class);
      if (table != null) {
        system.add(String.join(".", table.qualifiedName()));
      } else if (scan instanceof DeltaTableScan) {
        delta = true;
      }
    }
    if (!system.isEmpty() && delta) {
      throw new PlannerException(
          PlannerErrorCode.UNSUPPORTED_FEATURE,
          "system tables ("
              + String.join(", ", system)
              + ") cannot be read together with tables in the same query yet; query them"
              + " separately");
    }
    return !system.isEmpty();
  }

  /**
   * Runs a plan that reads only system tables, in this process. Rows are in Calcite's internal
   * forms: TIMESTAMP as epoch milliseconds (Long), DATE as epoch days (Integer).
   *
   * @param cancelFlag set to stop the interpreter
   */
  public static Enumerable<Object[]> run(
      RelNode rel, JavaTypeFactory typeFactory, AtomicBoolean cancelFlag) {
    requireNonNull(rel, "rel");
    return new Interpreter(new Context(typeFactory, cancelFlag), oneRowPerGlobalAggregate(rel));
  }

  /**
   * Calcite's interpreter gives no row for an aggregate without GROUP BY over no rows, where SQL
   * wants one ({@code count(*)} 0, the others NULL). Each such aggregate becomes a one-row VALUES
   * left-joined with it, COUNT results coalesced to 0.
   */
  static RelNode oneRowPerGlobalAggregate(RelNode rel) {
    return rel.accept(
        new RelShuttleImpl() {
          @Override
          public RelNode visit(LogicalAggregate aggregate) {
            RelNode visited = super.visit(aggregate);
            if (!(visited instanceof Aggregate agg)
                || !agg.getGroupSet().isEmpty()
                || agg.getGroupType() != Aggregate.Group.SIMPLE) {
              return visited;
            }
            RelBuilder b = RelFactories.LOGICAL_BUILDER.create(agg.getCluster(), null);
            RexBuilder rex = agg.getCluster().getRexBuilder();
            b.values(new String[] {"one"}, 1);
            b.push(agg);
            b.join(JoinRelType.LEFT, rex.makeLiteral(true));
            List<RexNode> projects = new ArrayList<>();
            List<RelDataTypeField> fields = agg.getRowType().getFieldList();
            for (int i = 0; i < fields.size(); i++) {
              RexNode field = b.field(1 + i);
              SqlKind kind = agg.getAggCallList().get(i).getAggregation().getKind();
              RexNode value =
                  kind == SqlKind.COUNT
                      ? b.call(
                          SqlStdOperatorTable.COALESCE,
                          field,
                          rex.makeZeroLiteral(fields.get(i).getType()))
                      : field;
              projects.add(rex.makeCast(fields.get(i).getType(), value, true, false));
            }
            b.project(projects, agg.getRowType().getFieldNames(), true);
            return b.build();
          }
        });
  }

  private static void collectScans(RelNode rel, List<TableScan> scans) {
    if (rel instanceof TableScan scan) {
      scans.add(scan);
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

  /** What the interpreter may ask of its context: types, the time, the cancel flag. */
  private record Context(JavaTypeFactory typeFactory, AtomicBoolean cancelFlag)
      implements DataContext {
    @Override
    public SchemaPlus getRootSchema() {
      return null;
    }

    @Override
    public JavaTypeFactory getTypeFactory() {
      return typeFactory;
    }

    @Override
    public QueryProvider getQueryProvider() {
      return null;
    }

    @Override
    public Object get(String name) {
      long now = System.currentTimeMillis();
      if (Variable.UTC_TIMESTAMP.camelName.equals(name)
          || Variable.CURRENT_TIMESTAMP.camelName.equals(name)
          || Variable.LOCAL_TIMESTAMP.camelName.equals(name)) {
        return now;
      }
      if (Variable.TIME_ZONE.camelName.equals(name)) {
        return TimeZone.getTimeZone("UTC");
      }
      if (Variable.CANCEL_FLAG.camelName.equals(name)) {
        return cancelFlag;
      }
      return null;
    }
  }
}
