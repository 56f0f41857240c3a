package io.aquifer.server;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The file formats {@code aquifer load} takes ({@code --format} or the file's extension), with the
 * read_files format, the COPY INTO {@code FILEFORMAT} and the options each implies.
 */
enum LoadFormat {
  CSV("csv", "CSV", Map.of("header", "true", "mode", "FAILFAST")),
  TSV("csv", "CSV", Map.of("header", "true", "delimiter", "\\t", "mode", "FAILFAST")),
  JSON("json", "JSON", Map.of("mode", "FAILFAST")),
  JSONL("json", "JSON", Map.of("mode", "FAILFAST")),
  PARQUET("parquet", "PARQUET", Map.of()),
  AVRO("avro", "AVRO", Map.of()),
  ORC("orc", "ORC", Map.of()),
  /** Needs the {@code rowTag} option (read_files and COPY INTO refuse XML without it). */
  XML("xml", "XML", Map.of()),
  TXT("text", "TEXT", Map.of());

  private final String readFilesFormat;
  private final String copyFileFormat;
  private final Map<String, String> defaultOptions;

  LoadFormat(String readFilesFormat, String copyFileFormat, Map<String, String> defaultOptions) {
    this.readFilesFormat = readFilesFormat;
    this.copyFileFormat = copyFileFormat;
    this.defaultOptions = defaultOptions;
  }

  String readFilesFormat() {
    return readFilesFormat;
  }

  String copyFileFormat() {
    return copyFileFormat;
  }

  /** The format's default options (sorted) with {@code given} over them. */
  Map<String, String> options(Map<String, String> given) {
    Map<String, String> options = new LinkedHashMap<>(new java.util.TreeMap<>(defaultOptions));
    given.forEach(
        (key, value) -> {
          options.keySet().removeIf(k -> k.equalsIgnoreCase(key));
          if (key.equalsIgnoreCase("sep")) {
            options.keySet().removeIf(k -> k.equalsIgnoreCase("delimiter"));
          }
          options.put(key, value);
        });
    return options;
  }

  String externalName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<LoadFormat> parse(String name) {
    for (LoadFormat f : values()) {
      if (f.externalName().equalsIgnoreCase(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** The format a file's extension names ({@code .csv}, {@code .tsv}, {@code .json}, ...). */
  static Optional<LoadFormat> ofFileName(String fileName) {
    int dot = fileName.lastIndexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    String extension = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    return switch (extension) {
      case "ndjson" -> Optional.of(JSONL);
      case "text" -> Optional.of(TXT);
      default -> parse(extension);
    };
  }
}
