package io.aquifer.avatica;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.avatica.Meta.Frame;
import org.apache.calcite.avatica.proto.Common;
import org.junit.jupiter.api.Test;

class CompactFrameTest {
  private static final List<Object> ROWS =
      List.of(
          new Object[] {
            1L, "text é", new BigDecimal("-12345.67891"), 2.25, true, 19_782, new byte[] {1, 2}
          },
          new Object[] {null, null, null, null, null, null, null},
          new Object[] {
            Long.MIN_VALUE,
            "",
            BigDecimal.ZERO,
            -0.5,
            false,
            -1,
            Arrays.asList(1, null, 3) // an array column
          });

  @Test
  void avaticasClientReadsTheSameRowsAsFromAvaticasOwnFrame() {
    Frame avatica = Frame.fromProto(new Frame(20_000, false, ROWS).toProto());
    Frame compact = Frame.fromProto(CompactFrame.of(20_000, false, ROWS).toProto());
    assertEquals(20_000, compact.offset);
    assertEquals(false, compact.done);
    List<Object> expected = new ArrayList<>();
    avatica.rows.forEach(expected::add);
    List<Object> actual = new ArrayList<>();
    compact.rows.forEach(actual::add);
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      List<?> want = (List<?>) expected.get(i);
      List<?> got = (List<?>) actual.get(i);
      assertEquals(want.size(), got.size());
      for (int j = 0; j < want.size(); j++) {
        if (want.get(j) instanceof byte[] bytes) {
          assertArrayEquals(bytes, (byte[]) got.get(j));
        } else {
          assertEquals(want.get(j), got.get(j), "row " + i + " column " + j);
        }
      }
    }
  }

  @Test
  void eachValueTravelsOnce() {
    Common.Frame avatica = new Frame(0, true, ROWS).toProto();
    Common.Frame compact = CompactFrame.of(0, true, ROWS).toProto();
    for (Common.Row row : compact.getRowsList()) {
      for (Common.ColumnValue column : row.getValueList()) {
        assertEquals(0, column.getValueCount(), "the deprecated value list stays empty");
      }
    }
    assertTrue(
        compact.getSerializedSize() * 10 < avatica.getSerializedSize() * 6,
        compact.getSerializedSize() + " bytes against Avatica's " + avatica.getSerializedSize());
  }

  @Test
  void anEncodedFrameSendsWhatItEncoded() {
    CompactFrame frame = CompactFrame.of(0, true, ROWS);
    frame.encode();
    assertEquals(CompactFrame.of(0, true, ROWS).toProto(), frame.toProto());
  }
}
