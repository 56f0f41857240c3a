package io.aquifer.avatica;

import com.google.protobuf.UnsafeByteOperations;
import java.util.List;
import org.apache.calcite.avatica.Meta.Frame;
import org.apache.calcite.avatica.proto.Common;
import org.apache.calcite.avatica.remote.TypedValue;

/**
 * A frame whose protobuf form carries each value once. Avatica's own {@link Frame#toProto()} writes
 * every value twice, as the column's {@code scalar_value} and again in the {@code value} list that
 * only Calcite 1.5's clients read; that doubles the bytes of a frame and the work on both ends.
 * Avatica's clients since then read {@code scalar_value} (or {@code array_value}) whenever it is
 * there, so this form reads back as the same rows.
 *
 * <p>Rows are {@code Object[]} or {@code List} (as Avatica's server copies the first frame); a
 * {@code List} value is an array column.
 */
final class CompactFrame extends Frame {
  private final List<Object> rowList;
  private final boolean columnar;
  private volatile Common.Frame encoded;

  private CompactFrame(long offset, boolean done, List<Object> rows, boolean columnar) {
    super(offset, done, rows);
    this.rowList = rows;
    this.columnar = columnar;
  }

  static CompactFrame of(long offset, boolean done, List<Object> rows) {
    return new CompactFrame(offset, done, rows, false);
  }

  /**
   * A frame for a client that asked for columnar frames: its protobuf form is one row of one
   * byte-string value holding all rows (see {@link ColumnarFrameEncoder}); a frame without rows has
   * no rows either way.
   */
  static CompactFrame columnar(long offset, boolean done, List<Object> rows) {
    return new CompactFrame(offset, done, rows, true);
  }

  /** A frame of the same form as this one with other rows. */
  CompactFrame with(long offset, boolean done, List<Object> rows) {
    return new CompactFrame(offset, done, rows, columnar);
  }

  boolean isColumnar() {
    return columnar;
  }

  List<Object> rowList() {
    return rowList;
  }

  /**
   * Writes the protobuf form now (ahead of the request that sends it); kept for {@link #toProto}.
   */
  void encode() {
    if (encoded == null) {
      encoded = write();
    }
  }

  /** The same rows, written compactly; {@code frame} itself when it already is. */
  static Frame of(Frame frame) {
    if (frame instanceof CompactFrame || frame.rows == null) {
      return frame;
    }
    List<Object> rows = new java.util.ArrayList<>();
    frame.rows.forEach(rows::add);
    return of(frame.offset, frame.done, rows);
  }

  @Override
  public Common.Frame toProto() {
    Common.Frame frame = encoded;
    return frame != null ? frame : write();
  }

  private Common.Frame write() {
    Common.Frame.Builder frame = Common.Frame.newBuilder().setDone(done).setOffset(offset);
    if (columnar && !rowList.isEmpty()) {
      Common.TypedValue packed =
          Common.TypedValue.newBuilder()
              .setType(Common.Rep.BYTE_STRING)
              .setBytesValue(UnsafeByteOperations.unsafeWrap(ColumnarFrameEncoder.encode(rowList)))
              .build();
      return frame
          .addRows(
              Common.Row.newBuilder()
                  .addValue(Common.ColumnValue.newBuilder().setScalarValue(packed)))
          .build();
    }
    Common.Row.Builder row = Common.Row.newBuilder();
    Common.ColumnValue.Builder column = Common.ColumnValue.newBuilder();
    for (Object values : rowList) {
      if (values instanceof Object[] array) {
        for (Object value : array) {
          row.addValue(column(column, value));
        }
      } else if (values instanceof List<?> list) {
        for (Object value : list) {
          row.addValue(column(column, value));
        }
      } else {
        throw new IllegalStateException("A frame's row is an array or a list: " + values);
      }
      frame.addRows(row.build());
      row.clear();
    }
    return frame.build();
  }

  private static Common.ColumnValue column(Common.ColumnValue.Builder column, Object value) {
    column.clear();
    if (value instanceof List<?> elements) {
      column.setHasArrayValue(true);
      for (Object element : elements) {
        column.addArrayValue(scalar(element));
      }
    } else {
      column.setScalarValue(scalar(value));
    }
    return column.build();
  }

  private static Common.TypedValue scalar(Object value) {
    Common.TypedValue.Builder builder = Common.TypedValue.newBuilder();
    TypedValue.toProto(builder, value);
    return builder.build();
  }
}
