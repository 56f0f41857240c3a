package io.aquifer.storage.delta;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.TableSchema;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code stats} JSON of an {@code add} action into {@link FileStats}: top-level columns
 * only, keyed by logical name (the JSON is keyed by physical name under column mapping), values
 * converted to the Java class of the column's current type.
 *
 * <p>A statistic that does not fit the column's type (for example one written by a foreign writer
 * in an unexpected form) is left out: a missing statistic only costs pruning, a wrong one costs
 * correctness. Min/max of columns widened from FLOAT to DOUBLE are left out because the JSON of
 * files written before the change holds the float's shortest decimal form, which as a double is not
 * the widened value.
 */
final class DeltaStatsParser {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** ISO date-time with an optional offset in any of the spellings Delta writers use. */
  private static final DateTimeFormatter TIMESTAMP =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
          .optionalStart()
          .appendOffset("+HH:MM", "Z")
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HHMM", "Z")
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HH", "Z")
          .optionalEnd()
          .toFormatter();

  private final TableLocation table;
  private final Map<String, Column> columnsByPhysicalName;
  private final Set<String> columnsWithoutMinMax;

  /**
   * @param columnsWithoutMinMax logical names of columns whose min/max must not be trusted
   */
  DeltaStatsParser(TableLocation table, TableSchema schema, Set<String> columnsWithoutMinMax) {
    this.table = requireNonNull(table, "table");
    this.columnsByPhysicalName = new HashMap<>();
    for (Column column : schema.columns()) {
      columnsByPhysicalName.put(column.physicalName(), column);
    }
    this.columnsWithoutMinMax = Set.copyOf(columnsWithoutMinMax);
  }

  /** Parses the stats of one file; empty when the JSON has no {@code numRecords}. */
  Optional<FileStats> parse(String statsJson, String pathInLog) {
    JsonNode root;
    try {
      root = JSON.readTree(statsJson);
    } catch (JsonProcessingException e) {
      throw new StorageException(
          StorageErrorCode.DELTA_LOG_CORRUPT,
          "table " + table + ": unreadable statistics of data file " + pathInLog,
          e);
    }
    if (root == null || !root.isObject()) {
      throw new StorageException(
          StorageErrorCode.DELTA_LOG_CORRUPT,
          "table " + table + ": statistics of data file " + pathInLog + " are not a JSON object");
    }
    JsonNode numRecords = root.get("numRecords");
    if (numRecords == null || !numRecords.isIntegralNumber() || numRecords.longValue() < 0) {
      return Optional.empty();
    }
    return Optional.of(
        new FileStats(
            numRecords.longValue(),
            values(root.get("minValues"), true),
            values(root.get("maxValues"), false),
            nullCounts(root.get("nullCount"))));
  }

  private Map<String, Object> values(JsonNode node, boolean isMin) {
    Map<String, Object> values = new LinkedHashMap<>();
    if (node == null || !node.isObject()) {
      return values;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      Column column = columnsByPhysicalName.get(entry.getKey());
      if (column == null || columnsWithoutMinMax.contains(column.name())) {
        continue;
      }
      Object value = convert(entry.getValue(), column.type(), isMin);
      if (value != null) {
        values.put(column.name(), value);
      }
    }
    return values;
  }

  private Map<String, Long> nullCounts(JsonNode node) {
    Map<String, Long> counts = new LinkedHashMap<>();
    if (node == null || !node.isObject()) {
      return counts;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      Column column = columnsByPhysicalName.get(entry.getKey());
      JsonNode value = entry.getValue();
      // Struct columns carry an object of per-field counts; only top-level counts are kept.
      if (column != null && value.isIntegralNumber() && value.canConvertToLong()) {
        counts.put(column.name(), value.longValue());
      }
    }
    return counts;
  }

  /** The Java value of one min or max, or null when it does not fit the column type. */
  private static Object convert(JsonNode node, DataType type, boolean isMin) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (type instanceof DecimalType decimal) {
      return decimal(node, decimal, isMin);
    }
    if (!(type instanceof PrimitiveType primitive)) {
      return null; // arrays, maps and structs have no top-level min/max
    }
    return switch (primitive) {
      case BOOLEAN -> node.isBoolean() ? node.booleanValue() : null;
      case TINYINT ->
          integral(node, Byte.MIN_VALUE, Byte.MAX_VALUE) ? (byte) node.intValue() : null;
      case SMALLINT ->
          integral(node, Short.MIN_VALUE, Short.MAX_VALUE) ? (short) node.intValue() : null;
      case INT -> integral(node, Integer.MIN_VALUE, Integer.MAX_VALUE) ? node.intValue() : null;
      case BIGINT -> integral(node, Long.MIN_VALUE, Long.MAX_VALUE) ? node.longValue() : null;
      case FLOAT -> {
        Double d = floating(node);
        // Parse the decimal text directly: going through double could round twice.
        yield d == null ? null : node.isNumber() ? Float.valueOf(node.asText()) : d.floatValue();
      }
      case DOUBLE -> floating(node);
      case STRING -> node.isTextual() ? node.textValue() : null;
      case BINARY -> null; // not comparable in a useful way; Delta writers rarely record it
      case DATE -> node.isTextual() ? date(node.textValue()) : null;
      case TIMESTAMP -> node.isTextual() ? instant(node.textValue()) : null;
      case TIMESTAMP_NTZ -> node.isTextual() ? localDateTime(node.textValue()) : null;
    };
  }

  private static boolean integral(JsonNode node, long min, long max) {
    return node.isIntegralNumber()
        && node.canConvertToLong()
        && node.longValue() >= min
        && node.longValue() <= max;
  }

  private static Double floating(JsonNode node) {
    if (node.isNumber()) {
      return Double.valueOf(node.asText());
    }
    if (node.isTextual()) {
      return switch (node.textValue()) {
        case "NaN" -> Double.NaN;
        case "Infinity", "+Infinity" -> Double.POSITIVE_INFINITY;
        case "-Infinity" -> Double.NEGATIVE_INFINITY;
        default -> null;
      };
    }
    return null;
  }

  private static BigDecimal decimal(JsonNode node, DecimalType type, boolean isMin) {
    if (!node.isNumber()) {
      return null;
    }
    // Round outward so that a bound stays a bound.
    BigDecimal value =
        node.decimalValue()
            .setScale(type.scale(), isMin ? RoundingMode.FLOOR : RoundingMode.CEILING);
    return value.precision() <= type.precision() ? value : null;
  }

  // Unparsable temporal statistics are treated as absent (see the class comment), not as errors.
  private static LocalDate date(String text) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Instant instant(String text) {
    try {
      TemporalAccessor parsed =
          TIMESTAMP.parseBest(text, OffsetDateTime::from, LocalDateTime::from);
      if (parsed instanceof OffsetDateTime offset) {
        return offset.toInstant();
      }
      return ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      LocalDate date = date(text);
      return date == null ? null : date.atStartOfDay().toInstant(ZoneOffset.UTC);
    }
  }

  private static LocalDateTime localDateTime(String text) {
    try {
      TemporalAccessor parsed =
          TIMESTAMP.parseBest(text, OffsetDateTime::from, LocalDateTime::from);
      if (parsed instanceof OffsetDateTime offset) {
        return offset.toLocalDateTime();
      }
      return (LocalDateTime) parsed;
    } catch (DateTimeParseException e) {
      // A column widened from DATE keeps date statistics in files written before the change.
      LocalDate date = date(text);
      return date == null ? null : date.atStartOfDay();
    }
  }
}
