package io.aquifer.exec.duckdb;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.TableSchema;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a partitioned Delta table's files are laid out: each file holds one combination of partition
 * values, which the Delta log records as strings (Delta's serialization: dates as {@code
 * yyyy-MM-dd}, timestamps as UTC wall clock {@code yyyy-MM-dd HH:mm:ss.SSSSSS}, NULL as null), and
 * it sits in Hive-style directories named as Spark names them ({@code p=value/}, special characters
 * escaped as {@code %XX}, NULL as {@code __HIVE_DEFAULT_PARTITION__}).
 *
 * <p>DuckDB writes the staged files partitioned by helper columns that hold the serialized values
 * ({@code _aquifer_p0}, ...); their directory names are percent-encoded UTF-8, decoded here.
 * Partition columns are not written into the files (as Delta's writers do).
 */
final class PartitionDirectories {
  static final String STAGING_COLUMN_PREFIX = "_aquifer_p";
  static final String NULL_DIRECTORY = "__HIVE_DEFAULT_PARTITION__";

  private final List<Column> partitionColumns;
  private final TableSchema dataSchema;

  PartitionDirectories(TableSchema schema, List<String> partitionColumns) {
    List<Column> partitions = new ArrayList<>();
    for (String name : partitionColumns) {
      partitions.add(schema.column(name).orElseThrow());
    }
    this.partitionColumns = List.copyOf(partitions);
    List<Column> data = new ArrayList<>(schema.columns());
    data.removeIf(c -> partitions.stream().anyMatch(p -> p.name().equalsIgnoreCase(c.name())));
    this.dataSchema = new TableSchema(data);
  }

  /** The columns the files hold. */
  TableSchema dataSchema() {
    return dataSchema;
  }

  /**
   * DuckDB SQL of the Delta partition value (a string, or NULL) of {@code expression}, a value of
   * {@code type} as the query computes it. An empty string is NULL, as Spark writes it.
   */
  static String deltaPartitionValue(String expression, DataType type) {
    if (type instanceof DecimalType) {
      return "CAST(" + expression + " AS VARCHAR)";
    }
    if (!(type instanceof PrimitiveType p)) {
      throw new ExecException(
          ExecErrorCode.NOT_SUPPORTED, "a " + type + " column cannot be a partition column");
    }
    return switch (p) {
      case STRING -> "nullif(CAST(" + expression + " AS VARCHAR), '')";
      case BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DATE ->
          "CAST(CAST(" + expression + " AS " + DuckDbTypes.toDuckDb(p) + ") AS VARCHAR)";
      case TIMESTAMP ->
          "strftime(timezone('UTC', CAST("
              + expression
              + " AS TIMESTAMPTZ)), '%Y-%m-%d %H:%M:%S.%f')";
      case TIMESTAMP_NTZ ->
          "strftime(CAST(" + expression + " AS TIMESTAMP), '%Y-%m-%d %H:%M:%S.%f')";
      default ->
          throw new ExecException(
              ExecErrorCode.NOT_SUPPORTED, "a " + type + " column cannot be a partition column");
    };
  }

  /**
   * The partition values (logical column name to Delta string, null for NULL) of a file DuckDB
   * wrote below {@code staging} in its {@code _aquifer_pN=value/} directories.
   */
  Map<String, String> valuesOfStaged(Path staging, Path file) {
    Path relative = staging.relativize(file);
    if (relative.getNameCount() != partitionColumns.size() + 1) {
      throw new ExecException(
          ExecErrorCode.ENGINE_ERROR, "unexpected partition directories of written file " + file);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < partitionColumns.size(); i++) {
      String directory = relative.getName(i).toString();
      String prefix = STAGING_COLUMN_PREFIX + i + "=";
      if (!directory.startsWith(prefix)) {
        throw new ExecException(
            ExecErrorCode.ENGINE_ERROR, "unexpected partition directory " + directory);
      }
      String raw = directory.substring(prefix.length());
      values.put(
          partitionColumns.get(i).name(), raw.equals(NULL_DIRECTORY) ? null : percentDecode(raw));
    }
    return values;
  }

  /** The directory below the table root, {@code p=v/q=w}, that holds files of these values. */
  Path directoryOf(Map<String, String> values) {
    List<String> parts = new ArrayList<>();
    for (Column c : partitionColumns) {
      String value = values.get(c.name());
      parts.add(
          escapePathName(c.physicalName())
              + "="
              + (value == null ? NULL_DIRECTORY : escapePathName(value)));
    }
    return Path.of(parts.get(0), parts.subList(1, parts.size()).toArray(String[]::new));
  }

  /** Spark's {@code ExternalCatalogUtils.escapePathName}. */
  static String escapePathName(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f || "\"#%'*/:=?\\{[]^".indexOf(c) >= 0) {
        out.append('%').append(String.format("%02X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** DuckDB's partition directory value: UTF-8, every byte outside [A-Za-z0-9._~-] as %XX. */
  static String percentDecode(String raw) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length()) {
        bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
