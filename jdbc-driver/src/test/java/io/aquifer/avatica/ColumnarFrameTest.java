package io.aquifer.avatica;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.jdbc.ColumnarFrames;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.avatica.Meta.Frame;
import org.apache.calcite.avatica.proto.Common;
import org.junit.jupiter.api.Test;

/**
 * Columnar frames read back, through the driver's reader, as the very Java objects Avatica's own
 * protobuf frame gives its client: same classes, same values, nulls where they were.
 */
class ColumnarFrameTest {
  /** Every class of value {@link WireColumns} puts in a frame, and nulls in each column. */
  private static final List<Object> ROWS =
      List.of(
          new Object[] {
            true,
            (byte) -7,
            (short) 300,
            19_782,
            1_733_500_000_123L,
            2.25,
            new BigDecimal("-12345.67891"),
            "text é ✓ 𝄞",
            new byte[] {1, 2, (byte) 0xff},
            Arrays.asList(1, null, 3),
            Arrays.asList("a", null),
            "{\"k\":[1,2]}",
            null
          },
          new Object[] {
            null, null, null, null, null, null, null, null, null, null, null, null, null
          },
          new Object[] {
            false,
            Byte.MIN_VALUE,
            Short.MIN_VALUE,
            Integer.MIN_VALUE,
            Long.MIN_VALUE,
            Double.NaN,
            new BigDecimal("1E+30"),
            "",
            new byte[0],
            List.of(),
            Arrays.asList((Object) null),
            "plain",
            null
          },
          new Object[] {
            true,
            Byte.MAX_VALUE,
            Short.MAX_VALUE,
            Integer.MAX_VALUE,
            Long.MAX_VALUE,
            -0.0,
            new BigDecimal("-123456789012345678901234567890.123"), // beyond a long: mixed forms
            "x".repeat(70_000),
            new byte[] {0},
            List.of(4),
            List.of("b"),
            "x",
            null
          });

  @Test
  void theDriverReadsTheSameValuesAsFromAvaticasFrame() {
    List<Object> expected = rows(Frame.fromProto(CompactFrame.of(30_000, false, ROWS).toProto()));
    Common.Frame wire = CompactFrame.columnar(30_000, false, ROWS).toProto();
    assertEquals(1, wire.getRowsCount(), "one row holds the packed frame");
    Frame unpacked = ColumnarFrames.unpack(Frame.fromProto(wire));
    assertEquals(30_000, unpacked.offset);
    assertEquals(false, unpacked.done);
    List<Object> actual = rows(unpacked);
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      List<?> want = (List<?>) expected.get(i);
      List<?> got = (List<?>) actual.get(i);
      assertEquals(want.size(), got.size());
      for (int j = 0; j < want.size(); j++) {
        Object w = want.get(j);
        Object g = got.get(j);
        String where = "row " + i + " column " + j;
        if (w == null) {
          assertEquals(null, g, where);
        } else if (w instanceof byte[] bytes) {
          assertArrayEquals(bytes, (byte[]) g, where);
        } else {
          assertEquals(w.getClass(), g.getClass(), where);
          assertEquals(w, g, where);
          if (w instanceof BigDecimal d) {
            assertEquals(d.scale(), ((BigDecimal) g).scale(), where);
          }
        }
      }
    }
  }

  @Test
  void aFrameWithoutRowsAndOtherFramesStayAsTheyAre() {
    Frame empty = Frame.fromProto(CompactFrame.columnar(5, true, List.of()).toProto());
    assertEquals(0, rows(empty).size());
    assertSame(empty, ColumnarFrames.unpack(empty));
    // A one-column binary result in Avatica's own form is not taken for a columnar frame.
    List<Object> binary = List.of((Object) new Object[] {new byte[] {1, 2, 3}});
    Frame plain = Frame.fromProto(CompactFrame.of(0, true, binary).toProto());
    assertSame(plain, ColumnarFrames.unpack(plain));
  }

  @Test
  void theColumnarFormIsSmallerThanAvaticas() {
    List<Object> rows = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      rows.add(new Object[] {(long) i, "row " + i, new BigDecimal(i + ".25"), i * 0.5, 20_000 + i});
    }
    int compact = CompactFrame.of(0, true, rows).toProto().getSerializedSize();
    int columnar = CompactFrame.columnar(0, true, rows).toProto().getSerializedSize();
    assertTrue(columnar * 4 < compact * 3, columnar + " bytes against " + compact);
  }

  @Test
  void aTruncatedOrDamagedFrameFailsClearly() {
    byte[] packed = ColumnarFrameEncoder.encode(ROWS);
    for (int cut : new int[] {20, packed.length / 2, packed.length - 1}) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> ColumnarFrames.decode(Arrays.copyOf(packed, cut)),
              "cut at " + cut);
      assertTrue(e.getMessage().startsWith("Malformed columnar frame"), e.getMessage());
    }
    byte[] longer = Arrays.copyOf(packed, packed.length + 3);
    assertThrows(IllegalStateException.class, () -> ColumnarFrames.decode(longer));
  }

  private static List<Object> rows(Frame frame) {
    List<Object> rows = new ArrayList<>();
    frame.rows.forEach(rows::add);
    return rows;
  }
}
