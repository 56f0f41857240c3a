package io.aquifer.flightsql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.gateway.GatewayException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMilliVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.TimeStampNanoVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.DenseUnionVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParameterBinderTest {
  private final RootAllocator allocator = new RootAllocator();

  @AfterEach
  void close() {
    allocator.close();
  }

  @Test
  void readsEveryPrimitiveArrowTypeAsTheServicesJavaValues() {
    TinyIntVector tiny = new TinyIntVector("p1", allocator);
    SmallIntVector small = new SmallIntVector("p2", allocator);
    IntVector integer = new IntVector("p3", allocator);
    BigIntVector bigint = new BigIntVector("p4", allocator);
    UInt1Vector ubyte = new UInt1Vector("p5", allocator);
    UInt4Vector uint = new UInt4Vector("p6", allocator);
    UInt8Vector ulong = new UInt8Vector("p7", allocator);
    Float4Vector real = new Float4Vector("p8", allocator);
    Float8Vector dbl = new Float8Vector("p9", allocator);
    DecimalVector decimal = new DecimalVector("p10", allocator, 10, 2);
    VarCharVector text = new VarCharVector("p11", allocator);
    LargeVarCharVector largeText = new LargeVarCharVector("p12", allocator);
    VarBinaryVector binary = new VarBinaryVector("p13", allocator);
    BitVector bool = new BitVector("p14", allocator);
    DateDayVector day = new DateDayVector("p15", allocator);
    DateMilliVector dayMillis = new DateMilliVector("p16", allocator);
    TimeStampMilliVector millis = new TimeStampMilliVector("p17", allocator);
    TimeStampMicroVector micros = new TimeStampMicroVector("p18", allocator);
    TimeStampNanoVector nanos = new TimeStampNanoVector("p19", allocator);
    TimeStampMicroTZVector instant = new TimeStampMicroTZVector("p20", allocator, "UTC");
    List<FieldVector> vectors =
        List.of(
            tiny, small, integer, bigint, ubyte, uint, ulong, real, dbl, decimal, text, largeText,
            binary, bool, day, dayMillis, millis, micros, nanos, instant);
    try (VectorSchemaRoot root = new VectorSchemaRoot(vectors)) {
      root.allocateNew();
      tiny.setSafe(0, -5);
      small.setSafe(0, 300);
      integer.setSafe(0, 42);
      bigint.setSafe(0, 1L << 40);
      ubyte.setSafe(0, 200);
      uint.setSafe(0, -1);
      ulong.setSafe(0, -1L);
      real.setSafe(0, 1.1f);
      dbl.setSafe(0, 2.5);
      decimal.setSafe(0, new BigDecimal("12.34"));
      text.setSafe(0, "héllo".getBytes(StandardCharsets.UTF_8));
      largeText.setSafe(0, "large".getBytes(StandardCharsets.UTF_8));
      binary.setSafe(0, new byte[] {1, 2});
      bool.setSafe(0, 1);
      day.setSafe(0, (int) LocalDate.of(2024, 2, 29).toEpochDay());
      dayMillis.setSafe(0, LocalDate.of(1969, 12, 31).toEpochDay() * 86_400_000L);
      millis.setSafe(0, 1_709_214_330_123L);
      micros.setSafe(0, -1L);
      nanos.setSafe(0, 1_709_214_330_123_456_789L);
      instant.setSafe(0, 1_709_214_330_123_456L);
      for (FieldVector vector : vectors) {
        vector.setNull(1);
      }
      root.setRowCount(2);

      List<Object> row = ParameterBinder.row(root, 0);
      assertEquals(-5, row.get(0));
      assertEquals(300, row.get(1));
      assertEquals(42, row.get(2));
      assertEquals(1L << 40, row.get(3));
      assertEquals(200, row.get(4));
      assertEquals(4_294_967_295L, row.get(5));
      assertEquals(new BigDecimal("18446744073709551615"), row.get(6));
      assertEquals(1.1, row.get(7));
      assertEquals(2.5, row.get(8));
      assertEquals(new BigDecimal("12.34"), row.get(9));
      assertEquals("héllo", row.get(10));
      assertEquals("large", row.get(11));
      assertArrayEquals(new byte[] {1, 2}, (byte[]) row.get(12));
      assertEquals(true, row.get(13));
      assertEquals(LocalDate.of(2024, 2, 29), row.get(14));
      assertEquals(LocalDate.of(1969, 12, 31), row.get(15));
      assertEquals(LocalDateTime.of(2024, 2, 29, 13, 45, 30, 123_000_000), row.get(16));
      assertEquals(LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000), row.get(17));
      assertEquals(LocalDateTime.of(2024, 2, 29, 13, 45, 30, 123_456_789), row.get(18));
      assertEquals(Instant.parse("2024-02-29T13:45:30.123456Z"), row.get(19));

      assertTrue(ParameterBinder.row(root, 1).stream().allMatch(v -> v == null));
    }
  }

  @Test
  void readsTheChosenMemberOfAUnion() {
    try (DenseUnionVector union = new DenseUnionVector("p1", allocator, null, null)) {
      byte intType =
          union.registerNewTypeId(
              org.apache.arrow.vector.types.pojo.Field.nullable("i", new ArrowType.Int(32, true)));
      byte textType =
          union.registerNewTypeId(
              org.apache.arrow.vector.types.pojo.Field.nullable("s", ArrowType.Utf8.INSTANCE));
      union.addVector(intType, new IntVector("i", allocator));
      union.addVector(textType, new VarCharVector("s", allocator));
      IntVector ints = (IntVector) union.getVectorByType(intType);
      VarCharVector texts = (VarCharVector) union.getVectorByType(textType);
      union.allocateNew();
      union.setTypeId(0, intType);
      union.setOffset(0, 0);
      ints.setSafe(0, 7);
      union.setTypeId(1, textType);
      union.setOffset(1, 0);
      texts.setSafe(0, "x".getBytes(StandardCharsets.UTF_8));
      ints.setValueCount(1);
      texts.setValueCount(1);
      union.setValueCount(2);
      assertEquals(7, ParameterBinder.value(union, 0, 1));
      assertEquals("x", ParameterBinder.value(union, 1, 1));
    }
  }

  @Test
  void refusesTypesWithoutAnAquiferCounterpart() {
    try (TimeMilliVector time = new TimeMilliVector("p1", allocator)) {
      time.allocateNew();
      time.setSafe(0, 1000);
      time.setValueCount(1);
      GatewayException e =
          assertThrows(GatewayException.class, () -> ParameterBinder.value(time, 0, 3));
      assertEquals("UNSUPPORTED_PARAMETER_TYPE", e.errorClass());
      assertTrue(e.clientMessage().contains("Parameter 3"), e.clientMessage());
      time.setNull(0);
      assertNull(ParameterBinder.value(time, 0, 3));
    }
  }
}
