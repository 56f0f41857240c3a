package io.aquifer.rest;

import static java.util.Objects.requireNonNull;

import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.ResultStream;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.StatementService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Runs catalog statements ({@code SHOW GRANTS}, {@code CREATE SCHEMA}, ...) for the Unity Catalog
 * calls in the caller's session, so that a REST call is checked and audited exactly as the same SQL
 * would be; failures become Databricks' error answers. Also quotes names and string literals.
 */
final class CatalogSql {
  private final StatementService service;
  private final Function<RestCall, Session> sessions;

  CatalogSql(StatementService service, Function<RestCall, Session> sessions) {
    this.service = requireNonNull(service, "service");
    this.sessions = requireNonNull(sessions, "sessions");
  }

  /** Runs a statement and drops its rows, if any. */
  void run(RestCall call, String sql) {
    try {
      StatementResult result = service.execute(sessions.apply(call), sql, List.of());
      if (result instanceof StatementResult.Rows rows) {
        rows.stream().close();
      }
    } catch (GatewayException e) {
      throw DatabricksApiException.of(e);
    }
  }

  /** The rows of a statement, each column by name; values as {@code toString()} or null. */
  List<Map<String, String>> textRows(RestCall call, String sql) {
    List<Map<String, String>> out = new ArrayList<>();
    for (Map<String, Object> row : rows(call, sql)) {
      Map<String, String> text = new LinkedHashMap<>();
      row.forEach((k, v) -> text.put(k, v == null ? null : v.toString()));
      out.add(text);
    }
    return out;
  }

  /** The rows of a statement, each column by name, as Arrow's {@code getObject} gives them. */
  List<Map<String, Object>> rows(RestCall call, String sql) {
    List<Map<String, Object>> out = new ArrayList<>();
    try {
      StatementResult result = service.execute(sessions.apply(call), sql, List.of());
      if (!(result instanceof StatementResult.Rows rows)) {
        return out;
      }
      try (ResultStream stream = rows.stream()) {
        while (stream.next()) {
          VectorSchemaRoot root = stream.root();
          for (int r = 0; r < root.getRowCount(); r++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (FieldVector v : root.getFieldVectors()) {
              row.put(v.getName(), v.getObject(r));
            }
            out.add(row);
          }
        }
      }
    } catch (GatewayException e) {
      throw DatabricksApiException.of(e);
    }
    return out;
  }

  /** A name in back quotes. */
  static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** A full name of {@code parts} dot-separated parts, each in back quotes. */
  static String quoteName(String fullName, int parts) {
    String[] names = fullName.split("\\.", -1);
    if (names.length != parts || List.of(names).stream().anyMatch(String::isBlank)) {
      throw DatabricksApiException.invalidParameter(
          "'" + fullName + "' is not a full name of " + parts + " parts separated by dots");
    }
    List<String> quoted = new ArrayList<>();
    for (String n : names) {
      quoted.add(quote(n));
    }
    return String.join(".", quoted);
  }

  static String quoteAny(String fullName) {
    String[] names = fullName.split("\\.", -1);
    return quoteName(fullName, Math.max(1, Math.min(3, names.length)));
  }

  /** A string literal: Databricks SQL escapes with backslashes. */
  static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
