package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

/**
 * One of the 22 TPC-H queries.
 *
 * @param number 1 to 22
 * @param sql the text, in Aquifer's SQL, table names unqualified (resolved in the current schema)
 */
public record TpchQuery(int number, String sql) {
  public TpchQuery {
    if (number < 1 || number > TpchQueries.COUNT) {
      throw new IllegalArgumentException("TPC-H has queries 1 to 22: " + number);
    }
    requireNonNull(sql, "sql");
  }

  /** {@code q01} … {@code q22}, as the query and answer files are named. */
  public String name() {
    return String.format("q%02d", number);
  }

  /** The text without its leading comment lines, as sent to a server. */
  public String statement() {
    StringBuilder out = new StringBuilder();
    boolean header = true;
    for (String line : sql.split("\n", -1)) {
      if (header && line.strip().startsWith("--")) {
        continue;
      }
      header = false;
      out.append(line).append('\n');
    }
    return out.toString().strip();
  }
}
