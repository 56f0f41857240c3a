package io.aquifer.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NamedParametersTest {
  private static Map<String, NamedParameters.Parameter> params(String... nameValueType) {
    Map<String, NamedParameters.Parameter> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < nameValueType.length; i += 3) {
      out.put(
          nameValueType[i],
          new NamedParameters.Parameter(
              nameValueType[i], Optional.ofNullable(nameValueType[i + 1]), nameValueType[i + 2]));
    }
    return out;
  }

  @Test
  void markersOutsideLiteralsCommentsAndCastsBecomeTypedPositionalMarkers() {
    NamedParameters.Bound b =
        NamedParameters.bind(
            "SELECT :a, ':a', `:a`, x::int, -- :a\n /* :a */ :b_2 FROM t WHERE d = :d",
            params("a", "7", "BIGINT", "b_2", null, "STRING", "d", "2024-01-31", "DATE"));
    assertEquals(
        "SELECT CAST(? AS BIGINT), ':a', `:a`, x::int, -- :a\n /* :a */ CAST(? AS STRING) FROM t"
            + " WHERE d = CAST(? AS DATE)",
        b.sql());
    assertEquals(Arrays.asList(7L, null, LocalDate.of(2024, 1, 31)), b.values());
  }

  @Test
  void theJdbcDriversQuestionMarksBindByOrdinal() {
    NamedParameters.Bound b =
        NamedParameters.bind(
            "SELECT * FROM t WHERE a = ? AND b = '?' AND c = ?",
            params("?1", "5", "INT", "?2", "x", "STRING"));
    assertEquals(
        "SELECT * FROM t WHERE a = CAST(? AS INT) AND b = '?' AND c = CAST(? AS STRING)", b.sql());
    assertEquals(Arrays.asList(5, "x"), b.values());
  }

  @Test
  void decimalsKeepPrecisionAndBadValuesAreInvalidParameters() {
    NamedParameters.Bound b =
        NamedParameters.bind("SELECT :p", params("p", "12.50", "DECIMAL(6,2)"));
    assertEquals("SELECT CAST(? AS DECIMAL(6, 2))", b.sql());
    assertEquals(new BigDecimal("12.50"), b.values().get(0));
    DatabricksApiException bad =
        assertThrows(
            DatabricksApiException.class,
            () -> NamedParameters.bind("SELECT :p", params("p", "x", "INT")));
    assertEquals("INVALID_PARAMETER_VALUE", bad.errorCode());
    DatabricksApiException unbound =
        assertThrows(
            DatabricksApiException.class, () -> NamedParameters.bind("SELECT :q", params()));
    assertEquals(400, unbound.httpStatus());
    assertThrows(
        DatabricksApiException.class,
        () -> NamedParameters.bind("SELECT :p", params("p", "1", "INT); DROP TABLE t; --")));
  }
}
