package io.aquifer.catalog;

import static io.aquifer.catalog.CatalogDatabase.fromEpochMicros;
import static io.aquifer.catalog.CatalogDatabase.toEpochMicros;
import static io.aquifer.catalog.CatalogErrorCode.CATALOG_OBJECT_ALREADY_EXISTS;
import static io.aquifer.catalog.CatalogErrorCode.CATALOG_OBJECT_NOT_FOUND;
import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Users, service principals and groups (one name space). Names are case-insensitive (as e-mail
 * addresses are in Databricks) and stored in lower case. The server creates the first admin when
 * {@link #hasUsers()} is false.
 */
public final class PrincipalStore {
  private final CatalogDatabase database;
  private final Clock clock;

  public PrincipalStore(CatalogDatabase database) {
    this(database, Clock.systemUTC());
  }

  public PrincipalStore(CatalogDatabase database, Clock clock) {
    this.database = requireNonNull(database, "database");
    this.clock = requireNonNull(clock, "clock");
  }

  static String normalizeName(String name) {
    return Owners.check(name).toLowerCase(Locale.ROOT);
  }

  /** Creates a user; an admin one is made a member of the group {@value GroupStore#ADMINS}. */
  public UserInfo createUser(String name, boolean admin) {
    String user = normalizeName(name);
    return database.write(
        connection -> {
          PrincipalInfo info = insert(connection, user, PrincipalKind.USER, null, admin);
          if (admin) {
            try (PreparedStatement member =
                connection.prepareStatement(
                    "INSERT OR IGNORE INTO group_members (group_name, member_name, created_at)"
                        + " VALUES (?, ?, ?)")) {
              member.setString(1, GroupStore.ADMINS);
              member.setString(2, user);
              member.setLong(3, toEpochMicros(info.createdAt()));
              member.executeUpdate();
            }
          }
          return new UserInfo(user, admin, info.createdAt());
        });
  }

  /**
   * Creates a service principal named by a new application id (a UUID), as Databricks names them in
   * grants; {@code displayName} is what people call it.
   */
  public PrincipalInfo createServicePrincipal(String displayName) {
    String display = Owners.check(displayName);
    String applicationId = UUID.randomUUID().toString();
    return createPrincipal(applicationId, PrincipalKind.SERVICE_PRINCIPAL, display);
  }

  /** Creates a principal of any kind; names are unique across users, service principals, groups. */
  public PrincipalInfo createPrincipal(String name, PrincipalKind kind, String displayName) {
    String principal = normalizeName(name);
    requireNonNull(kind, "kind");
    return database.write(connection -> insert(connection, principal, kind, displayName, false));
  }

  PrincipalInfo insert(
      Connection connection, String name, PrincipalKind kind, String displayName, boolean admin)
      throws SQLException {
    Optional<PrincipalInfo> existing = find(connection, name);
    if (existing.isPresent()) {
      throw new CatalogException(
          CATALOG_OBJECT_ALREADY_EXISTS,
          GroupStore.kindName(existing.get().kind()) + " " + name + " already exists");
    }
    Instant now = CatalogDatabase.now(clock);
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO principals (name, admin, created_at, kind, display_name)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      insert.setString(1, name);
      insert.setInt(2, admin ? 1 : 0);
      insert.setLong(3, toEpochMicros(now));
      insert.setString(4, kind.name());
      insert.setString(5, displayName);
      insert.executeUpdate();
    }
    return new PrincipalInfo(name, kind, Optional.ofNullable(displayName), now);
  }

  /** A user, service principal or group. */
  public Optional<PrincipalInfo> getPrincipal(String name) {
    String principal = normalizeName(name);
    return database.read(connection -> find(connection, principal));
  }

  /** All principals of one kind, by name. */
  public List<PrincipalInfo> list(PrincipalKind kind) {
    return database.read(
        connection ->
            select(
                connection,
                "SELECT name, kind, display_name, created_at FROM principals WHERE kind = ?"
                    + " ORDER BY name",
                kind.name()));
  }

  public Optional<UserInfo> getUser(String name) {
    String user = normalizeName(name);
    return database.read(connection -> findUser(connection, user));
  }

  /** All users (not service principals nor groups), by name. */
  public List<UserInfo> listUsers() {
    return database.read(
        connection -> {
          List<UserInfo> users = new ArrayList<>();
          try (PreparedStatement select =
                  connection.prepareStatement(
                      "SELECT name FROM principals WHERE kind = 'USER' ORDER BY name");
              ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              users.add(findUser(connection, rows.getString(1)).orElseThrow());
            }
          }
          return users;
        });
  }

  /** Whether any user exists; false on a fresh database. */
  public boolean hasUsers() {
    return database.read(
        connection -> {
          try (PreparedStatement select =
                  connection.prepareStatement(
                      "SELECT 1 FROM principals WHERE kind = 'USER' LIMIT 1");
              ResultSet rows = select.executeQuery()) {
            return rows.next();
          }
        });
  }

  /** Removes a principal, its tokens and its memberships. */
  public void dropUser(String name) {
    String user = normalizeName(name);
    database.write(
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM principals WHERE name = ?")) {
            delete.setString(1, user);
            if (delete.executeUpdate() == 0) {
              throw new CatalogException(CATALOG_OBJECT_NOT_FOUND, "user " + user + " not found");
            }
          }
          return null;
        });
  }

  /**
   * A user or service principal (one that can hold tokens), admin when it is in {@value
   * GroupStore#ADMINS}; empty for groups and unknown names.
   */
  static Optional<UserInfo> findUser(Connection connection, String user) throws SQLException {
    Optional<PrincipalInfo> info = find(connection, user);
    if (info.isEmpty() || info.get().kind() == PrincipalKind.GROUP) {
      return Optional.empty();
    }
    return Optional.of(
        new UserInfo(user, GroupStore.isAdmin(connection, user), info.get().createdAt()));
  }

  static Optional<PrincipalInfo> find(Connection connection, String name) throws SQLException {
    List<PrincipalInfo> found =
        select(
            connection,
            "SELECT name, kind, display_name, created_at FROM principals WHERE name = ?",
            name);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  static List<PrincipalInfo> select(Connection connection, String sql, String... parameters)
      throws SQLException {
    List<PrincipalInfo> principals = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        select.setString(i + 1, parameters[i]);
      }
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          principals.add(
              new PrincipalInfo(
                  rows.getString(1),
                  PrincipalKind.valueOf(rows.getString(2)),
                  Optional.ofNullable(rows.getString(3)),
                  fromEpochMicros(rows.getLong(4))));
        }
      }
    }
    return principals;
  }
}
