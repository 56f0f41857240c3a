package io.aquifer.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/** What the catalog keeps about a personal access token: never the token itself. */
public record AccessTokenInfo(
    String id,
    String principal,
    Optional<String> comment,
    Instant createdAt,
    Optional<Instant> expiresAt,
    Optional<Instant> revokedAt) {
  public AccessTokenInfo {
    requireNonNull(id, "id");
    requireNonNull(principal, "principal");
    requireNonNull(comment, "comment");
    requireNonNull(createdAt, "createdAt");
    requireNonNull(expiresAt, "expiresAt");
    requireNonNull(revokedAt, "revokedAt");
  }

  /** Whether the token authenticates at {@code now}: not revoked and not expired. */
  public boolean isValidAt(Instant now) {
    return revokedAt.isEmpty() && expiresAt.map(now::isBefore).orElse(true);
  }
}
