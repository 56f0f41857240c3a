package io.aquifer.flightsql;

import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.arrow.ArrowTimestamps;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.LargeVarBinaryVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ViewVarBinaryVector;
import org.apache.arrow.vector.ViewVarCharVector;
import org.apache.arrow.vector.complex.DenseUnionVector;
import org.apache.arrow.vector.complex.UnionVector;

/**
 * Reads parameter values sent by a client as Arrow batches (one row per execution, one column per
 * {@code ?}) into the Java values {@link io.aquifer.gateway.StatementService#submit} takes:
 * Boolean, Integer, Long, BigDecimal, Double, String, byte[], LocalDate, LocalDateTime (timestamps
 * without zone), Instant (timestamps with zone), or null.
 *
 * <p>The column's Arrow type decides, not the declared parameter type: the gateway converts.
 * Integers up to 32 bits become Integer, 64-bit ones Long (unsigned 64-bit beyond Long's range
 * BigDecimal); FLOAT becomes the Double of its shortest decimal spelling (so 1.1f binds as 1.1);
 * timestamps of any unit keep their full precision. Arrow types without an Aquifer counterpart
 * (time of day, intervals, durations, lists, structs, maps) are refused.
 */
final class ParameterBinder {
  private ParameterBinder() {}

  /** All rows of all batches of a DoPut stream. */
  static List<List<Object>> readAll(FlightStream stream) {
    List<List<Object>> rows = new ArrayList<>();
    while (stream.next()) {
      rows.addAll(rows(stream.getRoot()));
    }
    return Collections.unmodifiableList(rows);
  }

  static List<List<Object>> rows(VectorSchemaRoot root) {
    List<List<Object>> rows = new ArrayList<>(root.getRowCount());
    for (int row = 0; row < root.getRowCount(); row++) {
      rows.add(row(root, row));
    }
    return rows;
  }

  static List<Object> row(VectorSchemaRoot root, int row) {
    List<FieldVector> vectors = root.getFieldVectors();
    // Arrays.asList keeps nulls, which List.of would reject.
    Object[] values = new Object[vectors.size()];
    for (int column = 0; column < values.length; column++) {
      values[column] = value(vectors.get(column), row, column + 1);
    }
    return Collections.unmodifiableList(Arrays.asList(values));
  }

  /** The value at {@code index}; {@code parameter} is the 1-based position, for messages. */
  static Object value(ValueVector vector, int index, int parameter) {
    if (vector.isNull(index)) {
      return null;
    }
    return switch (vector.getMinorType()) {
      case NULL -> null;
      case BIT -> ((BitVector) vector).get(index) != 0;
      case TINYINT -> (int) ((TinyIntVector) vector).get(index);
      case SMALLINT -> (int) ((SmallIntVector) vector).get(index);
      case INT -> ((IntVector) vector).get(index);
      case BIGINT -> ((BigIntVector) vector).get(index);
      case UINT1 -> Byte.toUnsignedInt(((UInt1Vector) vector).get(index));
      case UINT2 -> (int) ((UInt2Vector) vector).get(index);
      case UINT4 -> Integer.toUnsignedLong(((UInt4Vector) vector).get(index));
      case UINT8 -> unsignedLong(((UInt8Vector) vector).get(index));
      case FLOAT2 -> shortestDouble(((Float2Vector) vector).getValueAsFloat(index));
      case FLOAT4 -> shortestDouble(((Float4Vector) vector).get(index));
      case FLOAT8 -> ((Float8Vector) vector).get(index);
      case DECIMAL -> ((DecimalVector) vector).getObject(index);
      case DECIMAL256 -> ((Decimal256Vector) vector).getObject(index);
      case VARCHAR -> ((VarCharVector) vector).getObject(index).toString();
      case LARGEVARCHAR -> ((LargeVarCharVector) vector).getObject(index).toString();
      case VIEWVARCHAR -> ((ViewVarCharVector) vector).getObject(index).toString();
      case VARBINARY -> ((VarBinaryVector) vector).get(index);
      case LARGEVARBINARY -> ((LargeVarBinaryVector) vector).get(index);
      case VIEWVARBINARY -> ((ViewVarBinaryVector) vector).get(index);
      case FIXEDSIZEBINARY -> ((FixedSizeBinaryVector) vector).get(index);
      case DATEDAY -> LocalDate.ofEpochDay(((DateDayVector) vector).get(index));
      case DATEMILLI ->
          LocalDate.ofEpochDay(Math.floorDiv(((DateMilliVector) vector).get(index), 86_400_000L));
      case TIMESTAMPSEC, TIMESTAMPMILLI, TIMESTAMPMICRO, TIMESTAMPNANO ->
          LocalDateTime.ofInstant(instant((TimeStampVector) vector, index), ZoneOffset.UTC);
      case TIMESTAMPSECTZ, TIMESTAMPMILLITZ, TIMESTAMPMICROTZ, TIMESTAMPNANOTZ ->
          instant((TimeStampVector) vector, index);
      case DENSEUNION -> {
        DenseUnionVector union = (DenseUnionVector) vector;
        byte typeId = union.getTypeId(index);
        yield value(union.getVectorByType(typeId), union.getOffset(index), parameter);
      }
      case UNION -> value(((UnionVector) vector).getVector(index), index, parameter);
      default ->
          throw GatewayErrorCode.UNSUPPORTED_PARAMETER_TYPE.exception(
              "Parameter "
                  + parameter
                  + " has Arrow type "
                  + vector.getField().getType()
                  + ", which has no Aquifer SQL type; send it as a string or a supported type");
    };
  }

  private static Instant instant(TimeStampVector vector, int index) {
    return ArrowTimestamps.instant(vector, index);
  }

  private static Object unsignedLong(long raw) {
    return raw >= 0 ? (Object) raw : new BigDecimal(new BigInteger(Long.toUnsignedString(raw)));
  }

  private static Double shortestDouble(float value) {
    return Double.valueOf(Float.toString(value));
  }
}
