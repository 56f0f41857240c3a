package io.aquifer.tpch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON files {@code aquifer tpch bench --json} and {@code aquifer tpch throughput --json}
 * write, and their reading back for {@code --compare}. Every file carries {@code formatVersion}
 * ({@value #FORMAT_VERSION}) and {@code kind} ({@value #KIND_BENCH} or {@value #KIND_THROUGHPUT});
 * a bench file written before the version field existed has the same layout and reads as version 1.
 * A change that renames or removes a field raises the version; adding a field does not.
 */
public final class BenchmarkFigures {
  /** The version of the layout this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  public static final String KIND_BENCH = "bench";
  public static final String KIND_THROUGHPUT = "throughput";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private BenchmarkFigures() {}

  /** The machine the figures were taken on. */
  static Map<String, Object> machine() {
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("processors", Runtime.getRuntime().availableProcessors());
    machine.put("javaVersion", System.getProperty("java.version"));
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    return machine;
  }

  static void write(JsonNode figures, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), figures);
  }

  /**
   * Reads a figures file of the given kind; FIGURES_INVALID, naming the file, when it is missing,
   * not JSON, of another kind or format version, or lacks the fields a comparison needs.
   */
  public static JsonNode read(Path file, String kind) {
    JsonNode root = read(file);
    String fileKind = kind(root);
    if (!fileKind.equals(kind)) {
      throw invalid(
          file,
          "it holds '"
              + fileKind
              + "' figures, not '"
              + kind
              + "' figures (aquifer tpch "
              + kind
              + " --json writes those)");
    }
    return root;
  }

  /** The kind of a file {@link #read} accepted. */
  static String kind(JsonNode figures) {
    // Bench files from before formatVersion and kind existed: same layout, recognised by engines.
    return figures.path("kind").asText(figures.has("engines") ? KIND_BENCH : "");
  }

  /** Reads a figures file of either kind; FIGURES_INVALID as {@link #read(Path, String)}. */
  public static JsonNode read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw invalid(file, "no such file");
    } catch (IOException e) {
      throw invalid(file, "cannot read it: " + e.getMessage());
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw invalid(file, "not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw invalid(file, "not a JSON object");
    }
    JsonNode versionField = root.path("formatVersion");
    if (!versionField.isMissingNode() && !versionField.isInt()) {
      throw invalid(file, "formatVersion is not a whole number");
    }
    int version = versionField.asInt(1);
    if (version != FORMAT_VERSION) {
      throw invalid(
          file, "format version " + version + ", this aquifer reads version " + FORMAT_VERSION);
    }
    String kind = kind(root);
    if (!kind.equals(KIND_BENCH) && !kind.equals(KIND_THROUGHPUT)) {
      throw invalid(file, "not figures of aquifer tpch bench or throughput (no known 'kind')");
    }
    require(file, root, "scaleFactor", JsonNode::isTextual);
    require(file, root, "queries", JsonNode::isArray);
    if (kind.equals(KIND_BENCH)) {
      require(file, root, "engines", JsonNode::isArray);
      require(file, root, "totals", JsonNode::isObject);
      for (JsonNode query : root.get("queries")) {
        if (!query.path("query").isTextual() || !query.path("engines").isObject()) {
          throw invalid(file, "an entry of 'queries' lacks 'query' or 'engines'");
        }
      }
    } else {
      require(file, root, "results", JsonNode::isArray);
      for (JsonNode result : root.get("results")) {
        if (!result.path("clients").isInt()) {
          throw invalid(file, "an entry of 'results' lacks 'clients'");
        }
      }
    }
    return root;
  }

  private static void require(
      Path file, JsonNode root, String field, java.util.function.Predicate<JsonNode> shape) {
    if (!root.has(field) || !shape.test(root.get(field))) {
      throw invalid(file, "'" + field + "' is missing or malformed");
    }
  }

  private static TpchException invalid(Path file, String why) {
    return new TpchException(
        TpchErrorCode.FIGURES_INVALID, "cannot compare with " + file + ": " + why);
  }
}
