package io.aquifer.catalog;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The row filter and column masks of a table (Unity Catalog's row filters and column masks): each
 * names a SQL function and the columns passed to it.
 *
 * @param masks by lower-case column name
 */
public record TablePolicies(Optional<RowFilter> rowFilter, Map<String, ColumnMask> masks) {
  public static final TablePolicies NONE = new TablePolicies(Optional.empty(), Map.of());

  public TablePolicies {
    requireNonNull(rowFilter, "rowFilter");
    masks = Map.copyOf(masks);
  }

  public boolean isEmpty() {
    return rowFilter.isEmpty() && masks.isEmpty();
  }

  /** {@code SET ROW FILTER function ON (columns)}. */
  public record RowFilter(TableName function, List<String> columns) {
    public RowFilter {
      requireNonNull(function, "function");
      columns = List.copyOf(columns);
    }
  }

  /** {@code ALTER COLUMN column SET MASK function USING COLUMNS (usingColumns)}. */
  public record ColumnMask(String column, TableName function, List<String> usingColumns) {
    public ColumnMask {
      requireNonNull(column, "column");
      requireNonNull(function, "function");
      usingColumns = List.copyOf(usingColumns);
    }
  }
}
