package io.aquifer.catalog;

import static io.aquifer.catalog.CatalogDatabase.fromEpochMicros;
import static io.aquifer.catalog.CatalogDatabase.toEpochMicros;
import static io.aquifer.catalog.CatalogErrorCode.CATALOG_OBJECT_NOT_FOUND;
import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Personal access tokens, Databricks-style: {@code dapi} followed by 64 hex digits (32 bytes from
 * {@link SecureRandom}). The plaintext is returned once by {@link #createToken}; the database keeps
 * only its SHA-256. A fast hash is right here: the token has 256 bits of entropy, so there is
 * nothing to guess, and the lookup by hash needs no constant-time comparison.
 */
public final class AccessTokenStore {
  public static final String TOKEN_PREFIX = "dapi";
  private static final int TOKEN_BYTES = 32;
  private static final int TOKEN_LENGTH = TOKEN_PREFIX.length() + 2 * TOKEN_BYTES;
  private static final int ID_BYTES = 16;
  private static final HexFormat HEX = HexFormat.of();

  private final CatalogDatabase database;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public AccessTokenStore(CatalogDatabase database) {
    this(database, Clock.systemUTC());
  }

  public AccessTokenStore(CatalogDatabase database, Clock clock) {
    this.database = requireNonNull(database, "database");
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * Creates a token for an existing user.
   *
   * @param lifetime how long the token is valid; empty for no expiry
   * @return the token's plaintext (shown to the user once, never stored) and what is stored
   */
  public CreatedAccessToken createToken(
      String user, Optional<String> comment, Optional<Duration> lifetime) {
    return createToken(user, comment, lifetime, Optional.empty());
  }

  /**
   * Creates a token for an existing user, recording {@code clientAddress} (the IP address of the
   * client that asked, when a front end knows it) in its audit row.
   */
  public CreatedAccessToken createToken(
      String user,
      Optional<String> comment,
      Optional<Duration> lifetime,
      Optional<String> clientAddress) {
    requireNonNull(clientAddress, "clientAddress");
    String principal = PrincipalStore.normalizeName(user);
    requireNonNull(comment, "comment");
    requireNonNull(lifetime, "lifetime");
    lifetime.ifPresent(
        duration -> {
          if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("token lifetime must be positive: " + duration);
          }
        });
    byte[] secret = new byte[TOKEN_BYTES];
    byte[] idBytes = new byte[ID_BYTES];
    random.nextBytes(secret);
    random.nextBytes(idBytes);
    String token = TOKEN_PREFIX + HEX.formatHex(secret);
    String id = HEX.formatHex(idBytes);
    return database.write(
        connection -> {
          if (PrincipalStore.findUser(connection, principal).isEmpty()) {
            throw new CatalogException(
                CATALOG_OBJECT_NOT_FOUND, "user " + principal + " not found");
          }
          Instant now = CatalogDatabase.now(clock);
          Optional<Instant> expiresAt = lifetime.map(now::plus);
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO access_tokens"
                      + " (id, principal_name, token_sha256, comment, created_at, expires_at, revoked_at)"
                      + " VALUES (?, ?, ?, ?, ?, ?, NULL)")) {
            insert.setString(1, id);
            insert.setString(2, principal);
            insert.setBytes(3, sha256(token));
            insert.setString(4, comment.orElse(null));
            insert.setLong(5, toEpochMicros(now));
            if (expiresAt.isPresent()) {
              insert.setLong(6, toEpochMicros(expiresAt.get()));
            } else {
              insert.setNull(6, java.sql.Types.INTEGER);
            }
            insert.executeUpdate();
          }
          java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
          params.put("token_id", id);
          params.put(
              "lifetime_seconds", lifetime.map(d -> Long.toString(d.toSeconds())).orElse(null));
          AuditStore.insert(
              connection,
              new AuditStore.AuditEvent(
                  now,
                  "accounts",
                  "generateDbToken",
                  principal,
                  AuditStore.json(params),
                  200,
                  null,
                  clientAddress.orElse(null)));
          return new CreatedAccessToken(
              token, new AccessTokenInfo(id, principal, comment, now, expiresAt, Optional.empty()));
        });
  }

  /**
   * The principal a token belongs to; empty if the token is malformed, unknown, expired or revoked.
   */
  public Optional<Principal> authenticate(String token) {
    return check(token).principal();
  }

  /**
   * What a token is worth now: its principal (admin when in the group admins) and expiry, or why it
   * is refused ({@code unknown}, {@code expired at ...}, {@code revoked at ...}).
   */
  public TokenCheck check(String token) {
    if (token == null || token.length() != TOKEN_LENGTH || !token.startsWith(TOKEN_PREFIX)) {
      return TokenCheck.refused("the access token is malformed or unknown");
    }
    byte[] hash = sha256(token);
    Instant now = CatalogDatabase.now(clock);
    return database.read(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT p.name, t.expires_at, t.revoked_at, t.id, p.active"
                      + " FROM access_tokens t JOIN principals p ON p.name = t.principal_name"
                      + " WHERE t.token_sha256 = ?")) {
            select.setBytes(1, hash);
            try (ResultSet rows = select.executeQuery()) {
              if (!rows.next()) {
                return TokenCheck.refused("the access token is malformed or unknown");
              }
              Optional<Instant> expiresAt = optionalInstant(rows, 2);
              Optional<Instant> revokedAt = optionalInstant(rows, 3);
              if (revokedAt.isPresent()) {
                return TokenCheck.refused(
                    "the access token " + rows.getString(4) + " was revoked at " + revokedAt.get());
              }
              if (expiresAt.map(e -> !now.isBefore(e)).orElse(false)) {
                return TokenCheck.refused(
                    "the access token " + rows.getString(4) + " expired at " + expiresAt.get());
              }
              String name = rows.getString(1);
              if (rows.getInt(5) == 0) {
                return TokenCheck.refused(
                    "the access token "
                        + rows.getString(4)
                        + " belongs to "
                        + name
                        + ", who is deactivated");
              }
              return new TokenCheck(
                  Optional.of(new Principal(name, GroupStore.isAdmin(connection, name))),
                  expiresAt,
                  "");
            }
          }
        });
  }

  /**
   * The outcome of checking a token.
   *
   * @param principal whom the token authenticates; empty when refused
   * @param expiresAt when an accepted token expires
   * @param refusal why a refused token is refused
   */
  public record TokenCheck(
      Optional<Principal> principal, Optional<Instant> expiresAt, String refusal) {
    public TokenCheck {
      requireNonNull(principal, "principal");
      requireNonNull(expiresAt, "expiresAt");
      requireNonNull(refusal, "refusal");
    }

    static TokenCheck refused(String why) {
      return new TokenCheck(Optional.empty(), Optional.empty(), why);
    }
  }

  /** One token's record, whoever it belongs to. */
  public Optional<AccessTokenInfo> getToken(String tokenId) {
    requireNonNull(tokenId, "tokenId");
    return database.read(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT id, principal_name, comment, created_at, expires_at, revoked_at"
                      + " FROM access_tokens WHERE id = ?")) {
            select.setString(1, tokenId);
            try (ResultSet rows = select.executeQuery()) {
              return rows.next() ? Optional.of(tokenInfo(rows)) : Optional.empty();
            }
          }
        });
  }

  /** Revokes a token; revoking a revoked token changes nothing. */
  public void revokeToken(String tokenId) {
    revokeToken(tokenId, Optional.empty());
  }

  /**
   * Revokes a token and records it in the audit log (action {@code revokeDbToken}) in the same
   * transaction.
   *
   * @param revokedBy who revoked it; empty (the command line) records the token's owner
   */
  public void revokeToken(String tokenId, Optional<String> revokedBy) {
    revokeToken(tokenId, revokedBy, Optional.empty());
  }

  /**
   * Like {@link #revokeToken(String, Optional)}, recording {@code clientAddress} (the IP address of
   * the client that asked, when a front end knows it) in the audit row.
   */
  public void revokeToken(
      String tokenId, Optional<String> revokedBy, Optional<String> clientAddress) {
    requireNonNull(tokenId, "tokenId");
    requireNonNull(clientAddress, "clientAddress");
    database.write(
        connection -> {
          String owner = null;
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT principal_name FROM access_tokens WHERE id = ?")) {
            select.setString(1, tokenId);
            try (ResultSet rs = select.executeQuery()) {
              if (rs.next()) {
                owner = rs.getString(1);
              }
            }
          }
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE access_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?")) {
            update.setLong(1, toEpochMicros(CatalogDatabase.now(clock)));
            update.setString(2, tokenId);
            if (update.executeUpdate() == 0) {
              throw new CatalogException(
                  CATALOG_OBJECT_NOT_FOUND, "access token " + tokenId + " not found");
            }
          }
          java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
          params.put("token_id", tokenId);
          params.put("token_owner", owner);
          AuditStore.insert(
              connection,
              new AuditStore.AuditEvent(
                  CatalogDatabase.now(clock),
                  "accounts",
                  "revokeDbToken",
                  revokedBy.map(PrincipalStore::normalizeName).orElse(owner),
                  AuditStore.json(params),
                  200,
                  null,
                  clientAddress.orElse(null)));
          return null;
        });
  }

  /** A user's tokens, revoked and expired ones included, oldest first. */
  public List<AccessTokenInfo> listTokens(String user) {
    String principal = PrincipalStore.normalizeName(user);
    return database.read(
        connection -> {
          if (PrincipalStore.findUser(connection, principal).isEmpty()) {
            throw new CatalogException(
                CATALOG_OBJECT_NOT_FOUND, "user " + principal + " not found");
          }
          List<AccessTokenInfo> tokens = new ArrayList<>();
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT id, principal_name, comment, created_at, expires_at, revoked_at"
                      + " FROM access_tokens WHERE principal_name = ? ORDER BY created_at, id")) {
            select.setString(1, principal);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                tokens.add(tokenInfo(rows));
              }
            }
          }
          return tokens;
        });
  }

  /** Every principal's tokens, revoked and expired ones included, oldest first. */
  public List<AccessTokenInfo> listAllTokens() {
    return database.read(
        connection -> {
          List<AccessTokenInfo> tokens = new ArrayList<>();
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT id, principal_name, comment, created_at, expires_at, revoked_at"
                      + " FROM access_tokens ORDER BY created_at, id")) {
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                tokens.add(tokenInfo(rows));
              }
            }
          }
          return tokens;
        });
  }

  private static AccessTokenInfo tokenInfo(ResultSet rows) throws SQLException {
    return new AccessTokenInfo(
        rows.getString(1),
        rows.getString(2),
        Optional.ofNullable(rows.getString(3)),
        fromEpochMicros(rows.getLong(4)),
        optionalInstant(rows, 5),
        optionalInstant(rows, 6));
  }

  private static Optional<Instant> optionalInstant(ResultSet rows, int column) throws SQLException {
    long micros = rows.getLong(column);
    return rows.wasNull() ? Optional.empty() : Optional.of(fromEpochMicros(micros));
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
