package io.aquifer.planner.calcite;

import com.google.common.collect.Range;
import io.aquifer.storage.delta.DataFile;
import io.aquifer.storage.delta.DeltaSnapshot;
import io.aquifer.storage.delta.FileStats;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.PrimitiveType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.Sarg;
import org.apache.calcite.util.TimestampString;

/**
 * Decides from one file's statistics whether a conjunct can be true for any of its rows. Answers
 * "skip" only when certain; anything it does not understand keeps the file.
 *
 * <p>Values are compared in a canonical form: numbers, dates (epoch days) and timestamps (epoch
 * microseconds) as BigDecimal, strings as String. Delta truncates timestamp statistics to
 * milliseconds and long string maxima, so those bounds are widened or ignored.
 */
final class StatsPredicate {
  private static final int DELTA_STRING_STATS_PREFIX = 32;

  private final DeltaSnapshot snapshot;
  private final RelDataType rowType;

  StatsPredicate(DeltaSnapshot snapshot, RelDataType rowType) {
    this.snapshot = snapshot;
    this.rowType = rowType;
  }

  boolean canSkip(DataFile file, List<RexNode> conjuncts) {
    for (RexNode conjunct : conjuncts) {
      try {
        if (excludes(file, conjunct)) {
          return true;
        }
      } catch (RuntimeException e) {
        // Unexpected value shapes keep the file.
      }
    }
    return false;
  }

  /** Column bounds in one file: null min/max mean unknown. */
  private record Bounds(Comparable<?> min, Comparable<?> max, long nullCount, long rows) {}

  private boolean excludes(DataFile file, RexNode conjunct) {
    if (!(conjunct instanceof RexCall call)) {
      return false;
    }
    SqlKind kind = call.getKind();
    switch (kind) {
      case IS_NULL, IS_NOT_NULL -> {
        Optional<Bounds> b = bounds(file, call.getOperands().get(0));
        if (b.isEmpty() || b.get().nullCount < 0) {
          return false;
        }
        return kind == SqlKind.IS_NULL ? b.get().nullCount == 0 : b.get().nullCount == b.get().rows;
      }
      case EQUALS, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL -> {
        RexNode left = call.getOperands().get(0);
        RexNode right = call.getOperands().get(1);
        if (literal(left) != null && literal(right) == null) {
          return compare(file, right, kind.reverse(), literal(left));
        }
        return compare(file, left, kind, literal(right));
      }
      case SEARCH -> {
        RexLiteral sargLiteral = literal(call.getOperands().get(1));
        if (sargLiteral == null) {
          return false;
        }
        Sarg<?> sarg = sargLiteral.getValueAs(Sarg.class);
        Optional<Bounds> b = bounds(file, call.getOperands().get(0));
        if (b.isEmpty() || sarg == null || b.get().min == null || b.get().max == null) {
          return false;
        }
        if (sarg.nullAs != org.apache.calcite.rex.RexUnknownAs.FALSE && b.get().nullCount != 0) {
          return false;
        }
        for (Range<?> range : sarg.rangeSet.asRanges()) {
          if (overlaps(range, b.get())) {
            return false;
          }
        }
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  private boolean compare(DataFile file, RexNode column, SqlKind kind, RexLiteral literal) {
    if (literal == null || literal.isNull()) {
      return false;
    }
    Optional<Bounds> b = bounds(file, column);
    Comparable<?> value = canonical(literal.getValue());
    if (b.isEmpty() || value == null) {
      return false;
    }
    Comparable<?> min = b.get().min;
    Comparable<?> max = b.get().max;
    if (b.get().rows > 0 && b.get().nullCount == b.get().rows) {
      return true; // every value is NULL: no comparison is true
    }
    return switch (kind) {
      case EQUALS -> (min != null && cmp(value, min) < 0) || (max != null && cmp(value, max) > 0);
      case LESS_THAN -> min != null && cmp(min, value) >= 0;
      case LESS_THAN_OR_EQUAL -> min != null && cmp(min, value) > 0;
      case GREATER_THAN -> max != null && cmp(max, value) <= 0;
      case GREATER_THAN_OR_EQUAL -> max != null && cmp(max, value) < 0;
      default -> false;
    };
  }

  private boolean overlaps(Range<?> range, Bounds b) {
    if (range.hasLowerBound()) {
      Comparable<?> lower = canonical(range.lowerEndpoint());
      if (lower == null) {
        return true;
      }
      int c = cmp(b.max, lower);
      if (c < 0 || (c == 0 && range.lowerBoundType() == com.google.common.collect.BoundType.OPEN)) {
        return false;
      }
    }
    if (range.hasUpperBound()) {
      Comparable<?> upper = canonical(range.upperEndpoint());
      if (upper == null) {
        return true;
      }
      int c = cmp(b.min, upper);
      if (c > 0 || (c == 0 && range.upperBoundType() == com.google.common.collect.BoundType.OPEN)) {
        return false;
      }
    }
    return true;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int cmp(Comparable a, Comparable b) {
    if (a.getClass() != b.getClass()) {
      throw new IllegalArgumentException("incomparable");
    }
    return a.compareTo(b);
  }

  private static RexLiteral literal(RexNode node) {
    if (node instanceof RexLiteral l) {
      return l;
    }
    if (node.getKind() == SqlKind.CAST
        && ((RexCall) node).getOperands().get(0) instanceof RexLiteral l) {
      return l;
    }
    return null;
  }

  private Optional<Bounds> bounds(DataFile file, RexNode node) {
    RexNode ref = node;
    if (ref.getKind() == SqlKind.CAST) {
      RexNode inner = ((RexCall) ref).getOperands().get(0);
      // Only widening numeric casts keep the order of values.
      if (!(org.apache.calcite.sql.type.SqlTypeUtil.isNumeric(inner.getType())
          && org.apache.calcite.sql.type.SqlTypeUtil.isNumeric(ref.getType()))) {
        return Optional.empty();
      }
      ref = inner;
    }
    if (!(ref instanceof RexInputRef input)) {
      return Optional.empty();
    }
    String name = rowType.getFieldList().get(input.getIndex()).getName();
    Optional<Column> column = snapshot.schema().column(name);
    if (column.isEmpty()) {
      return Optional.empty();
    }
    DataType type = column.get().type();
    if (snapshot.partitionColumns().stream().anyMatch(p -> p.equalsIgnoreCase(name))) {
      String raw = file.partitionValues().get(column.get().name());
      long rows = file.stats().map(FileStats::numRecords).orElse(1L);
      if (raw == null) {
        return Optional.of(new Bounds(null, null, rows, rows));
      }
      Comparable<?> value = partitionValue(raw, type);
      return value == null ? Optional.empty() : Optional.of(new Bounds(value, value, 0, rows));
    }
    if (file.stats().isEmpty()) {
      return Optional.empty();
    }
    FileStats stats = file.stats().get();
    Comparable<?> min = canonical(stats.minValues().get(column.get().name()));
    Comparable<?> max = canonical(stats.maxValues().get(column.get().name()));
    if (max instanceof String s && s.length() >= DELTA_STRING_STATS_PREFIX) {
      max = null;
    }
    if (max instanceof BigDecimal d
        && (type == PrimitiveType.TIMESTAMP || type == PrimitiveType.TIMESTAMP_NTZ)) {
      max = d.add(BigDecimal.valueOf(1000)); // statistics are truncated to milliseconds
    }
    Long nulls = stats.nullCounts().get(column.get().name());
    return Optional.of(new Bounds(min, max, nulls == null ? -1 : nulls, stats.numRecords()));
  }

  private static Comparable<?> partitionValue(String raw, DataType type) {
    try {
      if (type instanceof DecimalType) {
        return new BigDecimal(raw);
      }
      if (!(type instanceof PrimitiveType p)) {
        return null;
      }
      return switch (p) {
        case TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE -> new BigDecimal(raw);
        case STRING -> raw;
        case DATE -> BigDecimal.valueOf(LocalDate.parse(raw).toEpochDay());
        case TIMESTAMP, TIMESTAMP_NTZ ->
            canonical(LocalDateTime.parse(raw.replace(' ', 'T')).toInstant(ZoneOffset.UTC));
        default -> null;
      };
    } catch (NumberFormatException | DateTimeParseException e) {
      return null;
    }
  }

  /** Canonical comparable form of a statistics value or a Calcite literal value. */
  static Comparable<?> canonical(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof BigDecimal d) {
      return d;
    }
    if (v instanceof Double d) {
      return d.isNaN() || d.isInfinite() ? null : BigDecimal.valueOf(d);
    }
    if (v instanceof Float f) {
      return f.isNaN() || f.isInfinite() ? null : new BigDecimal(f.toString());
    }
    if (v instanceof Number n) {
      return BigDecimal.valueOf(n.longValue());
    }
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof NlsString s) {
      return s.getValue();
    }
    if (v instanceof LocalDate d) {
      return BigDecimal.valueOf(d.toEpochDay());
    }
    if (v instanceof DateString d) {
      return BigDecimal.valueOf(d.getDaysSinceEpoch());
    }
    if (v instanceof Instant i) {
      return BigDecimal.valueOf(i.getEpochSecond() * 1_000_000L + i.getNano() / 1000);
    }
    if (v instanceof LocalDateTime t) {
      return canonical(t.toInstant(ZoneOffset.UTC));
    }
    if (v instanceof TimestampString t) {
      return BigDecimal.valueOf(t.getMillisSinceEpoch() * 1000L);
    }
    return null;
  }
}
