package io.aquifer.thrift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jpountz.lz4.LZ4FrameInputStream;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

class ArrowBatchCursorTest {
  @Test
  void batchesAreWholeLz4Frames() throws Exception {
    byte[] data = "arrow ".repeat(1000).getBytes(StandardCharsets.UTF_8);
    byte[] frame = ArrowBatchCursor.compress(data);
    assertTrue(frame.length < data.length);
    try (LZ4FrameInputStream in = new LZ4FrameInputStream(new ByteArrayInputStream(frame))) {
      assertArrayEquals(data, in.readAllBytes());
    }
  }

  @Test
  void onlyPrimitiveResultsTravelAsArrow() {
    Schema primitive =
        new Schema(
            List.of(
                field("i", new ArrowType.Int(32, true)),
                field("d", new ArrowType.Date(DateUnit.DAY)),
                field("t", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")),
                field("x", new ArrowType.Decimal(10, 2, 128))));
    assertTrue(ArrowBatchCursor.supports(primitive, true, true));
    assertFalse(ArrowBatchCursor.supports(primitive, false, true));
    assertFalse(ArrowBatchCursor.supports(primitive, true, false));
    Schema list =
        new Schema(
            List.of(
                new Field(
                    "a",
                    FieldType.nullable(ArrowType.List.INSTANCE),
                    List.of(field("item", new ArrowType.Int(32, true))))));
    assertFalse(ArrowBatchCursor.supports(list, true, true));
  }

  private static Field field(String name, ArrowType type) {
    return new Field(name, FieldType.nullable(type), null);
  }
}
