package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The TPC-H answer sets of one scale factor: {@code <fixtures>/tpch-answers/sf<sf>/qNN.csv}, a
 * header line of column names, then one row per line, fields separated by {@code |} without quoting
 * or padding (a field keeps its spaces), numbers at full precision, dates {@code YYYY-MM-DD}, rows
 * in the query's ORDER BY order. The answer sets come from data identical to TPC-H dbgen's, so
 * every column of every query is compared with them.
 */
public final class TpchAnswers {
  /** System property naming the fixtures folder (the build sets it for tests). */
  public static final String FIXTURES_PROPERTY = "aquifer.fixtures";

  /** Environment variable naming the fixtures folder, when the property is not set. */
  public static final String FIXTURES_ENVIRONMENT = "AQUIFER_FIXTURES";

  private final Path directory;

  private TpchAnswers(Path directory) {
    this.directory = directory;
  }

  /**
   * The fixtures folder: the {@value #FIXTURES_PROPERTY} system property, else the {@value
   * #FIXTURES_ENVIRONMENT} environment variable, else {@code ../shared/fixtures} from the current
   * directory (the project root).
   */
  public static Path defaultFixturesRoot() {
    String property = System.getProperty(FIXTURES_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    String environment = System.getenv(FIXTURES_ENVIRONMENT);
    if (environment != null && !environment.isBlank()) {
      return Path.of(environment);
    }
    return Path.of("..", "shared", "fixtures");
  }

  /** The answers of a scale factor; ANSWERS_NOT_FOUND if the fixtures have none. */
  public static TpchAnswers forScaleFactor(Path fixturesRoot, TpchScaleFactor scaleFactor) {
    requireNonNull(fixturesRoot, "fixturesRoot");
    requireNonNull(scaleFactor, "scaleFactor");
    Path directory =
        fixturesRoot.resolve("tpch-answers").resolve(scaleFactor.answerDirectoryName());
    if (!Files.isDirectory(directory)) {
      throw new TpchException(
          TpchErrorCode.ANSWERS_NOT_FOUND,
          "no TPC-H answers for scale factor "
              + scaleFactor
              + ": "
              + directory.toAbsolutePath()
              + " is not a directory (answers exist for 0.01, 0.1 and 1; set -D"
              + FIXTURES_PROPERTY
              + " or "
              + FIXTURES_ENVIRONMENT
              + " to the fixtures folder)");
    }
    return new TpchAnswers(directory);
  }

  public Path directory() {
    return directory;
  }

  /** The answer set of a query, as the fixtures hold it. */
  public ExpectedResult answer(TpchQuery query) {
    Path file = directory.resolve(query.name() + ".csv");
    try {
      return parse(query.name(), Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new TpchException(
          TpchErrorCode.ANSWERS_NOT_FOUND, "cannot read the answer set " + file + ": " + e, e);
    }
  }

  /** Parses the text of an answer file. */
  public static ExpectedResult parse(String query, String text, String source) {
    List<String> lines = lines(text);
    if (lines.isEmpty()) {
      throw new TpchException(
          TpchErrorCode.ANSWERS_NOT_FOUND, query + ": empty answer file " + source);
    }
    List<String> columns = fields(lines.get(0));
    List<List<String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      rows.add(fields(line));
    }
    try {
      return new ExpectedResult(query, columns, rows, source);
    } catch (IllegalArgumentException e) {
      throw new TpchException(TpchErrorCode.ANSWERS_NOT_FOUND, e.getMessage(), e);
    }
  }

  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1); // the newline that ends the last line
    }
    return lines;
  }

  private static List<String> fields(String line) {
    String withoutReturn = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    return Arrays.asList(withoutReturn.split("\\|", -1));
  }
}
