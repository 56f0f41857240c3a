package io.aquifer.gateway.arrow;

import java.time.Instant;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** Values of Arrow timestamp vectors, whatever their unit, as Java instants. */
public final class ArrowTimestamps {
  private ArrowTimestamps() {}

  /** The instant at {@code index} of a timestamp vector (the value must not be null). */
  public static Instant instant(TimeStampVector vector, int index) {
    long raw = vector.get(index);
    return switch (((ArrowType.Timestamp) vector.getField().getType()).getUnit()) {
      case SECOND -> Instant.ofEpochSecond(raw);
      case MILLISECOND -> Instant.ofEpochMilli(raw);
      case MICROSECOND ->
          Instant.ofEpochSecond(
              Math.floorDiv(raw, 1_000_000L), Math.floorMod(raw, 1_000_000L) * 1_000L);
      case NANOSECOND ->
          Instant.ofEpochSecond(
              Math.floorDiv(raw, 1_000_000_000L), Math.floorMod(raw, 1_000_000_000L));
    };
  }
}
