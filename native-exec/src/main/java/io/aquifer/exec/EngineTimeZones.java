package io.aquifer.exec;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The time zones a fragment can run in, by the name the engine knows them by. The node prepares one
 * engine connection per zone before it locks its configuration (DuckDB refuses {@code SET TimeZone}
 * afterwards), so the set is fixed: every region id of the JDK ({@code America/Los_Angeles}) and
 * every fixed offset from -18:00 to +18:00 in steps of 15 minutes, named {@code GMT+05:30} (ICU's
 * form; DuckDB does not read {@code +05:30}). UTC is {@code UTC}.
 */
public final class EngineTimeZones {
  public static final String UTC = "UTC";

  /** Step of the fixed offsets the engine knows. */
  public static final int OFFSET_STEP_SECONDS = 15 * 60;

  private EngineTimeZones() {}

  /**
   * The engine's name for a zone, or empty if the engine cannot run in it (an offset that is not a
   * whole number of quarter hours).
   */
  public static java.util.Optional<String> engineName(ZoneId zone) {
    if (ZoneId.getAvailableZoneIds().contains(zone.getId())) {
      return java.util.Optional.of(zone.getId());
    }
    if (zone.normalized() instanceof ZoneOffset offset) {
      int seconds = offset.getTotalSeconds();
      return seconds % OFFSET_STEP_SECONDS == 0
          ? java.util.Optional.of(offsetName(seconds))
          : java.util.Optional.empty();
    }
    return java.util.Optional.empty();
  }

  /** All names the engine prepares: UTC first, then region ids, then offsets. */
  public static List<String> all() {
    Set<String> names = new LinkedHashSet<>();
    names.add(UTC);
    names.addAll(new TreeSet<>(ZoneId.getAvailableZoneIds()));
    for (int s = -18 * 3600; s <= 18 * 3600; s += OFFSET_STEP_SECONDS) {
      if (s != 0) {
        names.add(offsetName(s));
      }
    }
    return new ArrayList<>(names);
  }

  private static String offsetName(int totalSeconds) {
    if (totalSeconds == 0) {
      return UTC;
    }
    int abs = Math.abs(totalSeconds);
    return String.format(
        Locale.ROOT, "GMT%s%02d:%02d", totalSeconds < 0 ? "-" : "+", abs / 3600, abs / 60 % 60);
  }
}
