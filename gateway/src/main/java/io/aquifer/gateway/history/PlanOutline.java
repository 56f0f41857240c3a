package io.aquifer.gateway.history;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.core.Correlate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.SetOp;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.core.Window;

/**
 * The logical plan a query ran, as JSON kept beside the engine's profile in query history: one
 * object per plan node with {@code operator} (Calcite's name, as {@code EXPLAIN} shows it), {@code
 * detail} (its {@code EXPLAIN} line), {@code kind} (what {@link OperatorProfileMapping} maps by:
 * SCAN, JOIN, AGGREGATE, FILTER, SORT, LIMIT, SORT_LIMIT, PROJECT, SET_OP, VALUES, WINDOW, OTHER),
 * for scans {@code table} and {@code columns}, and {@code inputs}.
 */
public final class PlanOutline {
  private PlanOutline() {}

  public static ObjectNode of(RelNode rel) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("operator", rel.getRelTypeName());
    String text = RelOptUtil.toString(rel);
    int end = text.indexOf('\n');
    node.put("detail", (end < 0 ? text : text.substring(0, end)).strip());
    node.put("kind", kind(rel));
    if (rel instanceof TableScan scan && scan.getTable() != null) {
      node.put("table", String.join(".", scan.getTable().getQualifiedName()));
      ArrayNode columns = node.putArray("columns");
      scan.getRowType().getFieldNames().forEach(columns::add);
    }
    ArrayNode inputs = node.putArray("inputs");
    for (RelNode input : rel.getInputs()) {
      inputs.add(of(input));
    }
    return node;
  }

  static String kind(RelNode rel) {
    if (rel instanceof TableScan) {
      return "SCAN";
    }
    if (rel instanceof Join || rel instanceof Correlate) {
      return "JOIN";
    }
    if (rel instanceof Aggregate) {
      return "AGGREGATE";
    }
    if (rel instanceof Filter) {
      return "FILTER";
    }
    if (rel instanceof Sort sort) {
      boolean sorts = !sort.getCollation().getFieldCollations().isEmpty();
      boolean limits = sort.fetch != null || sort.offset != null;
      return sorts && limits ? "SORT_LIMIT" : sorts ? "SORT" : "LIMIT";
    }
    if (rel instanceof Project || rel instanceof Calc) {
      return "PROJECT";
    }
    if (rel instanceof SetOp) {
      return "SET_OP";
    }
    if (rel instanceof Values) {
      return "VALUES";
    }
    if (rel instanceof Window) {
      return "WINDOW";
    }
    return "OTHER";
  }
}
