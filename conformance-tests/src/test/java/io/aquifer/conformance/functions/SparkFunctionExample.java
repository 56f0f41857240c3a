package io.aquifer.conformance.functions;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One example statement of Spark's built-in function documentation with the result Apache Spark
 * computed ({@code ../shared/fixtures/spark-functions/examples.jsonl}; its README explains the
 * fields and how values are rendered).
 *
 * @param function the function whose documentation holds the example
 * @param sql the statement
 * @param types Spark's result column types ({@code DataType.simpleString()}), empty when unknown
 * @param rows the expected rows as Spark renders them, null when there are none to compare
 * @param error Spark's error condition, or null
 * @param deterministic whether the rows can be an expected value
 */
record SparkFunctionExample(
    String function,
    String sql,
    List<String> types,
    List<List<String>> rows,
    String error,
    boolean deterministic) {
  SparkFunctionExample {
    requireNonNull(function, "function");
    requireNonNull(sql, "sql");
    types = List.copyOf(types);
    rows = rows == null ? null : rows.stream().map(r -> (List<String>) new ArrayList<>(r)).toList();
  }

  /**
   * {@code spark-functions/examples.jsonl}, found through the {@code aquifer.fixtures} system
   * property (set by the build) or the {@code AQUIFER_FIXTURES} environment variable.
   */
  static Path file() {
    for (String candidate :
        new String[] {System.getProperty("aquifer.fixtures"), System.getenv("AQUIFER_FIXTURES")}) {
      if (candidate != null
          && Files.isRegularFile(Path.of(candidate, "spark-functions", "examples.jsonl"))) {
        return Path.of(candidate, "spark-functions", "examples.jsonl").toAbsolutePath();
      }
    }
    throw new IllegalStateException(
        "the Spark function examples are not found: set aquifer.fixtures to ../shared/fixtures");
  }

  /** A statement that sets a session option (the {@code ilike} examples); not an example. */
  boolean isSetting() {
    return sql.strip().regionMatches(true, 0, "SET ", 0, 4);
  }

  /**
   * Whether this example has an expected value to compare: deterministic, succeeded in Spark, and
   * not a setting. (The file's expected errors all come from features this Spark setup left off;
   * its README says they are "not checked".)
   */
  boolean isChecked() {
    return deterministic && error == null && rows != null && !isSetting();
  }

  static List<SparkFunctionExample> readAll(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<SparkFunctionExample> examples = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode n = json.readTree(line);
      List<String> types = new ArrayList<>();
      if (n.hasNonNull("schema")) {
        n.get("schema").forEach(c -> types.add(c.get("type").asText()));
      }
      List<List<String>> rows = null;
      if (n.hasNonNull("rows")) {
        rows = new ArrayList<>();
        for (JsonNode row : n.get("rows")) {
          List<String> values = new ArrayList<>();
          row.forEach(v -> values.add(v.isNull() ? "NULL" : v.asText()));
          rows.add(values);
        }
      }
      examples.add(
          new SparkFunctionExample(
              n.get("function").asText(),
              n.get("sql").asText(),
              types,
              rows,
              n.hasNonNull("error") ? n.get("error").asText() : null,
              n.get("deterministic").asBoolean()));
    }
    return examples;
  }
}
