package io.aquifer.rest;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

/**
 * How a statement's result is handed out, from its execute request.
 *
 * @param disposition INLINE, EXTERNAL_LINKS or INLINE_OR_EXTERNAL_LINKS
 * @param format JSON_ARRAY, ARROW_STREAM or CSV
 * @param rowLimit at most this many rows of the result
 * @param byteLimit at most this many bytes of the result
 */
record StatementOptions(
    String disposition, String format, OptionalLong rowLimit, OptionalLong byteLimit) {
  static final String INLINE = "INLINE";
  static final String EXTERNAL_LINKS = "EXTERNAL_LINKS";
  static final String INLINE_OR_EXTERNAL_LINKS = "INLINE_OR_EXTERNAL_LINKS";
  static final String JSON_ARRAY = "JSON_ARRAY";
  static final String ARROW_STREAM = "ARROW_STREAM";
  static final String CSV = "CSV";

  /** Databricks' cap on an INLINE result. */
  static final long INLINE_BYTE_LIMIT = 25L << 20;

  static final StatementOptions DEFAULT =
      new StatementOptions(INLINE, JSON_ARRAY, OptionalLong.empty(), OptionalLong.empty());

  StatementOptions {
    requireNonNull(disposition, "disposition");
    requireNonNull(format, "format");
    requireNonNull(rowLimit, "rowLimit");
    requireNonNull(byteLimit, "byteLimit");
  }

  static StatementOptions of(
      String disposition, String format, OptionalLong rowLimit, OptionalLong byteLimit) {
    String d = disposition.toUpperCase(Locale.ROOT);
    String f = format.toUpperCase(Locale.ROOT);
    if (!Set.of(INLINE, EXTERNAL_LINKS, INLINE_OR_EXTERNAL_LINKS).contains(d)) {
      throw DatabricksApiException.invalidParameter(
          "disposition must be INLINE, EXTERNAL_LINKS or INLINE_OR_EXTERNAL_LINKS: " + disposition);
    }
    if (!Set.of(JSON_ARRAY, ARROW_STREAM, CSV).contains(f)) {
      throw DatabricksApiException.invalidParameter(
          "format must be JSON_ARRAY, ARROW_STREAM or CSV: " + format);
    }
    if (d.equals(INLINE) && !f.equals(JSON_ARRAY)) {
      throw DatabricksApiException.invalidParameter(
          "The format " + f + " is not supported with the INLINE disposition; use JSON_ARRAY");
    }
    if (rowLimit.isPresent() && rowLimit.getAsLong() < 0) {
      throw DatabricksApiException.invalidParameter(
          "row_limit must be 0 or more: " + rowLimit.getAsLong());
    }
    if (byteLimit.isPresent() && byteLimit.getAsLong() < 0) {
      throw DatabricksApiException.invalidParameter(
          "byte_limit must be 0 or more: " + byteLimit.getAsLong());
    }
    // INLINE_OR_EXTERNAL_LINKS (what the JDBC driver asks for) is decided once the result's size
    // is known: see resolve.
    return new StatementOptions(d, f, rowLimit, byteLimit);
  }

  /**
   * How a result of {@code totalBytes} is handed out: INLINE_OR_EXTERNAL_LINKS answers up to the
   * INLINE limit inline as JSON_ARRAY, a larger result as EXTERNAL_LINKS in the asked format.
   */
  StatementOptions resolve(long totalBytes) {
    if (!disposition.equals(INLINE_OR_EXTERNAL_LINKS)) {
      return this;
    }
    return totalBytes <= INLINE_BYTE_LIMIT
        ? new StatementOptions(INLINE, JSON_ARRAY, rowLimit, byteLimit)
        : new StatementOptions(EXTERNAL_LINKS, format, rowLimit, byteLimit);
  }

  boolean inline() {
    return disposition.equals(INLINE);
  }
}
