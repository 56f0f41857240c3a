package io.aquifer.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A user, service principal or group as the catalog keeps it. A service principal's name is its
 * application id; its display name is what people call it.
 */
public record PrincipalInfo(
    String name, PrincipalKind kind, Optional<String> displayName, Instant createdAt) {
  public PrincipalInfo {
    requireNonNull(name, "name");
    requireNonNull(kind, "kind");
    requireNonNull(displayName, "displayName");
    requireNonNull(createdAt, "createdAt");
  }

  /** The display name, or the name when there is none. */
  public String displayNameOrName() {
    return displayName.orElse(name);
  }
}
