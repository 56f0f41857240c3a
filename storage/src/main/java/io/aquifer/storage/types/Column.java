package io.aquifer.storage.types;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A named field of a table or struct.
 *
 * @param name logical name, as users write it
 * @param physicalName name inside the data files; differs from {@code name} under Delta column
 *     mapping
 * @param comment optional comment, empty when none
 * @param defaultValue the column's {@code DEFAULT} expression as SQL text (Delta keeps it in the
 *     field's {@code CURRENT_DEFAULT} metadata), empty when none
 * @param generationExpression a generated column's expression ({@code GENERATED ALWAYS AS (expr)})
 *     as SQL text (Delta keeps it in the field's {@code delta.generationExpression} metadata),
 *     empty when the column is not generated
 */
public record Column(
    String name,
    DataType type,
    boolean nullable,
    String physicalName,
    Optional<String> comment,
    Optional<String> defaultValue,
    Optional<String> generationExpression) {
  public Column {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    requireNonNull(physicalName, "physicalName");
    requireNonNull(comment, "comment");
    requireNonNull(defaultValue, "defaultValue");
    requireNonNull(generationExpression, "generationExpression");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("column name is empty");
    }
  }

  /** A column that is not generated. */
  public Column(
      String name,
      DataType type,
      boolean nullable,
      String physicalName,
      Optional<String> comment,
      Optional<String> defaultValue) {
    this(name, type, nullable, physicalName, comment, defaultValue, Optional.empty());
  }

  /** A column without a default value. */
  public Column(
      String name, DataType type, boolean nullable, String physicalName, Optional<String> comment) {
    this(name, type, nullable, physicalName, comment, Optional.empty());
  }

  public static Column of(String name, DataType type) {
    return new Column(name, type, true, name, Optional.empty());
  }
}
