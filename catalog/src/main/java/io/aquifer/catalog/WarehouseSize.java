package io.aquifer.catalog;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Databricks SQL warehouse sizes ("T-shirt sizes") and what one cluster (one node) of each gets:
 * the engine's memory limit and its threads. Each size doubles the one before. See {@code
 * docs/warehouses.md}.
 */
public enum WarehouseSize {
  XXSMALL("2X-Small", 512L << 20, 1),
  XSMALL("X-Small", 1L << 30, 2),
  SMALL("Small", 2L << 30, 4),
  MEDIUM("Medium", 4L << 30, 8),
  LARGE("Large", 8L << 30, 16),
  XLARGE("X-Large", 16L << 30, 32),
  XXLARGE("2X-Large", 32L << 30, 64),
  XXXLARGE("3X-Large", 64L << 30, 128),
  XXXXLARGE("4X-Large", 128L << 30, 256);

  private final String displayName;
  private final long memoryBytes;
  private final int threads;

  WarehouseSize(String displayName, long memoryBytes, int threads) {
    this.displayName = displayName;
    this.memoryBytes = memoryBytes;
    this.threads = threads;
  }

  /** The name Databricks uses for the size: {@code 2X-Small} ... {@code 4X-Large}. */
  public String displayName() {
    return displayName;
  }

  /** The engine memory limit of one node of this size. */
  public long memoryBytes() {
    return memoryBytes;
  }

  /** The engine threads of one node of this size. */
  public int threads() {
    return threads;
  }

  /** Parses a size name, ignoring case ({@code small}, {@code 2X-Small}, {@code 2x-small}). */
  public static WarehouseSize parse(String name) {
    if (name != null) {
      String wanted = name.strip().toLowerCase(Locale.ROOT);
      for (WarehouseSize size : values()) {
        if (size.displayName.toLowerCase(Locale.ROOT).equals(wanted)) {
          return size;
        }
      }
    }
    throw WarehouseErrorCode.INVALID_PARAMETER_VALUE.exception(
        "cluster_size '"
            + name
            + "' is not a warehouse size; use one of "
            + Arrays.stream(values())
                .map(WarehouseSize::displayName)
                .collect(Collectors.joining(", ")));
  }
}
