package io.aquifer.catalog;

import static java.util.Objects.requireNonNull;

/** An authenticated user. Admins may do everything; grants for others come later. */
public record Principal(String name, boolean admin) {
  public Principal {
    requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("principal name must not be blank");
    }
  }
}
