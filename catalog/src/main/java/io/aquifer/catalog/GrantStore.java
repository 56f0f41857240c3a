package io.aquifer.catalog;

import static io.aquifer.catalog.CatalogDatabase.toEpochMicros;
import static io.aquifer.catalog.CatalogErrorCode.CATALOG_OBJECT_NOT_FOUND;
import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Privileges granted on catalogs, schemas, tables, views and functions. The store keeps grants;
 * what they allow (inheritance, ownership, admins) is decided by the gateway's access control.
 * Grants go with their object when it is dropped.
 *
 * <p>Each row names its securable by type ({@code securable_type}: METASTORE, CATALOG, SCHEMA,
 * TABLE for tables and views, FUNCTION, VOLUME) and lower-case name parts, {@code ''} where the
 * type has no such part; a table and a function of the same name keep their grants apart by type.
 */
public final class GrantStore {
  /** The built-in group every user belongs to, as in Databricks. */
  public static final String ACCOUNT_USERS = "account users";

  private static final String COLUMNS =
      "SELECT securable_type, catalog_name, schema_name, table_name, principal, privilege,"
          + " granted_by FROM grants";

  private final CatalogDatabase database;
  private final Clock clock;

  GrantStore(CatalogDatabase database, Clock clock) {
    this.database = requireNonNull(database, "database");
    this.clock = requireNonNull(clock, "clock");
  }

  public GrantStore(CatalogDatabase database) {
    this(database, Clock.systemUTC());
  }

  /** A principal name as grants store it: lower case. */
  public static String principalName(String name) {
    return Owners.check(name).toLowerCase(Locale.ROOT);
  }

  /**
   * Grants {@code privileges} on {@code securable} to {@code principal}; granting one held already
   * changes nothing. The principal must be a user, service principal, group or {@value
   * #ACCOUNT_USERS}, else CATALOG_OBJECT_NOT_FOUND; the caller checks the securable exists and who
   * may grant.
   */
  public void grant(
      Securable securable, String principal, Collection<Privilege> privileges, String grantedBy) {
    String grantee = principalName(principal);
    database.write(
        connection -> {
          requirePrincipal(connection, grantee);
          for (Privilege privilege : privileges) {
            try (PreparedStatement insert =
                connection.prepareStatement(
                    "INSERT OR IGNORE INTO grants (securable_type, catalog_name, schema_name,"
                        + " table_name, principal, privilege, granted_by, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
              insert.setString(1, storedType(securable));
              setParts(insert, 2, securable);
              insert.setString(5, grantee);
              insert.setString(6, privilege.sqlName());
              insert.setString(7, grantedBy);
              insert.setLong(8, toEpochMicros(CatalogDatabase.now(clock)));
              insert.executeUpdate();
            }
          }
          return null;
        });
  }

  /**
   * Revokes {@code privileges} on {@code securable} from {@code principal}; revoking one not held
   * changes nothing. REVOKE ALL PRIVILEGES takes every privilege the principal holds there.
   */
  public void revoke(Securable securable, String principal, Collection<Privilege> privileges) {
    String grantee = principalName(principal);
    database.write(
        connection -> {
          requirePrincipal(connection, grantee);
          boolean all = privileges.contains(Privilege.ALL_PRIVILEGES);
          String sql =
              "DELETE FROM grants WHERE catalog_name = ? AND schema_name = ? AND table_name = ?"
                  + " AND principal = ? AND securable_type = ?"
                  + (all ? "" : " AND privilege = ?");
          for (Privilege privilege : all ? List.of(Privilege.ALL_PRIVILEGES) : privileges) {
            try (PreparedStatement delete = connection.prepareStatement(sql)) {
              setParts(delete, 1, securable);
              delete.setString(4, grantee);
              delete.setString(5, securable.type().name());
              if (!all) {
                delete.setString(6, privilege.sqlName());
              }
              delete.executeUpdate();
            }
          }
          return null;
        });
  }

  /** The grants on one securable (not inherited ones), by principal and privilege. */
  public List<GrantInfo> grantsOn(Securable securable) {
    List<String> parts = storedParts(securable);
    return database.read(
        connection ->
            select(
                connection,
                COLUMNS
                    + " WHERE catalog_name = ? AND schema_name = ? AND table_name = ?"
                    + " AND securable_type = ? ORDER BY principal, privilege",
                parts.get(0),
                parts.get(1),
                parts.get(2),
                securable.type().name()));
  }

  /**
   * Every grant that applies to {@code principal}: its own, those to the groups it belongs to
   * (directly or through other groups) and those to {@value #ACCOUNT_USERS}.
   */
  public List<GrantInfo> grantsTo(String principal) {
    String grantee = principalName(principal);
    return database.read(
        connection -> {
          List<String> names = new ArrayList<>();
          names.add(grantee);
          names.add(ACCOUNT_USERS);
          names.addAll(GroupStore.groupsOf(connection, grantee));
          return select(
              connection,
              COLUMNS
                  + " WHERE principal IN ("
                  + String.join(", ", java.util.Collections.nCopies(names.size(), "?"))
                  + ") ORDER BY catalog_name, schema_name, table_name, securable_type, privilege",
              names.toArray(String[]::new));
        });
  }

  /**
   * The names {@code principal} acts as: itself, every group it belongs to (transitively) and
   * {@value #ACCOUNT_USERS}; an owner among these makes it an owner.
   */
  public java.util.Set<String> identities(String principal) {
    String name = principalName(principal);
    return database.read(
        connection -> {
          java.util.Set<String> names = new java.util.LinkedHashSet<>();
          names.add(name);
          names.addAll(GroupStore.groupsOf(connection, name));
          names.add(ACCOUNT_USERS);
          return names;
        });
  }

  /**
   * Whether {@code principal} is a user, service principal or group that exists, or {@value
   * #ACCOUNT_USERS}.
   */
  public boolean principalExists(String principal) {
    String name = principalName(principal);
    return name.equals(ACCOUNT_USERS)
        || database.read(connection -> PrincipalStore.find(connection, name).isPresent());
  }

  /** Whether {@code principal} is in the group admins, directly or through other groups. */
  public boolean isAdmin(String principal) {
    String name = principalName(principal);
    return database.read(connection -> GroupStore.isAdmin(connection, name));
  }

  private static void requirePrincipal(Connection connection, String principal)
      throws SQLException {
    if (!principal.equals(ACCOUNT_USERS) && PrincipalStore.find(connection, principal).isEmpty()) {
      throw new CatalogException(
          CATALOG_OBJECT_NOT_FOUND,
          "principal " + principal + " does not exist (no such user, service principal or group)");
    }
  }

  /**
   * Removes the grants on the object {@code type name} and, for a catalog or schema, on everything
   * in it: part of dropping it, in the drop's transaction.
   */
  static void deleteGrants(Connection connection, Securable securable) throws SQLException {
    List<String> parts = securable.parts();
    String where =
        switch (securable.type()) {
          case CATALOG -> "catalog_name = ?";
          case SCHEMA -> "catalog_name = ? AND schema_name = ?";
          case TABLE, FUNCTION, VOLUME ->
              "catalog_name = ? AND schema_name = ? AND table_name = ? AND securable_type = '"
                  + securable.type().name()
                  + "'";
          case METASTORE -> throw new IllegalArgumentException("the metastore is never dropped");
        };
    List<String> stored = storedParts(securable);
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM grants WHERE " + where)) {
      for (int i = 0; i < parts.size(); i++) {
        delete.setString(i + 1, stored.get(i));
      }
      delete.executeUpdate();
    }
  }

  /** Keeps a renamed table's or view's grants: part of the rename's transaction. */
  static void moveGrants(Connection connection, TableName from, TableName to) throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE grants SET catalog_name = ?, schema_name = ?, table_name = ?"
                + " WHERE catalog_name = ? AND schema_name = ? AND table_name = ?"
                + " AND securable_type = 'TABLE'")) {
      update.setString(1, to.catalog());
      update.setString(2, to.schema());
      update.setString(3, to.table());
      update.setString(4, from.catalog());
      update.setString(5, from.schema());
      update.setString(6, from.table());
      update.executeUpdate();
    }
  }

  private static void setParts(PreparedStatement statement, int first, Securable securable)
      throws SQLException {
    List<String> stored = storedParts(securable);
    for (int i = 0; i < 3; i++) {
      statement.setString(first + i, stored.get(i));
    }
  }

  /** The catalog, schema and table name columns of {@code securable}'s grants. */
  private static List<String> storedParts(Securable securable) {
    List<String> parts = new ArrayList<>(securable.parts());
    while (parts.size() < 3) {
      parts.add("");
    }
    return parts;
  }

  /** The type column of {@code securable}'s grants. */
  private static String storedType(Securable securable) {
    return securable.type().name();
  }

  private static List<GrantInfo> select(Connection connection, String sql, String... parameters)
      throws SQLException {
    List<GrantInfo> grants = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        select.setString(i + 1, parameters[i]);
      }
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          SecurableType type = SecurableType.valueOf(rows.getString(1));
          String table = rows.getString(4);
          List<String> parts =
              List.of(rows.getString(2), rows.getString(3), table).subList(0, type.nameParts());
          Privilege privilege = Privilege.fromSql(rows.getString(6)).orElse(null);
          if (privilege == null) {
            continue;
          }
          grants.add(
              new GrantInfo(
                  new Securable(type, parts), rows.getString(5), privilege, rows.getString(7)));
        }
      }
    }
    return grants;
  }
}
