package io.aquifer.tpch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The 22 TPC-H queries with the validation substitution parameters, read from the data files {@code
 * io/aquifer/tpch/queries/q01.sql} … {@code q22.sql} on the class path (see the README there for
 * their source and the changes made for Aquifer's SQL).
 */
public final class TpchQueries {
  public static final int COUNT = 22;
  private static final String FOLDER = "queries/";

  private TpchQueries() {}

  /** All 22, in order. */
  public static List<TpchQuery> all() {
    List<TpchQuery> queries = new ArrayList<>(COUNT);
    for (int i = 1; i <= COUNT; i++) {
      queries.add(query(i));
    }
    return List.copyOf(queries);
  }

  public static TpchQuery query(int number) {
    if (number < 1 || number > COUNT) {
      throw new TpchException(
          TpchErrorCode.QUERY_NOT_FOUND, "TPC-H has queries 1 to 22, not " + number);
    }
    String file = FOLDER + String.format("q%02d.sql", number);
    try (InputStream in = TpchQueries.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new TpchException(
            TpchErrorCode.QUERY_NOT_FOUND, "query file io/aquifer/tpch/" + file + " is missing");
      }
      return new TpchQuery(number, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read io/aquifer/tpch/" + file, e);
    }
  }

  /**
   * Queries chosen on a command line: {@code null} or empty for all, else numbers and ranges such
   * as {@code 1,3,5-7}.
   */
  public static List<TpchQuery> select(String selection) {
    if (selection == null || selection.isBlank()) {
      return all();
    }
    List<TpchQuery> queries = new ArrayList<>();
    for (String part : selection.split(",")) {
      String item = part.strip().toLowerCase(java.util.Locale.ROOT).replace("q", "");
      try {
        int dash = item.indexOf('-');
        int from = Integer.parseInt(dash < 0 ? item : item.substring(0, dash).strip());
        int to = dash < 0 ? from : Integer.parseInt(item.substring(dash + 1).strip());
        for (int i = from; i <= to; i++) {
          queries.add(query(i));
        }
      } catch (NumberFormatException e) {
        throw new TpchException(
            TpchErrorCode.QUERY_NOT_FOUND, "not a query number or range: '" + part.strip() + "'");
      }
    }
    return List.copyOf(queries);
  }
}
