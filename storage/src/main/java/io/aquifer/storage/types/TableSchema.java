package io.aquifer.storage.types;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The columns of a table, in order. Column names are unique ignoring case. */
public record TableSchema(List<Column> columns) {
  public TableSchema {
    columns = List.copyOf(columns);
    Set<String> seen = new HashSet<>();
    for (Column c : columns) {
      if (!seen.add(c.name().toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("duplicate column name: " + c.name());
      }
    }
  }

  public Optional<Column> column(String name) {
    return columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
  }

  public StructType asStruct() {
    return new StructType(columns);
  }
}
