package io.aquifer.planner;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * How the files of a {@code read_files} scan are read, as the gateway decided from the call's
 * options. The engine reads them with its own readers; the planner only carries this along.
 *
 * @param kind PARQUET, CSV, JSON, TEXT or BINARYFILE
 * @param header CSV: the first line of each file names the columns
 * @param delimiter CSV: the character between values
 * @param quote CSV: the quoting character
 * @param escape CSV: the character escaping a quote inside a quoted value
 * @param multiLine JSON: records span lines
 * @param wholeText TEXT: one row per file instead of one per line
 * @param mode FAILFAST, DROPMALFORMED or PERMISSIVE
 * @param userPaths each file's URI (as the scan names it) to the path the user knows it by (its
 *     {@code /Volumes} path), for BINARYFILE's {@code path} column
 */
public record FileSource(
    Kind kind,
    boolean header,
    char delimiter,
    char quote,
    char escape,
    boolean multiLine,
    boolean wholeText,
    String mode,
    Map<String, String> userPaths) {
  public enum Kind {
    PARQUET,
    CSV,
    JSON,
    TEXT,
    BINARYFILE
  }

  public FileSource {
    requireNonNull(kind, "kind");
    requireNonNull(mode, "mode");
    userPaths = Map.copyOf(userPaths);
  }
}
