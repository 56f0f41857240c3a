package io.aquifer.avatica;

import io.aquifer.avatica.WireColumn.ValueReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.DecimalVector;
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
import org.apache.arrow.vector.ViewVarBinaryVector;
import org.apache.arrow.vector.ViewVarCharVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.calcite.avatica.ColumnMetaData.Rep;

/**
 * Aquifer's types (as Arrow fields, the shape of every result) on the Avatica wire. Values travel
 * in the forms Avatica's own JDBC server uses, so its client reads them with its usual accessors:
 *
 * <ul>
 *   <li>integers as Byte, Short, Integer, Long; DOUBLE as Double; FLOAT as the Double of its
 *       shortest decimal spelling (Avatica reads {@link Types#FLOAT} as a double, and 1.1f shows as
 *       1.1); DECIMAL as BigDecimal with its precision and scale;
 *   <li>DATE as days since 1970-01-01;
 *   <li>TIMESTAMP (an instant, shown in UTC) and TIMESTAMP_NTZ (wall clock) both as {@link
 *       Types#TIMESTAMP} in epoch milliseconds of the UTC wall clock, as the Flight SQL driver
 *       shows them. Avatica's client reads {@link Types#TIMESTAMP_WITH_TIMEZONE} only as text, and
 *       its wire carries milliseconds: microseconds are truncated (the type name tells the two
 *       apart);
 *   <li>BINARY as bytes; ARRAY of a scalar type as an Avatica array;
 *   <li>MAP, STRUCT and arrays of them as JSON text (type name {@code MAP<...>}, {@code
 *       STRUCT<...>}), as the Databricks drivers show them;
 *   <li>anything the engine produces beyond Aquifer's types (time of day, intervals) as text.
 * </ul>
 */
final class WireColumns {
  private static final int MAX = Integer.MAX_VALUE;
  private static final long MILLIS_PER_DAY = 86_400_000L;

  private WireColumns() {}

  static List<WireColumn> of(Schema schema) {
    return schema.getFields().stream().map(WireColumns::of).toList();
  }

  static WireColumn of(Field field) {
    ArrowType type = field.getType();
    String name = field.getName();
    boolean nullable = field.isNullable();
    switch (type.getTypeID()) {
      case Bool:
        return column(
            field,
            scalar(Types.BOOLEAN, "BOOLEAN", Rep.BOOLEAN, 1, 0, 5, false, Boolean.class),
            (v, i) -> ((BitVector) v).getObject(i));
      case Int:
        return integer(field, (ArrowType.Int) type);
      case FloatingPoint:
        if (((ArrowType.FloatingPoint) type).getPrecision() == FloatingPointPrecision.DOUBLE) {
          return column(
              field,
              scalar(Types.DOUBLE, "DOUBLE", Rep.DOUBLE, 15, 0, 24, true, Double.class),
              (v, i) -> ((Float8Vector) v).get(i));
        }
        boolean half =
            ((ArrowType.FloatingPoint) type).getPrecision() == FloatingPointPrecision.HALF;
        return column(
            field,
            scalar(Types.FLOAT, "FLOAT", Rep.DOUBLE, 7, 0, 14, true, Double.class),
            half
                ? (v, i) -> shortestDouble(((Float2Vector) v).getValueAsFloat(i))
                : (v, i) -> shortestDouble(((Float4Vector) v).get(i)));
      case Decimal:
        {
          ArrowType.Decimal decimal = (ArrowType.Decimal) type;
          JdbcType jdbc =
              scalar(
                  Types.DECIMAL,
                  "DECIMAL",
                  Rep.NUMBER,
                  decimal.getPrecision(),
                  decimal.getScale(),
                  decimal.getPrecision() + 2,
                  true,
                  BigDecimal.class);
          if (decimal.getBitWidth() == 128 && decimal.getPrecision() <= 18) {
            // Up to 18 digits the unscaled value fits the low (little-endian) 8 of its 16 bytes:
            // read as a long, without the BigInteger that DecimalVector.getObject builds.
            int scale = decimal.getScale();
            return column(
                field,
                jdbc,
                (v, i) ->
                    BigDecimal.valueOf(
                        ((DecimalVector) v)
                            .getDataBuffer()
                            .getLong((long) i * DecimalVector.TYPE_WIDTH),
                        scale));
          }
          return column(
              field,
              jdbc,
              decimal.getBitWidth() == 256
                  ? (v, i) -> ((Decimal256Vector) v).getObject(i)
                  : (v, i) -> ((DecimalVector) v).getObject(i));
        }
      case Utf8:
      case LargeUtf8:
      case Utf8View:
        return column(field, string("STRING"), WireColumns::text);
      case Binary:
      case LargeBinary:
      case BinaryView:
      case FixedSizeBinary:
        return column(
            field,
            scalar(Types.VARBINARY, "BINARY", Rep.BYTE_STRING, MAX, 0, MAX, false, byte[].class),
            WireColumns::bytes);
      case Date:
        return column(
            field,
            scalar(Types.DATE, "DATE", Rep.INTEGER, 10, 0, 10, false, java.sql.Date.class),
            (v, i) ->
                v instanceof DateMilliVector millis
                    ? (int) Math.floorDiv(millis.get(i), MILLIS_PER_DAY)
                    : ((DateDayVector) v).get(i));
      case Timestamp:
        {
          ArrowType.Timestamp timestamp = (ArrowType.Timestamp) type;
          String typeName = timestamp.getTimezone() == null ? "TIMESTAMP_NTZ" : "TIMESTAMP";
          TimeUnit unit = timestamp.getUnit();
          return column(
              field,
              scalar(
                  Types.TIMESTAMP, typeName, Rep.LONG, 3, 0, 23, false, java.sql.Timestamp.class),
              (v, i) -> epochMillis(((TimeStampVector) v).get(i), unit));
        }
      case Null:
        return column(
            field,
            scalar(Types.NULL, "VOID", Rep.OBJECT, 0, 0, 4, false, Object.class),
            (v, i) -> null);
      case List:
        {
          Field element = field.getChildren().get(0);
          WireColumn elementColumn = of(element);
          if (elementColumn.type().element().isEmpty() && !isJsonText(element)) {
            String typeName = "ARRAY<" + sqlName(element) + ">";
            JdbcType jdbc =
                new JdbcType(
                    Types.ARRAY,
                    typeName,
                    Rep.ARRAY,
                    0,
                    0,
                    MAX,
                    false,
                    java.sql.Array.class.getName(),
                    Optional.of(elementColumn.type()));
            ValueReader elementReader = elementColumn.reader();
            return new WireColumn(
                name, nullable, jdbc, (v, i) -> list((ListVector) v, i, elementReader));
          }
          return jsonColumn(field);
        }
      case Map:
      case Struct:
      case LargeList:
      case FixedSizeList:
      case LargeListView:
      case ListView:
        return jsonColumn(field);
      default:
        // Time of day, intervals, durations, unions: not Aquifer types; shown as text.
        return new WireColumn(
            name, nullable, string(sqlName(field)), (v, i) -> String.valueOf(v.getObject(i)));
    }
  }

  /** The Aquifer SQL spelling of a field's type, e.g. {@code ARRAY<DECIMAL(10,2)>}. */
  static String sqlName(Field field) {
    ArrowType type = field.getType();
    switch (type.getTypeID()) {
      case Decimal:
        {
          ArrowType.Decimal d = (ArrowType.Decimal) type;
          return "DECIMAL(" + d.getPrecision() + "," + d.getScale() + ")";
        }
      case List:
      case LargeList:
      case FixedSizeList:
      case ListView:
      case LargeListView:
        return "ARRAY<" + sqlName(field.getChildren().get(0)) + ">";
      case Map:
        {
          List<Field> entry = field.getChildren().get(0).getChildren();
          return "MAP<" + sqlName(entry.get(0)) + ", " + sqlName(entry.get(1)) + ">";
        }
      case Struct:
        {
          List<String> parts = new ArrayList<>();
          for (Field child : field.getChildren()) {
            parts.add(child.getName() + ": " + sqlName(child));
          }
          return "STRUCT<" + String.join(", ", parts) + ">";
        }
      case Bool:
      case Int:
      case FloatingPoint:
      case Utf8:
      case LargeUtf8:
      case Utf8View:
      case Binary:
      case LargeBinary:
      case BinaryView:
      case FixedSizeBinary:
      case Date:
      case Timestamp:
      case Null:
        return of(field).type().typeName();
      default:
        return type.toString().toUpperCase(Locale.ROOT);
    }
  }

  private static boolean isJsonText(Field field) {
    switch (field.getType().getTypeID()) {
      case Map:
      case Struct:
      case List:
      case LargeList:
      case FixedSizeList:
      case ListView:
      case LargeListView:
        return true;
      default:
        return false;
    }
  }

  private static WireColumn jsonColumn(Field field) {
    return new WireColumn(
        field.getName(), field.isNullable(), string(sqlName(field)), JsonText::of);
  }

  private static WireColumn integer(Field field, ArrowType.Int type) {
    int bits = type.getBitWidth();
    if (type.getIsSigned()) {
      return switch (bits) {
        case 8 ->
            column(
                field,
                scalar(Types.TINYINT, "TINYINT", Rep.BYTE, 3, 0, 4, true, Byte.class),
                (v, i) -> ((TinyIntVector) v).get(i));
        case 16 ->
            column(
                field,
                scalar(Types.SMALLINT, "SMALLINT", Rep.SHORT, 5, 0, 6, true, Short.class),
                (v, i) -> ((SmallIntVector) v).get(i));
        case 32 ->
            column(
                field,
                scalar(Types.INTEGER, "INT", Rep.INTEGER, 10, 0, 11, true, Integer.class),
                (v, i) -> ((IntVector) v).get(i));
        default ->
            column(
                field,
                scalar(Types.BIGINT, "BIGINT", Rep.LONG, 19, 0, 20, true, Long.class),
                (v, i) -> ((BigIntVector) v).get(i));
      };
    }
    // Unsigned integers are not Aquifer types; each goes out as the next wider signed one.
    return switch (bits) {
      case 8 ->
          column(
              field,
              scalar(Types.SMALLINT, "SMALLINT", Rep.SHORT, 5, 0, 6, true, Short.class),
              (v, i) -> (short) Byte.toUnsignedInt(((UInt1Vector) v).get(i)));
      case 16 ->
          column(
              field,
              scalar(Types.INTEGER, "INT", Rep.INTEGER, 10, 0, 11, true, Integer.class),
              (v, i) -> (int) ((UInt2Vector) v).get(i));
      case 32 ->
          column(
              field,
              scalar(Types.BIGINT, "BIGINT", Rep.LONG, 19, 0, 20, true, Long.class),
              (v, i) -> Integer.toUnsignedLong(((UInt4Vector) v).get(i)));
      default ->
          column(
              field,
              scalar(Types.DECIMAL, "DECIMAL", Rep.NUMBER, 20, 0, 21, true, BigDecimal.class),
              (v, i) ->
                  new BigDecimal(new BigInteger(Long.toUnsignedString(((UInt8Vector) v).get(i)))));
    };
  }

  private static WireColumn column(Field field, JdbcType type, ValueReader reader) {
    return new WireColumn(field.getName(), field.isNullable(), type, nullSafe(reader));
  }

  private static ValueReader nullSafe(ValueReader reader) {
    return (v, i) -> v.isNull(i) ? null : reader.read(v, i);
  }

  private static JdbcType scalar(
      int sqlType,
      String name,
      Rep rep,
      int precision,
      int scale,
      int displaySize,
      boolean signed,
      Class<?> javaClass) {
    return new JdbcType(
        sqlType,
        name,
        rep,
        precision,
        scale,
        displaySize,
        signed,
        javaClass.getName(),
        Optional.empty());
  }

  private static JdbcType string(String typeName) {
    return scalar(Types.VARCHAR, typeName, Rep.STRING, MAX, 0, MAX, false, String.class);
  }

  private static Object text(ValueVector vector, int index) {
    if (vector.isNull(index)) {
      return null;
    }
    if (vector instanceof BaseVariableWidthVector variable) {
      return new String(variable.get(index), StandardCharsets.UTF_8);
    }
    if (vector instanceof LargeVarCharVector large) {
      return new String(large.get(index), StandardCharsets.UTF_8);
    }
    return ((ViewVarCharVector) vector).getObject(index).toString();
  }

  private static Object bytes(ValueVector vector, int index) {
    if (vector.isNull(index)) {
      return null;
    }
    if (vector instanceof BaseVariableWidthVector variable) {
      return variable.get(index);
    }
    if (vector instanceof LargeVarBinaryVector large) {
      return large.get(index);
    }
    if (vector instanceof FixedSizeBinaryVector fixed) {
      return fixed.get(index);
    }
    return ((ViewVarBinaryVector) vector).get(index);
  }

  private static Object list(ListVector vector, int index, ValueReader elementReader) {
    if (vector.isNull(index)) {
      return null;
    }
    ValueVector data = vector.getDataVector();
    int start = vector.getElementStartIndex(index);
    int end = vector.getElementEndIndex(index);
    Object[] elements = new Object[end - start];
    for (int i = start; i < end; i++) {
      elements[i - start] = elementReader.read(data, i);
    }
    // Arrays.asList keeps nulls, which List.of would reject.
    return Collections.unmodifiableList(Arrays.asList(elements));
  }

  static long epochMillis(long raw, TimeUnit unit) {
    return switch (unit) {
      case SECOND -> Math.multiplyExact(raw, 1000L);
      case MILLISECOND -> raw;
      case MICROSECOND -> Math.floorDiv(raw, 1_000L);
      case NANOSECOND -> Math.floorDiv(raw, 1_000_000L);
    };
  }

  private static Double shortestDouble(float value) {
    return Double.valueOf(Float.toString(value));
  }
}
