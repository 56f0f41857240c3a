package io.aquifer.spark;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import java.util.Locale;
import org.apache.spark.SparkThrowable;

/** Maps what Spark Connect throws to Aquifer's execution error codes, keeping Spark's message. */
final class SparkErrors {
  private SparkErrors() {}

  static ExecException translate(Exception e, String remote) {
    if (e instanceof ExecException x) {
      return x;
    }
    String condition = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SparkThrowable st && st.getCondition() != null) {
        condition = st.getCondition();
        break;
      }
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (condition == null) {
      String text = message.toUpperCase(Locale.ROOT);
      if (text.startsWith("UNAVAILABLE") || text.contains("CONNECTION REFUSED")) {
        return new ExecException(
            ExecErrorCode.NODE_UNAVAILABLE,
            "The Spark cluster at " + remote + " cannot be reached: " + message,
            e);
      }
      if (text.contains("OPERATION_CANCELED") || text.startsWith("CANCELLED")) {
        return new ExecException(ExecErrorCode.QUERY_CANCELED, message, e);
      }
      return new ExecException(ExecErrorCode.ENGINE_ERROR, message, e);
    }
    return new ExecException(code(condition), message, e);
  }

  static ExecErrorCode code(String condition) {
    String c = condition.toUpperCase(Locale.ROOT);
    int dot = c.indexOf('.');
    String main = dot < 0 ? c : c.substring(0, dot);
    return switch (main) {
      case "DIVIDE_BY_ZERO", "INTERVAL_DIVIDED_BY_ZERO" -> ExecErrorCode.DIVISION_BY_ZERO;
      case "ARITHMETIC_OVERFLOW",
          "NUMERIC_VALUE_OUT_OF_RANGE",
          "CAST_OVERFLOW",
          "CAST_OVERFLOW_IN_TABLE_INSERT",
          "DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION" ->
          ExecErrorCode.NUMERIC_OUT_OF_RANGE;
      case "CAST_INVALID_INPUT", "CONVERSION_INVALID_INPUT" -> ExecErrorCode.CAST_INVALID_INPUT;
      case "OPERATION_CANCELED" -> ExecErrorCode.QUERY_CANCELED;
      case "PATH_NOT_FOUND", "FAILED_READ_FILE" ->
          c.contains("FILE_NOT_EXIST") || main.equals("PATH_NOT_FOUND")
              ? ExecErrorCode.DATA_FILE_NOT_FOUND
              : ExecErrorCode.DATA_FILE_CORRUPT;
      case "INVALID_PARAMETER_VALUE" -> ExecErrorCode.INVALID_ARGUMENT;
      case "DATATYPE_MISMATCH" -> ExecErrorCode.DATATYPE_MISMATCH;
      default -> ExecErrorCode.ENGINE_ERROR;
    };
  }
}
