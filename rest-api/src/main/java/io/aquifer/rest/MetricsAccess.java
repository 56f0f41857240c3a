package io.aquifer.rest;

import java.util.Locale;

/**
 * Who may read {@code GET /metrics} (the server property {@code metrics-access}): {@link #ADMIN}
 * (the default) wants an admin's access token, {@link #OPEN} lets anyone who reaches the port
 * scrape (for a Prometheus server on a trusted network).
 */
public enum MetricsAccess {
  ADMIN,
  OPEN;

  /**
   * @throws IllegalArgumentException naming the property and the values it takes
   */
  public static MetricsAccess parse(String property, String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "admin" -> ADMIN;
      case "open" -> OPEN;
      default -> throw new IllegalArgumentException(property + " must be admin or open: " + value);
    };
  }
}
