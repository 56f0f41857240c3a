package io.aquifer.storage.delta;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.TableSchema;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes {@link FileStats} as the {@code stats} JSON of an {@code add} action, the way Delta Lake
 * writers do: keyed by physical column name, dates as {@code yyyy-MM-dd}, timestamps truncated to
 * milliseconds ({@code 2024-01-31T12:00:00.123Z}, without zone for TIMESTAMP_NTZ), decimals as
 * plain JSON numbers, NaN and infinities as strings. Partition columns have no statistics in Delta,
 * so theirs are not written.
 */
final class DeltaStatsSerializer {
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT)
          .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter TIMESTAMP_NTZ =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS", Locale.ROOT);

  private final TableSchema schema;
  private final Set<String> partitionColumns;

  DeltaStatsSerializer(TableSchema schema, Iterable<String> partitionColumns) {
    this.schema = schema;
    this.partitionColumns = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    partitionColumns.forEach(this.partitionColumns::add);
  }

  /**
   * @throws InvalidCommitRequestException if a statistic names no column of the table or its value
   *     is not of the Java class the column's type requires (see {@link FileStats})
   */
  String toJson(FileStats stats) {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeNumberField("numRecords", stats.numRecords());
      writeValues(json, "minValues", stats.minValues());
      writeValues(json, "maxValues", stats.maxValues());
      json.writeObjectFieldStart("nullCount");
      for (Map.Entry<String, Long> entry : stats.nullCounts().entrySet()) {
        Column column = column(entry.getKey());
        if (column != null) {
          json.writeNumberField(column.physicalName(), entry.getValue());
        }
      }
      json.writeEndObject();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing statistics JSON to memory failed", e);
    }
    return out.toString();
  }

  private void writeValues(JsonGenerator json, String field, Map<String, Object> values)
      throws IOException {
    json.writeObjectFieldStart(field);
    for (Map.Entry<String, Object> entry : values.entrySet()) {
      Column column = column(entry.getKey());
      if (column != null) {
        json.writeFieldName(column.physicalName());
        writeValue(json, column, entry.getValue());
      }
    }
    json.writeEndObject();
  }

  /** The column a statistic belongs to, or null for a partition column (Delta keeps none). */
  private Column column(String name) {
    Column column =
        schema
            .column(name)
            .orElseThrow(
                () -> new InvalidCommitRequestException("statistic for unknown column " + name));
    return partitionColumns.contains(column.name()) ? null : column;
  }

  private static void writeValue(JsonGenerator json, Column column, Object value)
      throws IOException {
    DataType type = column.type();
    if (type instanceof DecimalType && value instanceof BigDecimal d) {
      json.writeNumber(d);
      return;
    }
    if (type instanceof PrimitiveType primitive) {
      switch (primitive) {
        case BOOLEAN -> {
          if (value instanceof Boolean b) {
            json.writeBoolean(b);
            return;
          }
        }
        case TINYINT -> {
          if (value instanceof Byte b) {
            json.writeNumber(b);
            return;
          }
        }
        case SMALLINT -> {
          if (value instanceof Short s) {
            json.writeNumber(s);
            return;
          }
        }
        case INT -> {
          if (value instanceof Integer i) {
            json.writeNumber(i);
            return;
          }
        }
        case BIGINT -> {
          if (value instanceof Long l) {
            json.writeNumber(l);
            return;
          }
        }
        case FLOAT -> {
          if (value instanceof Float f) {
            if (f.isNaN() || f.isInfinite()) {
              json.writeString(f.toString());
            } else {
              json.writeNumber(f);
            }
            return;
          }
        }
        case DOUBLE -> {
          if (value instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
              json.writeString(d.toString());
            } else {
              json.writeNumber(d);
            }
            return;
          }
        }
        case STRING -> {
          if (value instanceof String s) {
            json.writeString(s);
            return;
          }
        }
        case DATE -> {
          if (value instanceof LocalDate d) {
            json.writeString(d.toString());
            return;
          }
        }
        case TIMESTAMP -> {
          if (value instanceof Instant i) {
            json.writeString(TIMESTAMP.format(i.truncatedTo(ChronoUnit.MILLIS)));
            return;
          }
        }
        case TIMESTAMP_NTZ -> {
          if (value instanceof LocalDateTime t) {
            json.writeString(TIMESTAMP_NTZ.format(t.truncatedTo(ChronoUnit.MILLIS)));
            return;
          }
        }
        case BINARY -> {
          // no min/max for BINARY; falls through to the error below
        }
      }
    }
    throw new InvalidCommitRequestException(
        "statistic for column "
            + column.name()
            + " of type "
            + type.sql()
            + " cannot be "
            + (value == null ? "null" : value.getClass().getSimpleName() + " " + value));
  }
}
