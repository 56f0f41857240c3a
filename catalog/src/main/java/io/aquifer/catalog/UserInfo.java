package io.aquifer.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** A user as the catalog keeps it. */
public record UserInfo(String name, boolean admin, Instant createdAt) {
  public UserInfo {
    requireNonNull(name, "name");
    requireNonNull(createdAt, "createdAt");
  }

  public Principal principal() {
    return new Principal(name, admin);
  }
}
