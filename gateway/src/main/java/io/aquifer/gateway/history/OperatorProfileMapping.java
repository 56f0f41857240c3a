package io.aquifer.gateway.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps the engine's per-operator profile (DuckDB's JSON: an {@code operator} tree of {@code type},
 * {@code timing} in seconds, {@code intermediate_rows}, {@code extra_info}, {@code children}) onto
 * the logical plan of the query ({@link PlanOutline}), for the query history page:
 *
 * <ol>
 *   <li><b>Scans by table.</b> A DuckDB scan ({@code TABLE_SCAN}, {@code READ_PARQUET}, ...) goes
 *       to the logical scan whose columns include every column it projects (DuckDB reads the scan's
 *       view, so it names columns, not tables); among several, the first not yet taken in plan
 *       order; with none, the first scan not yet taken.
 *   <li><b>Other operators by kind and order.</b> DuckDB's joins ({@code *_JOIN}, {@code
 *       CROSS_PRODUCT}), aggregates ({@code *GROUP_BY}, {@code UNGROUPED_AGGREGATE}), filters,
 *       sorts ({@code ORDER_BY}, {@code TOP_N}), limits ({@code LIMIT}, {@code STREAMING_LIMIT},
 *       {@code TOP_N}), windows and unions go, the n-th of a kind in pre-order, to the n-th logical
 *       node of that kind in pre-order (a logical sort with a fetch takes sorts and limits).
 *   <li><b>The rest</b> (projections, result collectors, and operators of a kind with more engine
 *       operators than logical nodes) are shown under the nearest ancestor operator that was
 *       mapped, or under the plan's root.
 * </ol>
 *
 * The answer is the plan tree, each node with {@code operators} (each {@code type}, {@code
 * time_ms}, {@code rows}, {@code mapped}: false for one shown under its nearest mapped ancestor,
 * and {@code extra_info}), {@code time_ms} (the sum of its operators) and {@code rows} (the rows of
 * its topmost mapped operator, or null), plus {@code total_time_ms} of all operators.
 */
public final class OperatorProfileMapping {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private OperatorProfileMapping() {}

  /**
   * @param plan a {@link PlanOutline}
   * @param profile DuckDB's profile (its root object, with {@code operator} or {@code children})
   */
  public static ObjectNode map(JsonNode plan, JsonNode profile) {
    List<JsonNode> logical = new ArrayList<>();
    preOrder(plan, "inputs", logical);
    List<JsonNode> roots = new ArrayList<>();
    if (profile.has("operator")) {
      profile.get("operator").forEach(roots::add);
    } else if (profile.has("children")) {
      profile.get("children").forEach(roots::add);
    }
    List<JsonNode> engine = new ArrayList<>();
    for (JsonNode root : roots) {
      preOrder(root, "children", engine);
    }

    Map<JsonNode, JsonNode> mappedTo = new IdentityHashMap<>();
    // 1. scans by their columns
    Set<JsonNode> takenScans = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (JsonNode op : engine) {
      if (!engineKind(op).equals("SCAN")) {
        continue;
      }
      Set<String> projected = projectedColumns(op);
      JsonNode chosen = null;
      JsonNode firstFree = null;
      for (JsonNode node : logical) {
        if (!"SCAN".equals(node.path("kind").asText()) || takenScans.contains(node)) {
          continue;
        }
        if (firstFree == null) {
          firstFree = node;
        }
        if (!projected.isEmpty() && columns(node).containsAll(projected)) {
          chosen = node;
          break;
        }
      }
      chosen = chosen != null ? chosen : firstFree;
      if (chosen != null) {
        takenScans.add(chosen);
        mappedTo.put(op, chosen);
      }
    }
    // 2. the other kinds by order
    Map<String, Integer> nextOfKind = new HashMap<>();
    for (JsonNode op : engine) {
      String kind = engineKind(op);
      if (kind.equals("SCAN") || kind.equals("OTHER")) {
        continue;
      }
      List<JsonNode> candidates = logical.stream().filter(n -> accepts(n, kind)).toList();
      int n = nextOfKind.merge(kind, 1, Integer::sum) - 1;
      if (n < candidates.size()) {
        mappedTo.put(op, candidates.get(n));
      }
    }

    // 3. attach every operator: mapped ones to their node, the rest to the nearest mapped ancestor
    Map<JsonNode, ArrayNode> operators = new IdentityHashMap<>();
    Map<JsonNode, Double> seconds = new IdentityHashMap<>();
    Map<JsonNode, Long> rows = new IdentityHashMap<>();
    double[] total = {0};
    for (JsonNode root : roots) {
      attach(root, plan, mappedTo, operators, seconds, rows, total);
    }
    ObjectNode out = JSON.objectNode();
    out.set("plan", annotate(plan, operators, seconds, rows));
    out.put("total_time_ms", round(total[0] * 1000));
    return out;
  }

  private static void attach(
      JsonNode op,
      JsonNode nearest,
      Map<JsonNode, JsonNode> mappedTo,
      Map<JsonNode, ArrayNode> operators,
      Map<JsonNode, Double> seconds,
      Map<JsonNode, Long> rows,
      double[] total) {
    JsonNode target = mappedTo.get(op);
    boolean mapped = target != null;
    JsonNode node = mapped ? target : nearest;
    double time = op.path("timing").asDouble(0);
    total[0] += time;
    ObjectNode entry = JSON.objectNode();
    entry.put("type", op.path("type").asText(op.path("operator_type").asText("?")));
    entry.put("time_ms", round(time * 1000));
    entry.put(
        "rows", op.path("intermediate_rows").asLong(op.path("operator_cardinality").asLong()));
    entry.put("mapped", mapped);
    if (op.has("extra_info")) {
      entry.set("extra_info", op.get("extra_info"));
    }
    operators.computeIfAbsent(node, k -> JSON.arrayNode()).add(entry);
    seconds.merge(node, time, Double::sum);
    if (mapped && !rows.containsKey(node)) {
      rows.put(node, entry.get("rows").asLong());
    }
    for (JsonNode child : op.path("children")) {
      attach(child, node, mappedTo, operators, seconds, rows, total);
    }
  }

  private static ObjectNode annotate(
      JsonNode node,
      Map<JsonNode, ArrayNode> operators,
      Map<JsonNode, Double> seconds,
      Map<JsonNode, Long> rows) {
    ObjectNode out = JSON.objectNode();
    node.fields()
        .forEachRemaining(
            f -> {
              if (!f.getKey().equals("inputs")) {
                out.set(f.getKey(), f.getValue());
              }
            });
    out.set("operators", operators.getOrDefault(node, JSON.arrayNode()));
    out.put("time_ms", round(seconds.getOrDefault(node, 0.0) * 1000));
    if (rows.containsKey(node)) {
      out.put("rows", rows.get(node));
    } else {
      out.putNull("rows");
    }
    ArrayNode inputs = out.putArray("inputs");
    for (JsonNode input : node.path("inputs")) {
      inputs.add(annotate(input, operators, seconds, rows));
    }
    return out;
  }

  private static boolean accepts(JsonNode logical, String engineKind) {
    String kind = logical.path("kind").asText();
    if (kind.equals("SORT_LIMIT")) {
      return engineKind.equals("SORT") || engineKind.equals("LIMIT");
    }
    return kind.equals(engineKind);
  }

  /** The kind of a DuckDB operator type, as {@link PlanOutline} names logical kinds. */
  static String engineKind(JsonNode op) {
    String type =
        op.path("type").asText(op.path("operator_type").asText("")).toUpperCase(Locale.ROOT);
    if (type.equals("TABLE_SCAN")
        || type.equals("SEQ_SCAN")
        || type.contains("PARQUET")
        || type.startsWith("READ_")) {
      return "SCAN";
    }
    if (type.endsWith("JOIN") || type.equals("CROSS_PRODUCT")) {
      return "JOIN";
    }
    if (type.endsWith("GROUP_BY") || type.endsWith("AGGREGATE")) {
      return "AGGREGATE";
    }
    if (type.equals("FILTER")) {
      return "FILTER";
    }
    if (type.equals("ORDER_BY") || type.equals("TOP_N")) {
      return "SORT";
    }
    if (type.endsWith("LIMIT") || type.equals("LIMIT_PERCENT")) {
      return "LIMIT";
    }
    if (type.endsWith("WINDOW")) {
      return "WINDOW";
    }
    if (type.equals("UNION")) {
      return "SET_OP";
    }
    return "OTHER";
  }

  private static Set<String> projectedColumns(JsonNode op) {
    Set<String> out = new HashSet<>();
    JsonNode projections = op.path("extra_info").path("Projections");
    List<String> texts = new ArrayList<>();
    if (projections.isArray()) {
      projections.forEach(p -> texts.add(p.asText()));
    } else if (projections.isTextual()) {
      for (String line : projections.asText().split("\n")) {
        texts.add(line);
      }
    }
    for (String text : texts) {
      String name = text.strip();
      if (name.startsWith("\"") && name.endsWith("\"") && name.length() > 1) {
        name = name.substring(1, name.length() - 1);
      }
      if (!name.isEmpty()) {
        out.add(name.toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  private static Set<String> columns(JsonNode scan) {
    Set<String> out = new HashSet<>();
    scan.path("columns").forEach(c -> out.add(c.asText().toLowerCase(Locale.ROOT)));
    return out;
  }

  private static void preOrder(JsonNode node, String childrenField, List<JsonNode> out) {
    out.add(node);
    for (JsonNode child : node.path(childrenField)) {
      preOrder(child, childrenField, out);
    }
  }

  private static double round(double ms) {
    return Math.round(ms * 1000) / 1000.0;
  }
}
