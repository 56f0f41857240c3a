package io.aquifer.storage.delta;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.types.ArrayType;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.MapType;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.StructType;
import io.aquifer.storage.types.TableSchema;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FieldMetadata;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Maps between Kernel's type model and Aquifer's {@link DataType}. Reading keeps the logical names
 * and takes the physical name from column mapping metadata; a type-widened column gets its current
 * (wider) type, which is the type Kernel's schema holds.
 */
final class KernelTypeMapper {
  static final String PHYSICAL_NAME_KEY = "delta.columnMapping.physicalName";
  static final String COMMENT_KEY = "comment";

  /** Where Delta (as Spark) keeps a column's DEFAULT expression, as SQL text. */
  static final String CURRENT_DEFAULT_KEY = "CURRENT_DEFAULT";

  /** Where Delta keeps a generated column's expression, as SQL text. */
  static final String GENERATION_EXPRESSION_KEY = "delta.generationExpression";

  private KernelTypeMapper() {}

  static TableSchema toTableSchema(io.delta.kernel.types.StructType schema, TableLocation table) {
    return new TableSchema(toColumns(schema, table, ""));
  }

  static io.delta.kernel.types.StructType toKernelSchema(TableSchema schema) {
    return toKernelStruct(schema.columns());
  }

  private static List<Column> toColumns(
      io.delta.kernel.types.StructType struct, TableLocation table, String parentPath) {
    List<Column> columns = new ArrayList<>(struct.length());
    for (StructField field : struct.fields()) {
      String path = parentPath + field.getName();
      FieldMetadata metadata = field.getMetadata();
      String physicalName =
          metadata.contains(PHYSICAL_NAME_KEY)
              ? metadata.getString(PHYSICAL_NAME_KEY)
              : field.getName();
      Optional<String> comment =
          metadata.contains(COMMENT_KEY) && metadata.get(COMMENT_KEY) instanceof String s
              ? Optional.of(s)
              : Optional.empty();
      Optional<String> defaultValue =
          metadata.contains(CURRENT_DEFAULT_KEY)
                  && metadata.get(CURRENT_DEFAULT_KEY) instanceof String d
              ? Optional.of(d)
              : Optional.empty();
      Optional<String> generation =
          metadata.contains(GENERATION_EXPRESSION_KEY)
                  && metadata.get(GENERATION_EXPRESSION_KEY) instanceof String g
              ? Optional.of(g)
              : Optional.empty();
      columns.add(
          new Column(
              field.getName(),
              toDataType(field.getDataType(), table, path),
              field.isNullable(),
              physicalName,
              comment,
              defaultValue,
              generation));
    }
    return columns;
  }

  private static DataType toDataType(
      io.delta.kernel.types.DataType type, TableLocation table, String path) {
    if (type instanceof BooleanType) {
      return PrimitiveType.BOOLEAN;
    } else if (type instanceof ByteType) {
      return PrimitiveType.TINYINT;
    } else if (type instanceof ShortType) {
      return PrimitiveType.SMALLINT;
    } else if (type instanceof IntegerType) {
      return PrimitiveType.INT;
    } else if (type instanceof LongType) {
      return PrimitiveType.BIGINT;
    } else if (type instanceof FloatType) {
      return PrimitiveType.FLOAT;
    } else if (type instanceof DoubleType) {
      return PrimitiveType.DOUBLE;
    } else if (type instanceof io.delta.kernel.types.DecimalType d) {
      return new DecimalType(d.getPrecision(), d.getScale());
    } else if (type instanceof StringType) {
      return PrimitiveType.STRING;
    } else if (type instanceof BinaryType) {
      return PrimitiveType.BINARY;
    } else if (type instanceof DateType) {
      return PrimitiveType.DATE;
    } else if (type instanceof TimestampType) {
      return PrimitiveType.TIMESTAMP;
    } else if (type instanceof TimestampNTZType) {
      return PrimitiveType.TIMESTAMP_NTZ;
    } else if (type instanceof io.delta.kernel.types.ArrayType a) {
      return new ArrayType(
          toDataType(a.getElementType(), table, path + ".element"), a.containsNull());
    } else if (type instanceof io.delta.kernel.types.MapType m) {
      return new MapType(
          toDataType(m.getKeyType(), table, path + ".key"),
          toDataType(m.getValueType(), table, path + ".value"),
          m.isValueContainsNull());
    } else if (type instanceof io.delta.kernel.types.StructType s) {
      return new StructType(toColumns(s, table, path + "."));
    }
    throw new StorageException(
        StorageErrorCode.DELTA_UNSUPPORTED_PROTOCOL,
        "table "
            + table
            + ": column "
            + path
            + " has Delta type "
            + type
            + ", which Aquifer does not support");
  }

  private static io.delta.kernel.types.StructType toKernelStruct(List<Column> columns) {
    List<StructField> fields = new ArrayList<>(columns.size());
    for (Column column : columns) {
      FieldMetadata.Builder metadata = FieldMetadata.builder();
      column.comment().ifPresent(c -> metadata.putString(COMMENT_KEY, c));
      column.defaultValue().ifPresent(d -> metadata.putString(CURRENT_DEFAULT_KEY, d));
      column
          .generationExpression()
          .ifPresent(g -> metadata.putString(GENERATION_EXPRESSION_KEY, g));
      fields.add(
          new StructField(
              column.name(), toKernelType(column.type()), column.nullable(), metadata.build()));
    }
    return new io.delta.kernel.types.StructType(fields);
  }

  static io.delta.kernel.types.DataType toKernelType(DataType type) {
    if (type instanceof PrimitiveType p) {
      return switch (p) {
        case BOOLEAN -> BooleanType.BOOLEAN;
        case TINYINT -> ByteType.BYTE;
        case SMALLINT -> ShortType.SHORT;
        case INT -> IntegerType.INTEGER;
        case BIGINT -> LongType.LONG;
        case FLOAT -> FloatType.FLOAT;
        case DOUBLE -> DoubleType.DOUBLE;
        case STRING -> StringType.STRING;
        case BINARY -> BinaryType.BINARY;
        case DATE -> DateType.DATE;
        case TIMESTAMP -> TimestampType.TIMESTAMP;
        case TIMESTAMP_NTZ -> TimestampNTZType.TIMESTAMP_NTZ;
      };
    } else if (type instanceof DecimalType d) {
      return new io.delta.kernel.types.DecimalType(d.precision(), d.scale());
    } else if (type instanceof ArrayType a) {
      return new io.delta.kernel.types.ArrayType(toKernelType(a.elementType()), a.containsNull());
    } else if (type instanceof MapType m) {
      return new io.delta.kernel.types.MapType(
          toKernelType(m.keyType()), toKernelType(m.valueType()), m.valueContainsNull());
    } else if (type instanceof StructType s) {
      return toKernelStruct(s.fields());
    }
    throw new IllegalArgumentException("unknown data type: " + type);
  }
}
