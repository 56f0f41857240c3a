package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;

/**
 * The answer set of one query: column names and rows as text, in the query's ORDER BY order.
 *
 * @param query {@code q01} … {@code q22}
 * @param uncheckedColumns columns whose values the answer set cannot vouch for (see {@code
 *     answer-set-errata.txt}); not compared
 * @param source where the rows come from (a file name), for reports
 */
public record ExpectedResult(
    String query,
    List<String> columns,
    List<List<String>> rows,
    Set<String> uncheckedColumns,
    String source) {
  public ExpectedResult {
    requireNonNull(query, "query");
    columns = List.copyOf(columns);
    rows = rows.stream().map(List::copyOf).toList();
    uncheckedColumns = Set.copyOf(uncheckedColumns);
    requireNonNull(source, "source");
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).size() != columns.size()) {
        throw new IllegalArgumentException(
            query
                + " answer row "
                + (i + 1)
                + " in "
                + source
                + " has "
                + rows.get(i).size()
                + " fields, not "
                + columns.size());
      }
    }
    for (String column : uncheckedColumns) {
      if (!columns.contains(column)) {
        throw new IllegalArgumentException(
            query + " has no column " + column + " to leave unchecked");
      }
    }
  }

  /** True when no column can be compared: the answer set cannot verify this query at all. */
  public boolean unverifiable() {
    return !columns.isEmpty() && uncheckedColumns.containsAll(columns);
  }

  ExpectedResult withQuery(String name) {
    return new ExpectedResult(name, columns, rows, uncheckedColumns, source);
  }

  public ExpectedResult withUncheckedColumns(Set<String> columns) {
    return new ExpectedResult(query, this.columns, rows, columns, source);
  }
}
