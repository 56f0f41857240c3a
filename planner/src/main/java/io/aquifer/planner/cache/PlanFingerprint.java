package io.aquifer.planner.cache;

import static java.util.Objects.requireNonNull;

import io.aquifer.planner.calcite.DeltaTableScan;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexVisitorImpl;
import org.apache.calcite.sql.SqlExplainLevel;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.util.Pair;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The canonical text of a validated, optimized plan, for the result cache: two queries with the
 * same plan have the same text whatever their spelling (whitespace, case of keywords, table
 * aliases, names of intermediate columns). The result's own column names and types are part of it,
 * since a client sees them. Every table read is named by its location, snapshot version and commit
 * time.
 *
 * <p>A plan is not cacheable if it writes, reads anything but Delta tables (system tables,
 * information_schema), calls a non-deterministic or time-dependent function, or samples a table
 * ({@code TABLESAMPLE}) without {@code REPEATABLE}.
 *
 * @param canonical the canonical text (empty when not cacheable)
 * @param notCacheableBecause why the plan's result cannot be cached (empty when cacheable)
 * @param tables the tables read, each as {@code location@version}
 */
public record PlanFingerprint(
    String canonical, Optional<String> notCacheableBecause, List<String> tables) {

  /** Functions never cached whatever their operator declares (belt and braces). */
  private static final Set<String> VOLATILE_FUNCTIONS =
      Set.of(
          "RAND",
          "RANDOM",
          "RANDN",
          "UUID",
          "SHUFFLE",
          "NOW",
          "CURRENT_TIMESTAMP",
          "CURRENT_DATE",
          "CURRENT_TIME",
          "LOCALTIMESTAMP",
          "LOCALTIME",
          "CURDATE",
          "UNIX_TIMESTAMP",
          "CURRENT_TIMEZONE",
          "MONOTONICALLY_INCREASING_ID",
          "SPARK_PARTITION_ID",
          "INPUT_FILE_NAME");

  public PlanFingerprint {
    requireNonNull(canonical, "canonical");
    requireNonNull(notCacheableBecause, "notCacheableBecause");
    tables = List.copyOf(tables);
  }

  public boolean cacheable() {
    return notCacheableBecause.isEmpty();
  }

  /** The fingerprint of a plan whose parameters are bound already. */
  public static PlanFingerprint of(RelNode plan) {
    requireNonNull(plan, "plan");
    List<String> tables = new ArrayList<>();
    Optional<String> reason = reasonNotCacheable(plan, tables);
    if (reason.isPresent()) {
      return new PlanFingerprint("", reason, tables);
    }
    StringBuilder out = new StringBuilder();
    out.append("columns:");
    for (RelDataTypeField f : plan.getRowType().getFieldList()) {
      out.append(' ').append(f.getName()).append(' ').append(f.getType().getFullTypeString());
    }
    out.append('\n');
    plan.explain(new CanonicalWriter(out, 0));
    return new PlanFingerprint(out.toString(), Optional.empty(), tables);
  }

  private static Optional<String> reasonNotCacheable(RelNode rel, List<String> tables) {
    if (rel instanceof TableModify) {
      return Optional.of("the statement writes");
    }
    if (rel instanceof org.apache.calcite.rel.core.Sample sample
        && !sample.getSamplingParameters().isRepeatable()) {
      return Optional.of("it samples a table without REPEATABLE, a new sample each run");
    }
    if (rel instanceof io.aquifer.planner.calcite.FileSourceScan) {
      return Optional.of("it reads files with read_files, which may change at any time");
    }
    if (rel instanceof TableScan scan) {
      if (!(scan instanceof DeltaTableScan delta)) {
        return Optional.of(
            "it reads "
                + String.join(".", scan.getTable().getQualifiedName())
                + ", which is not a Delta table");
      }
      tables.add(delta.snapshot().location() + "@" + delta.snapshot().version());
    }
    VolatileFinder finder = new VolatileFinder(tables);
    for (RexNode e : expressions(rel)) {
      e.accept(finder);
      if (finder.reason != null) {
        return Optional.of(finder.reason);
      }
    }
    for (RelNode input : rel.getInputs()) {
      Optional<String> reason = reasonNotCacheable(input, tables);
      if (reason.isPresent()) {
        return reason;
      }
    }
    return Optional.empty();
  }

  private static List<RexNode> expressions(RelNode rel) {
    List<RexNode> found = new ArrayList<>();
    rel.accept(
        new org.apache.calcite.rex.RexShuttle() {
          @Override
          public RexNode visitCall(RexCall call) {
            found.add(call);
            return call;
          }

          @Override
          public RexNode visitSubQuery(RexSubQuery subQuery) {
            found.add(subQuery);
            return subQuery;
          }
        });
    return found;
  }

  private static final class VolatileFinder extends RexVisitorImpl<Void> {
    private final List<String> tables;
    private String reason;

    VolatileFinder(List<String> tables) {
      super(true);
      this.tables = tables;
    }

    @Override
    public Void visitCall(RexCall call) {
      check(call.getOperator());
      return reason == null ? super.visitCall(call) : null;
    }

    @Override
    public Void visitSubQuery(RexSubQuery subQuery) {
      check(subQuery.getOperator());
      if (reason == null) {
        reasonNotCacheable(subQuery.rel, tables).ifPresent(r -> reason = r);
      }
      return reason == null ? super.visitSubQuery(subQuery) : null;
    }

    private void check(SqlOperator op) {
      if (reason == null
          && (!op.isDeterministic()
              || op.isDynamicFunction()
              || VOLATILE_FUNCTIONS.contains(op.getName().toUpperCase(Locale.ROOT)))) {
        reason = "it calls " + op.getName() + ", whose value changes from run to run";
      }
    }
  }

  /**
   * Writes a plan tree one node a line, like EXPLAIN, but without the names a query may spell any
   * way it likes: the expressions of a projection and the calls of an aggregation are written
   * without their aliases. Scans of Delta tables are written as location, version and commit time.
   */
  private static final class CanonicalWriter implements RelWriter {
    private final StringBuilder out;
    private final int depth;
    private final List<Pair<String, @Nullable Object>> items = new ArrayList<>();

    CanonicalWriter(StringBuilder out, int depth) {
      this.out = out;
      this.depth = depth;
    }

    @Override
    public void explain(RelNode rel, List<Pair<String, @Nullable Object>> valueList) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SqlExplainLevel getDetailLevel() {
      return SqlExplainLevel.DIGEST_ATTRIBUTES;
    }

    @Override
    public RelWriter item(String term, @Nullable Object value) {
      items.add(Pair.of(term, value));
      return this;
    }

    @Override
    public RelWriter done(RelNode node) {
      out.append("  ".repeat(depth)).append(node.getRelTypeName());
      boolean unnamed = node instanceof Project || node instanceof Aggregate;
      List<String> fieldNames = node.getRowType().getFieldNames();
      List<RelNode> inputs = new ArrayList<>();
      out.append('(');
      boolean first = true;
      if (node instanceof DeltaTableScan scan) {
        out.append("delta=")
            .append(scan.snapshot().location())
            .append(", version=")
            .append(scan.snapshot().version())
            .append(", committed=")
            .append(scan.snapshot().timestampMillis())
            .append(", files=")
            .append(scan.files().size());
        first = false;
      }
      for (Pair<String, @Nullable Object> item : items) {
        if (item.right instanceof RelNode input) {
          inputs.add(input);
          continue;
        }
        if (node instanceof DeltaTableScan) {
          continue;
        }
        if (!first) {
          out.append(", ");
        }
        first = false;
        if (!(unnamed && fieldNames.contains(item.left))) {
          out.append(item.left).append('=');
        }
        out.append(item.right instanceof Collection<?> c ? List.copyOf(c) : item.right);
      }
      out.append(")\n");
      for (RelNode input : inputs) {
        input.explain(new CanonicalWriter(out, depth + 1));
      }
      return this;
    }
  }
}
