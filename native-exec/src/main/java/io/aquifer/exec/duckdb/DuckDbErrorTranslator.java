package io.aquifer.exec.duckdb;

import static io.aquifer.exec.duckdb.DuckDbEngineConfig.formatBytes;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns DuckDB failures into {@link ExecException}s: an error code by the kind of failure, and a
 * message without engine-SQL positions, tuning advice or DuckDB's internal type names.
 */
final class DuckDbErrorTranslator {
  /** Prefix of the error our NOT NULL checks raise in writes. */
  static final String NOT_NULL_MARKER = "NOT NULL constraint violated: ";

  /**
   * DuckDB JDBC 2.0.0.1 loses the message of an error that happens while a streaming query starts
   * and reports this instead.
   */
  private static final String LOST_STREAMING_ERROR = "Invalid result set";

  private static final Pattern TYPED_MESSAGE =
      Pattern.compile("^([A-Za-z][A-Za-z ]*?) Error: (.*)$", Pattern.DOTALL);
  private static final Pattern C_DATA_MESSAGE =
      Pattern.compile("CDataJniException\\{errno=-?\\d+, message=(.*)}\\s*$", Pattern.DOTALL);
  private static final Pattern TYPE_NAMES =
      Pattern.compile(
          "\\b(INT8|INT16|INT32|INT64|VARCHAR|BLOB|TIMESTAMP WITH TIME ZONE|TIMESTAMPTZ|TIMESTAMP)\\b");

  /**
   * RE2's complaint about a pattern that does not compile, as the engine reports it: the error, a
   * colon, and the part of the pattern at fault ({@code missing ): a(b}).
   */
  private static final Pattern REGEX_ERROR =
      Pattern.compile(
          "(missing \\]|missing \\)|missing \\(|unexpected \\)|invalid escape sequence"
              + "|invalid character class range|invalid character class|trailing \\\\"
              + "|no argument for repetition operator|missing argument to repetition operator"
              + "|invalid repetition size|bad repetition operator|invalid perl operator"
              + "|invalid UTF-8|invalid named capture group|pattern too large - compile failed)"
              + ": (.*)",
          Pattern.DOTALL);

  private final DuckDbEngineConfig config;

  DuckDbErrorTranslator(DuckDbEngineConfig config) {
    this.config = config;
  }

  /** True when the failure is the JDBC driver's placeholder for a lost streaming error. */
  static boolean isLostStreamingError(Throwable error) {
    String message = engineMessage(error);
    return message != null && message.contains(LOST_STREAMING_ERROR);
  }

  ExecException translate(Throwable error) {
    if (error instanceof ExecException e) {
      return e;
    }
    if (error instanceof org.apache.arrow.memory.OutOfMemoryException) {
      return new ExecException(
          ExecErrorCode.OUT_OF_MEMORY,
          "The query ran out of Arrow memory on the node: " + error.getMessage(),
          error);
    }
    String raw = engineMessage(error);
    if (anyMessageContains(error, "Recursion level in ArrowSchema")) {
      // Arrow's C data interface stops at 64 levels of nested types.
      return new ExecException(
          ExecErrorCode.STATEMENT_TOO_COMPLEX,
          "The result's type nests too deeply to be returned (Arrow allows 64 levels)",
          error);
    }
    if (raw == null) {
      return new ExecException(
          ExecErrorCode.ENGINE_ERROR,
          "The engine failed: " + error.getClass().getSimpleName(),
          error);
    }
    String kind = "";
    String detail = raw;
    Matcher typed = TYPED_MESSAGE.matcher(raw.trim());
    if (typed.matches()) {
      kind = typed.group(1).toLowerCase(Locale.ROOT);
      detail = typed.group(2);
    }
    detail = clean(detail);
    String lower = detail.toLowerCase(Locale.ROOT);
    ExecErrorCode code;
    String message;
    if (kind.equals("interrupt")) {
      code = ExecErrorCode.QUERY_CANCELED;
      message = "The query was canceled";
    } else if (kind.equals("fatal") || lower.contains("database has been invalidated")) {
      code = ExecErrorCode.NODE_UNAVAILABLE;
      message = "The node's engine failed and must be restarted: " + detail;
    } else if (kind.equals("out of memory")) {
      code = ExecErrorCode.OUT_OF_MEMORY;
      message =
          raw.contains("max_temp_directory_size")
              ? "The query ran out of spill space in "
                  + config.tempDirectory()
                  + " ("
                  + firstSentence(detail)
                  + ")"
              : "The query exceeded the node memory limit of "
                  + formatBytes(config.nodeMemoryLimitBytes())
                  + " ("
                  + detail
                  + ")";
    } else if (lower.contains("division by zero")) {
      code = ExecErrorCode.DIVISION_BY_ZERO;
      message = "Division by zero";
    } else if (detail.startsWith(io.aquifer.planner.functions.CheckConstraintViolation.MARKER)) {
      code = ExecErrorCode.CHECK_VIOLATION;
      message =
          detail.substring(io.aquifer.planner.functions.CheckConstraintViolation.MARKER.length());
    } else if (detail.startsWith(NOT_NULL_MARKER)) {
      code = ExecErrorCode.NOT_NULL_VIOLATION;
      message = detail.substring(NOT_NULL_MARKER.length());
    } else if (kind.equals("out of range")) {
      code = ExecErrorCode.NUMERIC_OUT_OF_RANGE;
      message = detail;
    } else if (kind.equals("conversion")) {
      // "date field value out of range: 2024-02-30" is an invalid date, not a numeric overflow.
      code =
          (lower.contains("out of range") && !lower.contains("field value out of range"))
                  || lower.contains("overflow")
                  || (lower.startsWith("could not cast value") && lower.contains("to decimal"))
              ? ExecErrorCode.NUMERIC_OUT_OF_RANGE
              : ExecErrorCode.CAST_INVALID_INPUT;
      message = castMessage(detail);
    } else if (kind.equals("permission")) {
      code = ExecErrorCode.ACCESS_DENIED;
      message =
          "Access denied: the engine may only use the node's data directories (" + detail + ")";
    } else if (lower.contains("configuration has been locked")) {
      code = ExecErrorCode.ACCESS_DENIED;
      message = "Access denied: the engine's configuration is locked";
    } else if (lower.contains("no files found that match the pattern")
        || lower.contains("no such file or directory")) {
      code = ExecErrorCode.DATA_FILE_NOT_FOUND;
      message = "A data file of the table is missing: " + detail;
    } else if (lower.contains("no space left on device")) {
      code = ExecErrorCode.DISK_FULL;
      message = "The node ran out of disk space: " + detail;
    } else if (lower.contains("magic bytes")
        || lower.contains("too small to be a parquet file")
        || lower.contains("invalid parquet")) {
      code = ExecErrorCode.DATA_FILE_CORRUPT;
      message = "A data file of the table is not valid Parquet: " + detail;
    } else if (kind.equals("not implemented")) {
      code = ExecErrorCode.NOT_SUPPORTED;
      message = "Not supported by the engine: " + detail;
    } else if (kind.equals("invalid input") && REGEX_ERROR.matcher(detail).matches()) {
      code = ExecErrorCode.INVALID_PATTERN;
      message = patternMessage(detail);
    } else if (kind.equals("invalid input")) {
      code = ExecErrorCode.INVALID_ARGUMENT;
      message = detail;
    } else if (lower.contains("max expression depth limit")) {
      code = ExecErrorCode.STATEMENT_TOO_COMPLEX;
      message = "The statement nests too deeply for the engine; simplify it";
    } else if (kind.equals("binder")
        && (lower.contains("no function matches")
            || lower.contains("an explicit cast is required")
            || lower.contains("could not choose a best candidate function"))) {
      code = ExecErrorCode.DATATYPE_MISMATCH;
      message = "The expression's types do not fit together: " + detail;
    } else if (kind.equals("binder") || kind.equals("parser") || kind.equals("catalog")) {
      code = ExecErrorCode.ENGINE_ERROR;
      message = "The engine rejected the compiled query: " + detail;
    } else {
      code = ExecErrorCode.ENGINE_ERROR;
      message = kind.isEmpty() ? detail : "Engine error (" + kind + "): " + detail;
    }
    return new ExecException(code, message, error);
  }

  /** DuckDB's own message inside whatever wrapped it (JDBC, the Arrow C stream). */
  private static boolean anyMessageContains(Throwable error, String text) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains(text)) {
        return true;
      }
    }
    return false;
  }

  static String engineMessage(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message == null) {
        continue;
      }
      Matcher c = C_DATA_MESSAGE.matcher(message);
      if (c.find()) {
        return c.group(1);
      }
      if (t instanceof java.sql.SQLException || TYPED_MESSAGE.matcher(message).matches()) {
        return message;
      }
    }
    return error.getMessage();
  }

  /** Keeps the first paragraph: DuckDB appends the SQL position ("LINE 1: ...") and advice. */
  static String clean(String detail) {
    String text = detail;
    int cut = text.length();
    for (String end : new String[] {"\n\n", "\nLINE ", "\nPossible solutions", "\n\tat "}) {
      int i = text.indexOf(end);
      if (i >= 0) {
        cut = Math.min(cut, i);
      }
    }
    text = text.substring(0, cut).trim().replace('\n', ' ');
    while (text.endsWith("!")) {
      text = text.substring(0, text.length() - 1);
    }
    return translateTypeNames(text);
  }

  private static String translateTypeNames(String text) {
    Matcher m = TYPE_NAMES.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement =
          switch (m.group(1)) {
            case "INT8" -> "TINYINT";
            case "INT16" -> "SMALLINT";
            case "INT32" -> "INT";
            case "INT64" -> "BIGINT";
            case "VARCHAR" -> "STRING";
            case "BLOB" -> "BINARY";
            case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ" -> "TIMESTAMP";
            default -> "TIMESTAMP_NTZ";
          };
      m.appendReplacement(out, replacement);
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Databricks' wording for a pattern that is not a regular expression, with RE2's reason. */
  static String patternMessage(String detail) {
    Matcher m = REGEX_ERROR.matcher(detail);
    if (!m.matches()) {
      return detail;
    }
    return "The value of parameter(s) `regexp` is invalid: the regular expression does not compile ("
        + m.group(1)
        + " at '"
        + m.group(2)
        + "')";
  }

  private static String firstSentence(String text) {
    int dot = text.indexOf(". ");
    return dot > 0 ? text.substring(0, dot) : text;
  }

  private static final java.util.regex.Pattern MALFORMED =
      java.util.regex.Pattern.compile("Could not convert string '(.*)' to ([A-Z0-9_()., ]+)");

  /**
   * Databricks' wording for text that does not read as the target type (its CAST_INVALID_INPUT);
   * other conversion failures keep the engine's detail.
   */
  static String castMessage(String detail) {
    java.util.regex.Matcher m = MALFORMED.matcher(detail);
    if (!m.lookingAt()) {
      return detail;
    }
    return "The value '"
        + m.group(1)
        + "' of the type \"STRING\" cannot be cast to \""
        + m.group(2).trim()
        + "\" because it is malformed. Correct the value as per the syntax, or change its target"
        + " type. Use try_cast to tolerate malformed input and return NULL instead.";
  }
}
