package io.aquifer.rest;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Databricks' typed statement parameters (named {@code :name} markers, or the JDBC driver's {@code
 * ?} markers by ordinal), bound into the statement service's positional markers, for front ends
 * other than the REST API (the Thrift protocol's {@code TSparkParameter}s).
 */
public final class DatabricksParameters {
  private DatabricksParameters() {}

  /**
   * One parameter.
   *
   * @param name the marker's name, or empty for the {@code ?} marker at {@code ordinal}
   * @param ordinal position of a {@code ?} marker, from 1 (ignored for named ones)
   * @param value the value as text, empty for NULL
   * @param type the Databricks SQL type the text is read as (INT, STRING, DECIMAL(10,2), ...)
   */
  public record Parameter(Optional<String> name, int ordinal, Optional<String> value, String type) {
    public Parameter {
      requireNonNull(name, "name");
      requireNonNull(value, "value");
      requireNonNull(type, "type");
    }
  }

  /** The rewritten SQL and the values in marker order. */
  public record Bound(String sql, List<Object> values) {
    public Bound {
      requireNonNull(sql, "sql");
      values = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
    }
  }

  /**
   * Binds parameters to the SQL's markers.
   *
   * @throws DatabricksApiException INVALID_PARAMETER_VALUE for an unbound marker, an unsupported
   *     type or a value its type cannot read
   */
  public static Bound bind(String sql, List<Parameter> parameters) {
    Map<String, NamedParameters.Parameter> byKey = new LinkedHashMap<>();
    for (Parameter p : parameters) {
      String key = p.name().orElse(NamedParameters.ORDINAL_PREFIX + p.ordinal());
      byKey.put(key, new NamedParameters.Parameter(key, p.value(), p.type()));
    }
    NamedParameters.Bound bound = NamedParameters.bind(sql, byKey);
    return new Bound(bound.sql(), bound.values());
  }
}
