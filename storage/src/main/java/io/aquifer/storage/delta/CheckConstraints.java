package io.aquifer.storage.delta;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Delta's CHECK constraints: each is a table property {@code delta.constraints.<name>} (the name in
 * lower case) holding the SQL text of a boolean expression over the table's columns, which every
 * written row must not make false; the protocol has the {@code checkConstraints} writer feature.
 */
public final class CheckConstraints {
  /** The prefix of the table properties that hold constraints. */
  public static final String PROPERTY_PREFIX = "delta.constraints.";

  /** The writer feature's name. */
  public static final String FEATURE = "checkConstraints";

  private CheckConstraints() {}

  /** The constraints among a table's properties: name to expression, by name. */
  public static Map<String, String> of(Map<String, String> properties) {
    Map<String, String> constraints = new TreeMap<>();
    properties.forEach(
        (key, value) -> {
          if (key.toLowerCase(Locale.ROOT).startsWith(PROPERTY_PREFIX)) {
            constraints.put(key.substring(PROPERTY_PREFIX.length()), value);
          }
        });
    return constraints;
  }
}
