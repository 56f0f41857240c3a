package io.aquifer.exec.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * DuckDB failures become error codes with clean messages, whether DuckDB raises them while the
 * query starts (where the JDBC driver loses the message and the engine recovers it) or while
 * batches stream.
 */
class DuckDbErrorMappingTest {
  @TempDir static Path root;
  static DuckDbEngineFixture fixture;

  @BeforeAll
  static void start() {
    fixture = new DuckDbEngineFixture(root);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @ParameterizedTest
  @CsvSource(
      delimiterString = " ==> ",
      value = {
        "SELECT range // (range - 5) FROM range(10) ==> DIVISION_BY_ZERO ==> Division by zero",
        "SELECT range % (range - 5) FROM range(10) ==> DIVISION_BY_ZERO ==> Division by zero",
        "SELECT CAST(2147483647 AS INTEGER) + CAST(range AS INTEGER) FROM range(3) ==> NUMERIC_OUT_OF_RANGE ==> Overflow in addition of INT (2147483647 + 1)",
        "SELECT CAST(300 + range AS TINYINT) FROM range(3) ==> NUMERIC_OUT_OF_RANGE ==> Type BIGINT with value 300 can't be cast because the value is out of range for the destination type TINYINT",
        "SELECT CAST(123456 + range AS DECIMAL(3,0)) FROM range(2) ==> NUMERIC_OUT_OF_RANGE ==> Could not cast value 123456 to DECIMAL(3,0)",
        "SELECT CAST('abc' || range AS INTEGER) FROM range(3) ==> CAST_INVALID_INPUT ==> The value 'abc0' of the type \"STRING\" cannot be cast to \"INT\" because it is malformed. Correct the value as per the syntax, or change its target type. Use try_cast to tolerate malformed input and return NULL instead.",
        "SELECT CAST('2024-13-45' || range AS DATE) FROM range(1) ==> CAST_INVALID_INPUT ==> ",
        "SELECT CAST('2024-02-3' || range AS DATE) FROM range(1) ==> CAST_INVALID_INPUT ==> ",
        "SELECT CASE WHEN range = 3000000 THEN CAST('x' AS INTEGER) ELSE range END FROM range(5000000) ==> CAST_INVALID_INPUT ==> The value 'x' of the type \"STRING\" cannot be cast to \"INT\" because it is malformed. Correct the value as per the syntax, or change its target type. Use try_cast to tolerate malformed input and return NULL instead.",
        "SELECT error('boom ' || range) FROM range(1) ==> INVALID_ARGUMENT ==> boom 0",
        "SELECT regexp_matches('abc' || range, '(') FROM range(1) ==> INVALID_PATTERN ==> The value of parameter(s) `regexp` is invalid: the regular expression does not compile (missing ) at '(')",
        "SELECT regexp_extract('abc' || range, 'a**', 0) FROM range(1) ==> INVALID_PATTERN ==> The value of parameter(s) `regexp` is invalid: the regular expression does not compile (bad repetition operator at '**')",
        "SELECT regexp_replace('abc' || range, '[', 'x') FROM range(1) ==> INVALID_PATTERN ==> ",
        "SELECT substring(range, 'a') FROM range(1) ==> DATATYPE_MISMATCH ==> ",
        "SELECT nosuchcol FROM range(1) ==> ENGINE_ERROR ==> ",
        "SELECT * FROM nosuchtable ==> ENGINE_ERROR ==> ",
      })
  void failuresAreMappedToCodes(String sql, ExecErrorCode code, String message) {
    ExecException e = assertThrows(ExecException.class, () -> fixture.rows(sql));
    assertEquals(code, e.code(), e.getMessage());
    if (message != null) {
      assertEquals(message, e.getMessage());
    }
    for (String internal :
        new String[] {"LINE ", "Possible solutions", "TRY(", "INT32", "Invalid result set"}) {
      assertFalse(e.getMessage().contains(internal), e.getMessage());
    }
    assertTrue(fixture.engine.runningQueries() == 0);
  }
}
