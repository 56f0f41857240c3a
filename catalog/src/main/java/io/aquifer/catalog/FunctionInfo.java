package io.aquifer.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A SQL user-defined function: {@code CREATE FUNCTION name (parameters) RETURNS type RETURN body}.
 *
 * @param name catalog, schema and function name (a {@link TableName}, as functions share the naming
 *     rules of tables)
 * @param parameters names and types, in order
 * @param returnType the declared return type as written
 * @param body the returned expression's text
 */
public record FunctionInfo(
    TableName name,
    List<Parameter> parameters,
    String returnType,
    String body,
    String owner,
    Optional<String> comment,
    Instant createdAt) {
  public FunctionInfo {
    requireNonNull(name, "name");
    parameters = List.copyOf(parameters);
    requireNonNull(returnType, "returnType");
    requireNonNull(body, "body");
    Owners.check(owner);
    requireNonNull(comment, "comment");
    requireNonNull(createdAt, "createdAt");
  }

  /** One parameter: its name and its type as written. */
  public record Parameter(String name, String type) {
    public Parameter {
      requireNonNull(name, "name");
      requireNonNull(type, "type");
    }

    @Override
    public String toString() {
      return name + " " + type;
    }
  }

  /** {@code name type, ...}. */
  public String parameterList() {
    return String.join(", ", parameters.stream().map(Parameter::toString).toList());
  }
}
