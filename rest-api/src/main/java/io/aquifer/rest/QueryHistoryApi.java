package io.aquifer.rest;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.Principal;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.ResultStream;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.StatementService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Query History 2.0 ({@code GET /api/2.0/sql/history/queries}): a query of {@code
 * system.query.history} through the statement service in a session marked {@link
 * Session#ownQueryHistory}: as Databricks' API, it shows the caller their own statements
 * (everyone's to an admin) and needs no grant on the {@code system} catalog.
 */
final class QueryHistoryApi {
  private static final int DEFAULT_MAX_RESULTS = 100;
  private static final int MAX_RESULTS = 1000;

  private final StatementService service;

  /** The client application of the history's own queries, which the history leaves out. */
  static final String CLIENT_APPLICATION = "Databricks REST API (query history)";

  private final Map<String, Session> historySessions =
      new java.util.concurrent.ConcurrentHashMap<>();

  QueryHistoryApi(StatementService service) {
    this.service = requireNonNull(service, "service");
  }

  private Session session(Principal principal) {
    return historySessions.computeIfAbsent(
        principal.name(),
        name -> {
          Session s = service.openSession(principal);
          s.clientApplication(CLIENT_APPLICATION);
          s.ownQueryHistory(true);
          return s;
        });
  }

  void closeAll() {
    for (Session s : historySessions.values()) {
      service.closeSession(s.id());
    }
    historySessions.clear();
  }

  /**
   * {@code GET /api/2.0/sql/history/queries/{statement_id}/profile} (an Aquifer extension): the
   * engine's per-operator profile of the statement's run as the history kept it, mapped onto its
   * logical plan. The caller's own statements (everyone's to an admin); 404 when none was kept.
   */
  Object profile(RestCall call, String statementId) {
    try {
      String json =
          service
              .engineProfile(call.principal(), statementId)
              .orElseThrow(
                  () ->
                      DatabricksApiException.notFound(
                          "No engine profile is kept for statement '" + statementId + "'"));
      return PROFILE_JSON.readTree(json);
    } catch (GatewayException e) {
      throw DatabricksApiException.of(e);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("the gateway answered a profile that is not JSON", e);
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper PROFILE_JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  Map<String, Object> list(RestCall call) {
    long max = number(call, "max_results").orElse((long) DEFAULT_MAX_RESULTS);
    if (max < 1 || max > MAX_RESULTS) {
      throw DatabricksApiException.invalidParameter(
          "max_results must be between 1 and " + MAX_RESULTS + ": " + max);
    }
    boolean metrics =
        call.queryParameter("include_metrics").map(v -> v.equalsIgnoreCase("true")).orElse(false);
    StringBuilder sql =
        new StringBuilder(
            "SELECT statement_id, execution_status, executed_by, warehouse_id, statement_text,"
                + " statement_type, error_message, start_time, end_time, total_duration_ms,"
                + " compilation_duration_ms, execution_duration_ms, produced_rows,"
                + " produced_bytes, read_files, pruned_files, planning_duration_ms,"
                + " from_result_cache, waiting_for_compute_duration_ms,"
                + " waiting_at_capacity_duration_ms, read_cache_bytes, read_remote_bytes"
                + " FROM system.query.history"
                + " WHERE (client_application IS NULL OR client_application <> ?)");
    List<Object> parameters = new ArrayList<>();
    parameters.add(CLIENT_APPLICATION);
    Optional<String> pageToken = call.queryParameter("page_token");
    if (pageToken.isPresent()) {
      // Keyset paging: the rows after the last one of the previous page, so new statements do
      // not shift pages.
      PageToken after = PageToken.parse(pageToken.get());
      sql.append(" AND (start_time < ? OR (start_time = ? AND statement_id > ?))");
      parameters.add(after.startTime());
      parameters.add(after.startTime());
      parameters.add(after.statementId());
    }
    in(sql, parameters, "statement_id", list(call, "filter_by.statement_ids"));
    in(sql, parameters, "warehouse_id", list(call, "filter_by.warehouse_ids"));
    in(
        sql,
        parameters,
        "execution_status",
        list(call, "filter_by.statuses").stream().map(QueryHistoryApi::historyStatus).toList());
    Optional<Long> from = number(call, "filter_by.query_start_time_range.start_time_ms");
    Optional<Long> to = number(call, "filter_by.query_start_time_range.end_time_ms");
    if (from.isPresent()) {
      sql.append(" AND start_time >= ?");
      parameters.add(Instant.ofEpochMilli(from.get()));
    }
    if (to.isPresent()) {
      sql.append(" AND start_time < ?");
      parameters.add(Instant.ofEpochMilli(to.get()));
    }
    sql.append(" ORDER BY start_time DESC, statement_id LIMIT ").append(max + 1);

    List<Map<String, Object>> queries = new ArrayList<>();
    PageToken last = null;
    try {
      StatementResult result =
          service.execute(session(call.principal()), sql.toString(), parameters);
      if (!(result instanceof StatementResult.Rows rows)) {
        throw new IllegalStateException("system.query.history returned no rows");
      }
      try (ResultStream stream = rows.stream()) {
        while (stream.next()) {
          VectorSchemaRoot root = stream.root();
          for (int r = 0; r < root.getRowCount(); r++) {
            queries.add(query(root, r, metrics));
            if (queries.size() == max) {
              last =
                  new PageToken(
                      instant(root.getVector("start_time"), r), text(root, "statement_id", r));
            }
          }
        }
      }
    } catch (GatewayException e) {
      throw DatabricksApiException.of(e);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    boolean more = queries.size() > max;
    out.put("res", more ? queries.subList(0, (int) max) : queries);
    out.put("has_next_page", more);
    if (more && last != null) {
      out.put("next_page_token", last.toString());
    }
    return out;
  }

  private static Map<String, Object> query(VectorSchemaRoot root, int r, boolean metrics) {
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("query_id", text(root, "statement_id", r));
    q.put("status", apiStatus(text(root, "execution_status", r)));
    q.put("user_name", text(root, "executed_by", r));
    q.put("warehouse_id", text(root, "warehouse_id", r));
    q.put("endpoint_id", text(root, "warehouse_id", r));
    q.put("query_text", text(root, "statement_text", r));
    q.put("statement_type", statementType(text(root, "statement_type", r)));
    q.put("error_message", text(root, "error_message", r));
    q.put("query_start_time_ms", millis(root, "start_time", r));
    q.put("query_end_time_ms", millis(root, "end_time", r));
    q.put("execution_end_time_ms", millis(root, "end_time", r));
    q.put("duration", number(root, "total_duration_ms", r));
    q.put("rows_produced", number(root, "produced_rows", r));
    if (metrics) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("total_time_ms", number(root, "total_duration_ms", r));
      m.put("compilation_time_ms", number(root, "compilation_duration_ms", r));
      m.put("planning_time_ms", number(root, "planning_duration_ms", r));
      m.put("execution_time_ms", number(root, "execution_duration_ms", r));
      m.put("rows_produced_count", number(root, "produced_rows", r));
      m.put("result_from_cache", bool(root, "from_result_cache", r));
      m.put("network_sent_bytes", number(root, "produced_bytes", r));
      m.put("read_files_count", number(root, "read_files", r));
      m.put("pruned_files_count", number(root, "pruned_files", r));
      m.put("read_cache_bytes", number(root, "read_cache_bytes", r));
      m.put("read_remote_bytes", number(root, "read_remote_bytes", r));
      // The queue time, by the names of Databricks' system.query.history columns.
      m.put("waiting_for_compute_duration_ms", number(root, "waiting_for_compute_duration_ms", r));
      m.put("waiting_at_capacity_duration_ms", number(root, "waiting_at_capacity_duration_ms", r));
      m.values().removeIf(java.util.Objects::isNull);
      q.put("metrics", m);
    }
    q.values().removeIf(java.util.Objects::isNull);
    return q;
  }

  private static final java.util.Set<String> STATEMENT_TYPES =
      java.util.Set.of(
          "ALTER",
          "ANALYZE",
          "COPY",
          "CREATE",
          "DELETE",
          "DESCRIBE",
          "DROP",
          "EXPLAIN",
          "GRANT",
          "INSERT",
          "MERGE",
          "OPTIMIZE",
          "REFRESH",
          "REPLACE",
          "REVOKE",
          "SELECT",
          "SET",
          "SHOW",
          "TRUNCATE",
          "UPDATE",
          "USE");

  /** Databricks' QueryStatementType: the history's statement type, or OTHER. */
  private static String statementType(String type) {
    return type != null && STATEMENT_TYPES.contains(type) ? type : "OTHER";
  }

  /** Databricks' QueryStatus of a history entry's execution_status. */
  private static String apiStatus(String executionStatus) {
    if (executionStatus == null) {
      return null;
    }
    return executionStatus.equals("CANCELED") ? "CANCELED" : executionStatus;
  }

  /** The execution_status a QueryStatus filter selects (FINISHED, FAILED, CANCELED). */
  private static String historyStatus(String apiStatus) {
    return apiStatus.trim().toUpperCase(Locale.ROOT);
  }

  private static void in(
      StringBuilder sql, List<Object> parameters, String column, List<String> v) {
    if (v.isEmpty()) {
      return;
    }
    sql.append(" AND ").append(column).append(" IN (");
    for (int i = 0; i < v.size(); i++) {
      sql.append(i == 0 ? "?" : ", ?");
      parameters.add(v.get(i));
    }
    sql.append(')');
  }

  /** A repeated or comma-separated query parameter. */
  private static List<String> list(RestCall call, String name) {
    return call.queryParameter(name).map(v -> List.of(v.split(","))).orElse(List.of()).stream()
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private static Optional<Long> number(RestCall call, String name) {
    return call.queryParameter(name).map(v -> parse(name, v));
  }

  private static long parse(String name, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw DatabricksApiException.invalidParameter(name + " must be a whole number: " + value);
    }
  }

  private static String text(VectorSchemaRoot root, String column, int r) {
    return ChunkEncoder.text(root.getVector(column), r);
  }

  private static Long number(VectorSchemaRoot root, String column, int r) {
    FieldVector v = root.getVector(column);
    return v.isNull(r) ? null : ((Number) v.getObject(r)).longValue();
  }

  private static Boolean bool(VectorSchemaRoot root, String column, int r) {
    FieldVector v = root.getVector(column);
    return v.isNull(r) ? null : (Boolean) v.getObject(r);
  }

  private static Long millis(VectorSchemaRoot root, String column, int r) {
    FieldVector v = root.getVector(column);
    return v.isNull(r) ? null : instant(v, r).toEpochMilli();
  }

  private static Instant instant(FieldVector v, int r) {
    if (!(v instanceof TimeStampVector t)) {
      throw new IllegalStateException(v.getName() + " is not a timestamp");
    }
    long value = t.get(r);
    return switch (((ArrowType.Timestamp) t.getField().getType()).getUnit()) {
      case SECOND -> Instant.ofEpochSecond(value);
      case MILLISECOND -> Instant.ofEpochMilli(value);
      case MICROSECOND ->
          Instant.ofEpochSecond(
              Math.floorDiv(value, 1_000_000L), Math.floorMod(value, 1_000_000L) * 1000L);
      case NANOSECOND ->
          Instant.ofEpochSecond(
              Math.floorDiv(value, 1_000_000_000L), Math.floorMod(value, 1_000_000_000L));
    };
  }

  /** Where a page ended: start time (to the nanosecond) and statement id of its last row. */
  private record PageToken(Instant startTime, String statementId) {
    static PageToken parse(String token) {
      int colon = token.indexOf(':');
      int dot = token.indexOf('.');
      try {
        if (colon > 0 && dot > 0 && dot < colon) {
          return new PageToken(
              Instant.ofEpochSecond(
                  Long.parseLong(token.substring(0, dot)),
                  Long.parseLong(token.substring(dot + 1, colon))),
              token.substring(colon + 1));
        }
      } catch (NumberFormatException | java.time.DateTimeException e) {
        // fall through
      }
      throw DatabricksApiException.invalidParameter("page_token is not valid: " + token);
    }

    @Override
    public String toString() {
      return startTime.getEpochSecond() + "." + startTime.getNano() + ":" + statementId;
    }
  }
}
