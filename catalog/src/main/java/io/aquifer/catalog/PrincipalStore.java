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

/**
 * Users. Names are case-insensitive (as e-mail addresses are in Databricks) and stored in lower
 * case. The server creates the first admin when {@link #hasUsers()} is false.
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

  public UserInfo createUser(String name, boolean admin) {
    String user = normalizeName(name);
    return database.write(
        connection -> {
          if (findUser(connection, user).isPresent()) {
            throw new CatalogException(
                CATALOG_OBJECT_ALREADY_EXISTS, "user " + user + " already exists");
          }
          Instant now = CatalogDatabase.now(clock);
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO principals (name, admin, created_at) VALUES (?, ?, ?)")) {
            insert.setString(1, user);
            insert.setInt(2, admin ? 1 : 0);
            insert.setLong(3, toEpochMicros(now));
            insert.executeUpdate();
          }
          return new UserInfo(user, admin, now);
        });
  }

  public Optional<UserInfo> getUser(String name) {
    String user = normalizeName(name);
    return database.read(connection -> findUser(connection, user));
  }

  /** All users, by name. */
  public List<UserInfo> listUsers() {
    return database.read(
        connection -> {
          List<UserInfo> users = new ArrayList<>();
          try (PreparedStatement select =
                  connection.prepareStatement(
                      "SELECT name, admin, created_at FROM principals ORDER BY name");
              ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              users.add(userInfo(rows));
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
                  connection.prepareStatement("SELECT 1 FROM principals LIMIT 1");
              ResultSet rows = select.executeQuery()) {
            return rows.next();
          }
        });
  }

  /** Removes a user and all of their tokens. */
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

  static Optional<UserInfo> findUser(Connection connection, String user) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT name, admin, created_at FROM principals WHERE name = ?")) {
      select.setString(1, user);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(userInfo(rows)) : Optional.empty();
      }
    }
  }

  private static UserInfo userInfo(ResultSet rows) throws SQLException {
    return new UserInfo(rows.getString(1), rows.getInt(2) == 1, fromEpochMicros(rows.getLong(3)));
  }
}
