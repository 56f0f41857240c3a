package io.aquifer.thrift;

import com.databricks.jdbc.model.client.thrift.generated.TBinaryColumn;
import com.databricks.jdbc.model.client.thrift.generated.TBoolColumn;
import com.databricks.jdbc.model.client.thrift.generated.TByteColumn;
import com.databricks.jdbc.model.client.thrift.generated.TColumn;
import com.databricks.jdbc.model.client.thrift.generated.TDoubleColumn;
import com.databricks.jdbc.model.client.thrift.generated.TI16Column;
import com.databricks.jdbc.model.client.thrift.generated.TI32Column;
import com.databricks.jdbc.model.client.thrift.generated.TI64Column;
import com.databricks.jdbc.model.client.thrift.generated.TStringColumn;
import com.databricks.jdbc.model.client.thrift.generated.TTypeId;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Collects the values of one column of a column-based row set ({@link TColumn}): the Thrift type
 * decides the value list (booleans, bytes, shorts, ints, longs, doubles, strings, binaries) and
 * nulls are a bit set, lowest bit first.
 */
final class ColumnBuilder {
  private final TTypeId type;
  private final List<Object> values = new ArrayList<>();
  private final BitSet nulls = new BitSet();

  ColumnBuilder(TTypeId type) {
    this.type = type;
  }

  /** Adds a value already in its protocol form (see {@link ThriftValues}), or null. */
  void add(Object value) {
    if (value == null) {
      nulls.set(values.size());
      values.add(placeholder());
    } else {
      values.add(convert(value));
    }
  }

  private Object placeholder() {
    return switch (type) {
      case BOOLEAN_TYPE -> Boolean.FALSE;
      case TINYINT_TYPE -> (byte) 0;
      case SMALLINT_TYPE -> (short) 0;
      case INT_TYPE -> 0;
      case BIGINT_TYPE -> 0L;
      case FLOAT_TYPE, DOUBLE_TYPE -> 0.0d;
      case BINARY_TYPE -> ByteBuffer.allocate(0);
      default -> "";
    };
  }

  private Object convert(Object v) {
    return switch (type) {
      case BOOLEAN_TYPE -> (Boolean) v;
      case TINYINT_TYPE -> ((Number) v).byteValue();
      case SMALLINT_TYPE -> ((Number) v).shortValue();
      case INT_TYPE -> ((Number) v).intValue();
      case BIGINT_TYPE -> ((Number) v).longValue();
      case FLOAT_TYPE, DOUBLE_TYPE -> ((Number) v).doubleValue();
      case BINARY_TYPE -> ByteBuffer.wrap((byte[]) v);
      case DECIMAL_TYPE -> v instanceof BigDecimal d ? d.toPlainString() : v.toString();
      default -> v.toString();
    };
  }

  @SuppressWarnings("unchecked")
  TColumn build() {
    ByteBuffer nullBytes = ByteBuffer.wrap(nulls.toByteArray());
    List<?> v = values;
    return switch (type) {
      case BOOLEAN_TYPE -> TColumn.boolVal(new TBoolColumn((List<Boolean>) v, nullBytes));
      case TINYINT_TYPE -> TColumn.byteVal(new TByteColumn((List<Byte>) v, nullBytes));
      case SMALLINT_TYPE -> TColumn.i16Val(new TI16Column((List<Short>) v, nullBytes));
      case INT_TYPE -> TColumn.i32Val(new TI32Column((List<Integer>) v, nullBytes));
      case BIGINT_TYPE -> TColumn.i64Val(new TI64Column((List<Long>) v, nullBytes));
      case FLOAT_TYPE, DOUBLE_TYPE ->
          TColumn.doubleVal(new TDoubleColumn((List<Double>) v, nullBytes));
      case BINARY_TYPE -> TColumn.binaryVal(new TBinaryColumn((List<ByteBuffer>) v, nullBytes));
      default -> TColumn.stringVal(new TStringColumn((List<String>) v, nullBytes));
    };
  }
}
