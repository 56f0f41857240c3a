package io.aquifer.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import org.junit.jupiter.api.Test;

/** Spark error conditions to Aquifer's codes (the end-to-end check is SparkEngineTpchTest). */
class SparkErrorsTest {
  @Test
  void errorConditionsMapToExecErrorCodes() {
    assertEquals(ExecErrorCode.DIVISION_BY_ZERO, SparkErrors.code("DIVIDE_BY_ZERO"));
    assertEquals(ExecErrorCode.CAST_INVALID_INPUT, SparkErrors.code("CAST_INVALID_INPUT"));
    assertEquals(ExecErrorCode.NUMERIC_OUT_OF_RANGE, SparkErrors.code("ARITHMETIC_OVERFLOW"));
    assertEquals(
        ExecErrorCode.DATA_FILE_NOT_FOUND, SparkErrors.code("FAILED_READ_FILE.FILE_NOT_EXIST"));
    assertEquals(ExecErrorCode.DATA_FILE_CORRUPT, SparkErrors.code("FAILED_READ_FILE.NO_HINT"));
    assertEquals(ExecErrorCode.QUERY_CANCELED, SparkErrors.code("OPERATION_CANCELED"));
    assertEquals(ExecErrorCode.ENGINE_ERROR, SparkErrors.code("TABLE_OR_VIEW_NOT_FOUND"));
  }

  @Test
  void failuresWithoutAConditionMapByTheirGrpcStatus() {
    ExecException unreachable =
        SparkErrors.translate(
            new IllegalStateException("UNAVAILABLE: io exception"), "sc://127.0.0.1:1");
    assertEquals(ExecErrorCode.NODE_UNAVAILABLE, unreachable.code());
    assertEquals(
        ExecErrorCode.QUERY_CANCELED,
        SparkErrors.translate(new IllegalStateException("CANCELLED: by client"), "sc://h").code());
    assertEquals(
        ExecErrorCode.ENGINE_ERROR,
        SparkErrors.translate(new IllegalStateException("boom"), "sc://h").code());
  }
}
