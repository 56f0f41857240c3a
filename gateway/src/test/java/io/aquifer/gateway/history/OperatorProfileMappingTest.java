package io.aquifer.gateway.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;
import org.duckdb.ProfilerPrintFormat;
import org.junit.jupiter.api.Test;

/**
 * {@link OperatorProfileMapping} on profiles DuckDB really produced (profiling as the warehouse
 * node runs it: {@code enable_profiling = 'no_output'}, operator metrics), against the plan outline
 * of the same query as Calcite plans it.
 */
class OperatorProfileMappingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * LogicalSort <- LogicalAggregate <- LogicalProject <- LogicalJoin <- (Filter <- orders,
   * customers).
   */
  private static final String PLAN =
      """
      {"operator":"LogicalSort","detail":"LogicalSort(sort0=[$0], dir0=[ASC])","kind":"SORT",
       "inputs":[{"operator":"LogicalAggregate","detail":"LogicalAggregate(group=[{0}], orders=[COUNT()], total=[SUM($1)])","kind":"AGGREGATE",
        "inputs":[{"operator":"LogicalProject","detail":"LogicalProject(region=[$4], amount=[$2])","kind":"PROJECT",
         "inputs":[{"operator":"LogicalJoin","detail":"LogicalJoin(condition=[=($1, $3)], joinType=[inner])","kind":"JOIN",
          "inputs":[
           {"operator":"LogicalFilter","detail":"LogicalFilter(condition=[>($2, 10)])","kind":"FILTER",
            "inputs":[{"operator":"LogicalTableScan","detail":"LogicalTableScan(table=[[main, p, orders]])","kind":"SCAN",
              "table":"main.p.orders","columns":["id","customer_id","amount"],"inputs":[]}]},
           {"operator":"LogicalTableScan","detail":"LogicalTableScan(table=[[main, p, customers]])","kind":"SCAN",
            "table":"main.p.customers","columns":["id","region"],"inputs":[]}]}]}]}]}
      """;

  private static final String QUERY =
      "SELECT c.region, count(*) AS orders, sum(o.amount) AS total"
          + " FROM orders o JOIN customers c ON o.customer_id = c.id"
          + " WHERE o.amount > 10 GROUP BY c.region ORDER BY c.region";

  @Test
  void mapsScansByTableAndOtherOperatorsByKind() throws Exception {
    JsonNode profile = JSON.readTree(duckDbProfile(QUERY));
    JsonNode mapped = OperatorProfileMapping.map(JSON.readTree(PLAN), profile);

    List<JsonNode> nodes = new ArrayList<>();
    flatten(mapped.get("plan"), nodes);
    JsonNode sort = nodes.get(0);
    JsonNode aggregate = nodes.get(1);
    JsonNode project = nodes.get(2);
    JsonNode join = nodes.get(3);
    JsonNode orders = nodes.get(5);
    JsonNode customers = nodes.get(6);

    assertEquals("main.p.orders", orders.get("table").asText());
    assertEquals(List.of("TABLE_SCAN"), types(orders, true), orders.toString());
    assertEquals(List.of("TABLE_SCAN"), types(customers, true), customers.toString());
    assertEquals(3, customers.get("rows").asLong()); // every customer
    assertEquals(4, orders.get("rows").asLong()); // the filter went into the scan
    assertTrue(types(join, true).contains("HASH_JOIN"), join.toString());
    assertTrue(
        types(aggregate, true).stream().anyMatch(t -> t.endsWith("GROUP_BY")), aggregate + "");
    assertEquals(List.of("ORDER_BY"), types(sort, true), sort.toString());
    assertEquals(2, sort.get("rows").asLong()); // two regions
    // DuckDB's projections and its result collector are not plan nodes of their own kind: they are
    // shown under the nearest mapped ancestor (the collector, at the top, under the root)
    assertTrue(types(sort, false).contains("RESULT_COLLECTOR"), sort.toString());
    assertTrue(project.get("operators").isEmpty(), project.toString());
    assertTrue(project.get("rows").isNull());

    // every operator of the profile is shown once, and the times add up
    List<String> all = new ArrayList<>();
    collect(profile.get("operator"), all);
    List<String> shown = new ArrayList<>();
    double sum = 0;
    for (JsonNode n : nodes) {
      for (JsonNode o : n.get("operators")) {
        shown.add(o.get("type").asText());
      }
      sum += n.get("time_ms").asDouble();
    }
    assertEquals(all.stream().sorted().toList(), shown.stream().sorted().toList());
    assertEquals(mapped.get("total_time_ms").asDouble(), sum, 0.01);
  }

  @Test
  void operatorsWithoutALogicalCounterpartGoToTheNearestMappedAncestor() throws Exception {
    // the plan has no filter node and one scan: DuckDB's FILTER (if any) and its scan of the
    // second table have nowhere of their own
    String plan =
        """
        {"operator":"LogicalAggregate","detail":"LogicalAggregate(group=[{}], c=[COUNT()])","kind":"AGGREGATE",
         "inputs":[{"operator":"LogicalTableScan","detail":"LogicalTableScan(table=[[main, p, orders]])","kind":"SCAN",
           "table":"main.p.orders","columns":["id","customer_id","amount"],"inputs":[]}]}
        """;
    JsonNode profile =
        JSON.readTree(duckDbProfile("SELECT count(*) FROM orders WHERE amount + id > 12"));
    JsonNode mapped = OperatorProfileMapping.map(JSON.readTree(plan), profile);
    JsonNode root = mapped.get("plan");
    JsonNode scan = root.get("inputs").get(0);
    assertEquals(List.of("TABLE_SCAN"), types(scan, true));
    assertTrue(types(root, true).contains("UNGROUPED_AGGREGATE"), root.toString());
    for (JsonNode o : root.get("operators")) {
      if (!o.get("mapped").asBoolean()) {
        assertFalse(o.get("type").asText().contains("SCAN"), root.toString());
      }
    }
  }

  @Test
  void engineKinds() {
    assertEquals("SCAN", kind("TABLE_SCAN"));
    assertEquals("SCAN", kind("READ_PARQUET"));
    assertEquals("JOIN", kind("HASH_JOIN"));
    assertEquals("JOIN", kind("NESTED_LOOP_JOIN"));
    assertEquals("JOIN", kind("CROSS_PRODUCT"));
    assertEquals("AGGREGATE", kind("PERFECT_HASH_GROUP_BY"));
    assertEquals("AGGREGATE", kind("UNGROUPED_AGGREGATE"));
    assertEquals("SORT", kind("TOP_N"));
    assertEquals("LIMIT", kind("STREAMING_LIMIT"));
    assertEquals("OTHER", kind("PROJECTION"));
  }

  private static String kind(String type) {
    return OperatorProfileMapping.engineKind(JSON.createObjectNode().put("type", type));
  }

  /** Runs the query on tables orders and customers with profiling as the node does. */
  private static String duckDbProfile(String query) throws Exception {
    try (DuckDBConnection c =
            (DuckDBConnection)
                new DuckDBDriver().connect("jdbc:duckdb:", new java.util.Properties());
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE customers (id BIGINT, region VARCHAR)");
      s.execute("INSERT INTO customers VALUES (1, 'east'), (2, 'west'), (3, 'east')");
      s.execute("CREATE TABLE orders (id BIGINT, customer_id BIGINT, amount DOUBLE)");
      s.execute(
          "INSERT INTO orders VALUES (1, 1, 20.0), (2, 2, 30.0), (3, 3, 5.0), (4, 1, 50.0),"
              + " (5, 2, 12.5)");
      s.execute("SET enable_profiling = 'no_output'");
      s.execute("SET tracked_metrics = ['operator.*']");
      try (ResultSet rs = s.executeQuery(query)) {
        while (rs.next()) {
          // all rows, so the query ends
        }
      }
      return c.getProfilingInformation(ProfilerPrintFormat.JSON);
    }
  }

  private static void flatten(JsonNode node, List<JsonNode> out) {
    out.add(node);
    node.path("inputs").forEach(i -> flatten(i, out));
  }

  private static void collect(JsonNode operators, List<String> out) {
    for (JsonNode o : operators) {
      out.add(o.get("type").asText());
      collect(o.path("children"), out);
    }
  }

  private static List<String> types(JsonNode node, boolean mappedOnly) {
    List<String> out = new ArrayList<>();
    for (JsonNode o : node.get("operators")) {
      if (!mappedOnly || o.get("mapped").asBoolean()) {
        out.add(o.get("type").asText());
      }
    }
    return out;
  }
}
