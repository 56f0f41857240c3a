package io.aquifer.server;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses sizes such as {@code 512MB}, {@code 4GB} or {@code 1073741824} (bytes; 1KB = 1024). */
public final class DataSizes {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT]?I?B?)?");

  private DataSizes() {}

  public static long parse(String key, String text) {
    Matcher m = SIZE.matcher(text.trim().toUpperCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(key + " must be a size such as 512MB or 4GB: " + text);
    }
    long value = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2).replace("I", "").replace("B", "");
    int shift =
        switch (unit) {
          case "" -> 0;
          case "K" -> 10;
          case "M" -> 20;
          case "G" -> 30;
          case "T" -> 40;
          default -> throw new IllegalArgumentException(key + ": unknown unit in " + text);
        };
    return value << shift;
  }

  public static String format(long bytes) {
    if (bytes % (1L << 30) == 0) {
      return (bytes >> 30) + "GB";
    }
    if (bytes % (1L << 20) == 0) {
      return (bytes >> 20) + "MB";
    }
    return bytes + "B";
  }
}
