package io.aquifer.tpch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The known defects of the shared answer sets, read from the data file {@code
 * io/aquifer/tpch/answers/answer-set-errata.txt} (which explains them): per query, the columns that
 * hold text from DuckDB's non-compliant dbgen and so cannot match TPC-H data.
 */
public final class AnswerSetErrata {
  /** In the errata file: every column of the query. */
  static final String ALL_COLUMNS = "*";

  private static final String FILE = "answers/answer-set-errata.txt";

  private final Map<String, Set<String>> columnsByQuery;

  private AnswerSetErrata(Map<String, Set<String>> columnsByQuery) {
    this.columnsByQuery = columnsByQuery;
  }

  /** The errata shipped with the kit. */
  public static AnswerSetErrata load() {
    try (InputStream in = AnswerSetErrata.class.getResourceAsStream(FILE)) {
      if (in == null) {
        throw new TpchException(
            TpchErrorCode.ANSWERS_NOT_FOUND, "io/aquifer/tpch/" + FILE + " is missing");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read io/aquifer/tpch/" + FILE, e);
    }
  }

  static AnswerSetErrata parse(String text) {
    Map<String, Set<String>> columns = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      String entry = line.strip();
      if (entry.isEmpty() || entry.startsWith("#")) {
        continue;
      }
      String[] parts = entry.split("\\s+", 2);
      if (parts.length != 2) {
        throw new IllegalArgumentException(
            "errata line needs a query and columns: '" + entry + "'");
      }
      columns.put(
          parts[0],
          new LinkedHashSet<>(Arrays.stream(parts[1].split(",")).map(String::strip).toList()));
    }
    return new AnswerSetErrata(Map.copyOf(columns));
  }

  /** The queries with errata, {@code q02} … */
  public Set<String> queries() {
    return columnsByQuery.keySet();
  }

  /** The columns of {@code expected} not to compare; empty when the query has no errata. */
  public Set<String> uncheckedColumns(ExpectedResult expected) {
    Set<String> listed = columnsByQuery.getOrDefault(expected.query(), Set.of());
    if (listed.contains(ALL_COLUMNS)) {
      return Set.copyOf(expected.columns());
    }
    return Set.copyOf(listed);
  }

  public Optional<Set<String>> columns(String query) {
    return Optional.ofNullable(columnsByQuery.get(query));
  }
}
