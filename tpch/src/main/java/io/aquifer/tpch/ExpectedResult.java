package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The answer set of one query: column names and rows as text, in the query's ORDER BY order.
 *
 * @param query {@code q01} … {@code q22}
 * @param source where the rows come from (a file name), for reports
 */
public record ExpectedResult(
    String query, List<String> columns, List<List<String>> rows, String source) {
  public ExpectedResult {
    requireNonNull(query, "query");
    columns = List.copyOf(columns);
    rows = rows.stream().map(List::copyOf).toList();
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
  }
}
