package io.aquifer.avatica;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.catalog.Principal;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.PreparedStatementInfo;
import io.aquifer.gateway.frontend.PreparedStatements;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.calcite.avatica.ColumnMetaData.Rep;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.avatica.util.ByteString;
import org.junit.jupiter.api.Test;

/**
 * Values as Avatica's client serializes them (after a protobuf round trip), into gateway values.
 */
class ParameterValuesTest {
  private static Object bind(TypedValue value) {
    // Through the wire form, as the server receives it.
    return ParameterValues.toJava(TypedValue.fromProto(value.toProto()), 1);
  }

  @Test
  void scalars() {
    assertEquals(true, bind(TypedValue.ofLocal(Rep.BOOLEAN, true)));
    assertEquals(7, bind(TypedValue.ofLocal(Rep.SHORT, (short) 7)));
    assertEquals(42, bind(TypedValue.ofLocal(Rep.INTEGER, 42)));
    assertEquals(1L << 40, bind(TypedValue.ofLocal(Rep.LONG, 1L << 40)));
    assertEquals(1.1, bind(TypedValue.ofLocal(Rep.FLOAT, 1.1f)));
    assertEquals(2.5, bind(TypedValue.ofLocal(Rep.DOUBLE, 2.5)));
    assertEquals(
        new BigDecimal("12345.678901234567890123"),
        bind(TypedValue.ofLocal(Rep.NUMBER, new BigDecimal("12345.678901234567890123"))));
    assertEquals("é", bind(TypedValue.ofLocal(Rep.STRING, "é")));
    assertArrayEquals(
        new byte[] {0, (byte) 255},
        (byte[])
            bind(TypedValue.ofLocal(Rep.BYTE_STRING, new ByteString(new byte[] {0, (byte) 255}))));
    assertNull(bind(TypedValue.EXPLICIT_NULL));
  }

  @Test
  void datesAndTimestampsAreWallClocks() {
    assertEquals(
        LocalDate.of(2024, 2, 29),
        bind(TypedValue.ofSerial(Rep.JAVA_SQL_DATE, (int) LocalDate.of(2024, 2, 29).toEpochDay())));
    long millis =
        LocalDateTime.of(1969, 12, 31, 23, 59, 58, 250_000_000)
            .toInstant(java.time.ZoneOffset.UTC)
            .toEpochMilli();
    assertEquals(
        LocalDateTime.of(1969, 12, 31, 23, 59, 58, 250_000_000),
        bind(TypedValue.ofSerial(Rep.JAVA_SQL_TIMESTAMP, millis)));
  }

  @Test
  void refusesTimeAndCountsParameters() {
    GatewayException time =
        assertThrows(
            GatewayException.class, () -> bind(TypedValue.ofSerial(Rep.JAVA_SQL_TIME, 1000)));
    assertEquals("0A000", time.sqlState());
    assertTrue(time.getMessage().contains("Parameter 1"), time.getMessage());
    GatewayException count =
        assertThrows(
            GatewayException.class,
            () ->
                ParameterValues.toJava(
                    List.of(TypedValue.ofLocal(Rep.INTEGER, 1)), twoParameters()));
    assertEquals("07001", count.sqlState());
    assertEquals(
        Arrays.asList(1, null),
        ParameterValues.toJava(
            List.of(TypedValue.ofLocal(Rep.INTEGER, 1), TypedValue.EXPLICIT_NULL),
            twoParameters()));
  }

  private static PreparedStatements.Prepared twoParameters() {
    Schema parameters =
        new Schema(
            List.of(
                Field.nullable("1", new ArrowType.Int(32, true)),
                Field.nullable("2", new ArrowType.Int(32, true))));
    return new PreparedStatements()
        .create(
            "connection",
            new Principal("alice", false),
            new PreparedStatementInfo("SELECT ? + ?", new Schema(List.of()), parameters, true));
  }
}
