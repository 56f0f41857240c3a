package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The TPC-H answer sets of one scale factor: {@code <fixtures>/tpch-answers/sf<sf>/qNN.csv}, a
 * header line of column names, then one row per line, fields separated by {@code |} without quoting
 * or padding (a field keeps its spaces), numbers at full precision, dates {@code YYYY-MM-DD}, rows
 * in the query's ORDER BY order.
 *
 * <p>Those answer sets were made from DuckDB's dbgen, whose addresses and comments differ from
 * TPC-H dbgen's ({@link AnswerSetErrata}). For the queries concerned the answer leaves those
 * columns unchecked, except at scale factor 0.01, where the answer set io.trino.tpch ships for its
 * own (TPC-H) data is used instead, so that all 22 queries are verified in full there.
 */
public final class TpchAnswers {
  /** System property naming the fixtures folder (the build sets it for tests). */
  public static final String FIXTURES_PROPERTY = "aquifer.fixtures";

  /** Environment variable naming the fixtures folder, when the property is not set. */
  public static final String FIXTURES_ENVIRONMENT = "AQUIFER_FIXTURES";

  private static final TpchScaleFactor GENERATOR_ANSWERS_SCALE = TpchScaleFactor.parse("0.01");
  private static final String GENERATOR_ANSWERS = "/io/trino/tpch/queries/q%d.result";

  private final Path directory;
  private final TpchScaleFactor scaleFactor;
  private final AnswerSetErrata errata;

  private TpchAnswers(Path directory, TpchScaleFactor scaleFactor, AnswerSetErrata errata) {
    this.directory = directory;
    this.scaleFactor = scaleFactor;
    this.errata = errata;
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
    return new TpchAnswers(directory, scaleFactor, AnswerSetErrata.load());
  }

  public Path directory() {
    return directory;
  }

  /** The answer to compare the query's result with (see the class comment for its source). */
  public ExpectedResult answer(TpchQuery query) {
    ExpectedResult shared = sharedAnswer(query);
    Set<String> unchecked = errata.uncheckedColumns(shared);
    if (unchecked.isEmpty()) {
      return shared;
    }
    if (scaleFactor.equals(GENERATOR_ANSWERS_SCALE)) {
      ExpectedResult generator = generatorAnswer(query, shared.columns());
      if (generator != null) {
        return generator;
      }
    }
    return shared.withUncheckedColumns(unchecked);
  }

  /** The answer set exactly as the shared fixtures hold it. */
  public ExpectedResult sharedAnswer(TpchQuery query) {
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
      return new ExpectedResult(query, columns, rows, Set.of(), source);
    } catch (IllegalArgumentException e) {
      throw new TpchException(TpchErrorCode.ANSWERS_NOT_FOUND, e.getMessage(), e);
    }
  }

  /**
   * io.trino.tpch's answer at SF 0.01 ({@code -- delimiter: |; ...} line, then rows; some rows end
   * with an extra {@code |}), with the shared answer's column names; null if the jar lacks it.
   */
  static ExpectedResult generatorAnswer(TpchQuery query, List<String> columns) {
    String resource = String.format(GENERATOR_ANSWERS, query.number());
    try (InputStream in = TpchAnswers.class.getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      List<List<String>> rows = new ArrayList<>();
      for (String line : lines(new String(in.readAllBytes(), StandardCharsets.UTF_8))) {
        if (line.startsWith("--")) {
          continue;
        }
        List<String> fields = new ArrayList<>(fields(line));
        if (fields.size() == columns.size() + 1 && fields.get(fields.size() - 1).isEmpty()) {
          fields.remove(fields.size() - 1);
        }
        rows.add(fields);
      }
      return new ExpectedResult(
          query.name(), columns, rows, Set.of(), "io.trino.tpch 1.2 " + resource);
    } catch (IOException | IllegalArgumentException e) {
      throw new TpchException(
          TpchErrorCode.ANSWERS_NOT_FOUND,
          "cannot read io.trino.tpch's answer " + resource + ": " + e,
          e);
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
