package io.aquifer.avatica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.aquifer.gateway.arrow.ArrowTypeMapping;
import io.aquifer.storage.types.ArrayType;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.MapType;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.StructType;
import java.math.BigDecimal;
import java.sql.Types;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.calcite.avatica.ColumnMetaData;
import org.junit.jupiter.api.Test;

class WireColumnsTest {
  private static JdbcType jdbc(io.aquifer.storage.types.DataType type) {
    return WireColumns.of(ArrowTypeMapping.field("c", type, true)).type();
  }

  @Test
  void aquiferTypesAsJdbcTypes() {
    assertEquals(Types.BOOLEAN, jdbc(PrimitiveType.BOOLEAN).sqlType());
    assertEquals(Types.TINYINT, jdbc(PrimitiveType.TINYINT).sqlType());
    assertEquals(Types.INTEGER, jdbc(PrimitiveType.INT).sqlType());
    assertEquals("INT", jdbc(PrimitiveType.INT).typeName());
    assertEquals(Types.FLOAT, jdbc(PrimitiveType.FLOAT).sqlType());
    assertEquals(Types.VARCHAR, jdbc(PrimitiveType.STRING).sqlType());
    assertEquals("STRING", jdbc(PrimitiveType.STRING).typeName());
    assertEquals(Types.VARBINARY, jdbc(PrimitiveType.BINARY).sqlType());
    assertEquals(Types.DATE, jdbc(PrimitiveType.DATE).sqlType());
    assertEquals(Types.TIMESTAMP, jdbc(PrimitiveType.TIMESTAMP).sqlType());
    assertEquals("TIMESTAMP", jdbc(PrimitiveType.TIMESTAMP).typeName());
    assertEquals("TIMESTAMP_NTZ", jdbc(PrimitiveType.TIMESTAMP_NTZ).typeName());
    JdbcType decimal = jdbc(new DecimalType(20, 5));
    assertEquals(Types.DECIMAL, decimal.sqlType());
    assertEquals(20, decimal.precision());
    assertEquals(5, decimal.scale());
    assertEquals(ColumnMetaData.Rep.NUMBER, decimal.rep());
    JdbcType array = jdbc(new ArrayType(PrimitiveType.BIGINT, true));
    assertEquals(Types.ARRAY, array.sqlType());
    assertEquals("ARRAY<BIGINT>", array.typeName());
    assertEquals(Types.BIGINT, array.element().orElseThrow().sqlType());
    assertEquals(
        "MAP<STRING, INT>",
        jdbc(new MapType(PrimitiveType.STRING, PrimitiveType.INT, true)).typeName());
    assertEquals(
        Types.VARCHAR, jdbc(new MapType(PrimitiveType.STRING, PrimitiveType.INT, true)).sqlType());
    assertEquals(
        "STRUCT<a: INT, b: ARRAY<STRING>>",
        jdbc(new StructType(
                List.of(
                    Column.of("a", PrimitiveType.INT),
                    Column.of("b", new ArrayType(PrimitiveType.STRING, true)))))
            .typeName());
  }

  @Test
  void readsValuesInTheirWireForms() {
    try (BufferAllocator allocator = new RootAllocator();
        DecimalVector decimals =
            new DecimalVector(
                ArrowTypeMapping.field("d", new DecimalType(10, 2), true), allocator);
        Float4Vector floats =
            new Float4Vector(ArrowTypeMapping.field("f", PrimitiveType.FLOAT, true), allocator);
        TimeStampMicroTZVector timestamps =
            new TimeStampMicroTZVector(
                ArrowTypeMapping.field("t", PrimitiveType.TIMESTAMP, true), allocator)) {
      decimals.allocateNew(4);
      decimals.setSafe(0, new BigDecimal("-1.50"));
      decimals.setNull(1);
      decimals.setSafe(2, new BigDecimal("99999999.99"));
      decimals.setSafe(3, new BigDecimal("-99999999.99"));
      decimals.setValueCount(4);
      floats.allocateNew(1);
      floats.setSafe(0, 1.1f);
      floats.setValueCount(1);
      timestamps.allocateNew(1);
      timestamps.setSafe(0, -1_750_001L); // 1969-12-31 23:59:58.249999 UTC
      timestamps.setValueCount(1);

      assertEquals(new BigDecimal("-1.50"), reader(decimals.getField()).read(decimals, 0));
      assertNull(reader(decimals.getField()).read(decimals, 1));
      assertEquals(new BigDecimal("99999999.99"), reader(decimals.getField()).read(decimals, 2));
      assertEquals(new BigDecimal("-99999999.99"), reader(decimals.getField()).read(decimals, 3));
      assertEquals(1.1, reader(floats.getField()).read(floats, 0));
      assertEquals(-1_751L, reader(timestamps.getField()).read(timestamps, 0));
    }
  }

  private static WireColumn.ValueReader reader(Field field) {
    return WireColumns.of(field).reader();
  }
}
