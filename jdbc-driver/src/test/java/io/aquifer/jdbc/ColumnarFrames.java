package io.aquifer.jdbc;

import java.util.List;
import org.apache.calcite.avatica.Meta;

/** Opens the driver's columnar frame reader to the server's tests. */
public final class ColumnarFrames {
  private ColumnarFrames() {}

  public static Meta.Frame unpack(Meta.Frame frame) {
    return ColumnarFrame.unpack(frame);
  }

  public static List<Object> decode(byte[] packed) {
    return ColumnarFrame.decode(packed);
  }
}
