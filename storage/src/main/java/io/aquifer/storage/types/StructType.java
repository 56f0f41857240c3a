package io.aquifer.storage.types;

import java.util.List;
import java.util.stream.Collectors;

/** A record type; also the row type of a table. */
public record StructType(List<Column> fields) implements DataType {
  public StructType {
    fields = List.copyOf(fields);
  }

  @Override
  public String sql() {
    return fields.stream()
        .map(f -> f.name() + ": " + f.type().sql())
        .collect(Collectors.joining(", ", "STRUCT<", ">"));
  }
}
