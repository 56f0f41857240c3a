package io.aquifer.catalog;

import static io.aquifer.catalog.CatalogDatabase.toEpochMicros;
import static io.aquifer.catalog.CatalogErrorCode.CATALOG_OBJECT_NOT_FOUND;
import static io.aquifer.catalog.CatalogErrorCode.CATALOG_OBJECT_WRONG_KIND;
import static io.aquifer.catalog.CatalogErrorCode.GROUP_MEMBERSHIP_CYCLE;
import static io.aquifer.catalog.CatalogErrorCode.PERMISSION_DENIED;
import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Groups and their members. A member is a user, a service principal or another group; what a group
 * is granted applies to its members transitively, so memberships may not form a cycle. The built-in
 * group {@value #ADMINS} makes its (transitive) members admins.
 */
public final class GroupStore {
  /** The built-in group of admins; the first user is in it. */
  public static final String ADMINS = "admins";

  private final CatalogDatabase database;
  private final Clock clock;

  /** The IP address of the client that asked for the changes, recorded in their audit rows. */
  private final String clientAddress;

  public GroupStore(CatalogDatabase database) {
    this(database, Clock.systemUTC());
  }

  public GroupStore(CatalogDatabase database, Clock clock) {
    this(database, clock, null);
  }

  private GroupStore(CatalogDatabase database, Clock clock, String clientAddress) {
    this.database = requireNonNull(database, "database");
    this.clock = requireNonNull(clock, "clock");
    this.clientAddress = clientAddress;
  }

  /**
   * This store, recording {@code address} (the IP address of the client that asked, when known) as
   * the {@code source_ip_address} of the changes it audits.
   */
  public GroupStore from(java.util.Optional<String> address) {
    return new GroupStore(database, clock, address.orElse(null));
  }

  public PrincipalInfo createGroup(String name) {
    return new PrincipalStore(database, clock).createPrincipal(name, PrincipalKind.GROUP, null);
  }

  /** The group's direct members, by name. */
  public List<PrincipalInfo> members(String group) {
    String name = PrincipalStore.normalizeName(group);
    return database.read(
        connection -> {
          requireGroup(connection, name);
          return members(connection, name);
        });
  }

  private static List<PrincipalInfo> members(Connection connection, String group)
      throws SQLException {
    return PrincipalStore.select(
        connection,
        "SELECT p.name, p.kind, p.display_name, p.created_at FROM group_members m"
            + " JOIN principals p ON p.name = m.member_name WHERE m.group_name = ?"
            + " ORDER BY p.name",
        group);
  }

  /** The groups {@code principal} is a direct member of, by name. */
  public List<String> directGroups(String principal) {
    String name = PrincipalStore.normalizeName(principal);
    return database.read(
        connection -> {
          List<String> groups = new ArrayList<>();
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT group_name FROM group_members WHERE member_name = ?"
                      + " ORDER BY group_name")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                groups.add(rows.getString(1));
              }
            }
          }
          return groups;
        });
  }

  /** Every group {@code principal} belongs to, directly or through other groups. */
  public Set<String> groupsOf(String principal) {
    String name = PrincipalStore.normalizeName(principal);
    return database.read(connection -> groupsOf(connection, name));
  }

  /** Whether {@code principal} is in {@value #ADMINS}, directly or through other groups. */
  public boolean isAdmin(String principal) {
    return groupsOf(principal).contains(ADMINS);
  }

  /**
   * Adds {@code member} (a user, service principal or group) to {@code group}; adding a member
   * twice changes nothing. Fails with GROUP_MEMBERSHIP_CYCLE when {@code member} is {@code group}
   * or a group holding it.
   */
  public void addMember(String group, String member) {
    addMember(group, member, null);
  }

  /** {@link #addMember(String, String)}, audited as done by {@code by} (null: not known). */
  public void addMember(String group, String member, String by) {
    String groupName = PrincipalStore.normalizeName(group);
    String memberName = PrincipalStore.normalizeName(member);
    database.write(
        connection -> {
          addMember(connection, groupName, memberName, by);
          return null;
        });
  }

  /** A member named in a statement: a user or service principal, or a group ({@code group}). */
  public record Member(String name, boolean group) {
    public Member {
      name = PrincipalStore.normalizeName(name);
    }
  }

  /**
   * Creates a user (not an admin) or a service principal, as SCIM's POST does, in one transaction
   * with its audit row ({@code accounts}, {@code add}, with the new principal's name and kind; the
   * user is {@code by}). Groups are made by {@link #createGroup(String, List, String)}.
   *
   * @param displayName what people call a service principal; null for a user
   * @throws CatalogException CATALOG_OBJECT_ALREADY_EXISTS when a principal has the name
   */
  public PrincipalInfo createPrincipal(
      String name, PrincipalKind kind, String displayName, String by) {
    String principal = PrincipalStore.normalizeName(name);
    if (kind == PrincipalKind.GROUP) {
      throw new IllegalArgumentException("groups are made by createGroup");
    }
    if (displayName != null) {
      Owners.check(displayName);
    }
    PrincipalStore principals = new PrincipalStore(database, clock);
    return database.write(
        connection -> {
          PrincipalInfo created =
              principals.insert(connection, principal, kind, displayName, false);
          java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
          params.put("target_name", principal);
          params.put("target_type", kind.name());
          if (displayName != null) {
            params.put("display_name", displayName);
          }
          AuditStore.insert(
              connection,
              new AuditStore.AuditEvent(
                  CatalogDatabase.now(clock),
                  "accounts",
                  "add",
                  by,
                  AuditStore.json(params),
                  200,
                  null,
                  clientAddress));
          return created;
        });
  }

  /**
   * Creates a group with these direct members in one transaction ({@code CREATE GROUP ... WITH}):
   * nothing is created when a member is missing or of the wrong kind.
   *
   * @throws CatalogException CATALOG_OBJECT_ALREADY_EXISTS when a principal has the name;
   *     CATALOG_OBJECT_NOT_FOUND for a missing member; CATALOG_OBJECT_WRONG_KIND for a user named
   *     as GROUP or a group named as USER
   */
  public PrincipalInfo createGroup(String name, List<Member> members, String by) {
    String groupName = PrincipalStore.normalizeName(name);
    PrincipalStore principals = new PrincipalStore(database, clock);
    return database.write(
        connection -> {
          PrincipalInfo group =
              principals.insert(connection, groupName, PrincipalKind.GROUP, null, false);
          java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
          params.put("target_group_name", groupName);
          AuditStore.insert(
              connection,
              new AuditStore.AuditEvent(
                  CatalogDatabase.now(clock),
                  "accounts",
                  "createGroup",
                  by,
                  AuditStore.json(params),
                  200,
                  null,
                  clientAddress));
          for (Member m : members) {
            requireKind(connection, m);
            addMember(connection, groupName, m.name(), by);
          }
          return group;
        });
  }

  /**
   * Adds or removes these direct members in one transaction ({@code ALTER GROUP ... ADD | DROP}):
   * nothing changes when one of them fails. Adding a member twice is a no-op; dropping one that is
   * not a direct member fails.
   */
  public void changeMembers(String group, boolean add, List<Member> members, String by) {
    String groupName = PrincipalStore.normalizeName(group);
    database.write(
        connection -> {
          requireGroup(connection, groupName);
          for (Member m : members) {
            requireKind(connection, m);
            if (add) {
              addMember(connection, groupName, m.name(), by);
            } else {
              removeMember(connection, groupName, m.name(), by);
            }
          }
          return null;
        });
  }

  /**
   * Whether a user or service principal is active (SCIM's {@code active}); groups always are, and
   * so is a name the catalog does not know (a principal the server made for itself).
   */
  public boolean isActive(String name) {
    String principal = PrincipalStore.normalizeName(name);
    return database.read(
        connection ->
            PrincipalStore.find(connection, principal).isEmpty()
                || isActive(connection, principal));
  }

  private static boolean isActive(Connection connection, String name) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT active FROM principals WHERE name = ?")) {
      select.setString(1, name);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          throw new CatalogException(CATALOG_OBJECT_NOT_FOUND, "principal " + name + " not found");
        }
        return rows.getInt(1) == 1;
      }
    }
  }

  /**
   * Replaces what SCIM's PUT replaces, in one transaction with its audit row ({@code accounts},
   * {@code updateUser} or {@code updateGroup}): the display name, whether a user or service
   * principal is active, and a group's direct members (when given: the new full list). A
   * deactivated principal's tokens are refused until it is active again. Deactivating the last
   * active admin is refused, so that someone can still administer.
   *
   * @throws CatalogException CATALOG_OBJECT_NOT_FOUND when there is no principal of this kind and
   *     name or a member is missing; PERMISSION_DENIED for the last active admin;
   *     GROUP_MEMBERSHIP_CYCLE
   */
  public void update(
      String name,
      PrincipalKind kind,
      Optional<String> displayName,
      Optional<Boolean> active,
      Optional<List<String>> members,
      String by) {
    String principal = PrincipalStore.normalizeName(name);
    database.write(
        connection -> {
          Optional<PrincipalInfo> found = PrincipalStore.find(connection, principal);
          if (found.isEmpty() || found.get().kind() != kind) {
            throw new CatalogException(
                CATALOG_OBJECT_NOT_FOUND, kindName(kind) + " " + principal + " does not exist");
          }
          java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
          params.put(kind == PrincipalKind.GROUP ? "target_group_name" : "target_name", principal);
          if (displayName.isPresent()) {
            try (PreparedStatement update =
                connection.prepareStatement(
                    "UPDATE principals SET display_name = ? WHERE name = ?")) {
              update.setString(1, displayName.get());
              update.setString(2, principal);
              update.executeUpdate();
            }
            params.put("display_name", displayName.get());
          }
          if (active.isPresent() && kind != PrincipalKind.GROUP) {
            if (!active.get()
                && isActive(connection, principal)
                && isAdmin(connection, principal)) {
              requireAnotherActiveAdmin(connection, principal);
            }
            try (PreparedStatement update =
                connection.prepareStatement("UPDATE principals SET active = ? WHERE name = ?")) {
              update.setInt(1, active.get() ? 1 : 0);
              update.setString(2, principal);
              update.executeUpdate();
            }
            params.put("active", active.get().toString());
          }
          if (members.isPresent() && kind == PrincipalKind.GROUP) {
            Set<String> wanted = new LinkedHashSet<>();
            for (String m : members.get()) {
              wanted.add(PrincipalStore.normalizeName(m));
            }
            List<String> current = new ArrayList<>();
            for (PrincipalInfo m : members(connection, principal)) {
              current.add(m.name());
            }
            for (String m : wanted) {
              if (!current.contains(m)) {
                addMember(connection, principal, m, by);
              }
            }
            for (String m : current) {
              if (!wanted.contains(m)) {
                removeMember(connection, principal, m, by);
              }
            }
          }
          AuditStore.insert(
              connection,
              new AuditStore.AuditEvent(
                  CatalogDatabase.now(clock),
                  "accounts",
                  kind == PrincipalKind.GROUP ? "updateGroup" : "updateUser",
                  by,
                  AuditStore.json(params),
                  200,
                  null,
                  clientAddress));
          return null;
        });
  }

  private static void requireAnotherActiveAdmin(Connection connection, String principal)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT name FROM principals WHERE kind <> 'GROUP' AND active = 1 AND name <> ?")) {
      select.setString(1, principal);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          if (isAdmin(connection, rows.getString(1))) {
            return;
          }
        }
      }
    }
    throw new CatalogException(
        PERMISSION_DENIED,
        "cannot deactivate " + principal + ": it is the last active member of group admins");
  }

  private static void requireKind(Connection connection, Member m) throws SQLException {
    Optional<PrincipalInfo> found = PrincipalStore.find(connection, m.name());
    if (found.isEmpty()) {
      throw new CatalogException(
          CATALOG_OBJECT_NOT_FOUND,
          (m.group() ? "group " : "user ") + m.name() + " does not exist");
    }
    boolean isGroup = found.get().kind() == PrincipalKind.GROUP;
    if (isGroup != m.group()) {
      throw new CatalogException(
          CATALOG_OBJECT_WRONG_KIND,
          m.name()
              + " is a "
              + kindName(found.get().kind())
              + ", name it as "
              + (isGroup ? "GROUP " : "USER ")
              + m.name());
    }
  }

  private void addMember(Connection connection, String groupName, String memberName, String by)
      throws SQLException {
    requireGroup(connection, groupName);
    requirePrincipal(connection, memberName);
    if (memberName.equals(groupName) || groupsOf(connection, groupName).contains(memberName)) {
      throw new CatalogException(
          GROUP_MEMBERSHIP_CYCLE,
          "cannot add group "
              + memberName
              + " to group "
              + groupName
              + ": "
              + (memberName.equals(groupName)
                  ? "a group cannot be a member of itself"
                  : groupName + " is already a member of " + memberName + " (a cycle)"));
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT OR IGNORE INTO group_members (group_name, member_name, created_at)"
                + " VALUES (?, ?, ?)")) {
      insert.setString(1, groupName);
      insert.setString(2, memberName);
      insert.setLong(3, toEpochMicros(CatalogDatabase.now(clock)));
      if (insert.executeUpdate() > 0) {
        auditMembership(connection, "addPrincipalToGroup", groupName, memberName, by);
      }
    }
  }

  /**
   * Removes a direct member. Fails when it is not a direct member, and when it is the last member
   * of {@value #ADMINS} (someone must stay admin).
   */
  public void removeMember(String group, String member) {
    removeMember(group, member, null);
  }

  /** {@link #removeMember(String, String)}, audited as done by {@code by} (null: not known). */
  public void removeMember(String group, String member, String by) {
    String groupName = PrincipalStore.normalizeName(group);
    String memberName = PrincipalStore.normalizeName(member);
    database.write(
        connection -> {
          removeMember(connection, groupName, memberName, by);
          return null;
        });
  }

  private void removeMember(Connection connection, String groupName, String memberName, String by)
      throws SQLException {
    requireGroup(connection, groupName);
    if (groupName.equals(ADMINS)) {
      try (PreparedStatement count =
              connection.prepareStatement(
                  "SELECT count(*) FROM group_members WHERE group_name = 'admins'");
          ResultSet rows = count.executeQuery()) {
        rows.next();
        if (rows.getLong(1) <= 1) {
          throw new CatalogException(
              PERMISSION_DENIED,
              "cannot remove " + memberName + ": it is the last member of group admins");
        }
      }
    }
    try (PreparedStatement delete =
        connection.prepareStatement(
            "DELETE FROM group_members WHERE group_name = ? AND member_name = ?")) {
      delete.setString(1, groupName);
      delete.setString(2, memberName);
      if (delete.executeUpdate() == 0) {
        throw new CatalogException(
            CATALOG_OBJECT_NOT_FOUND, memberName + " is not a direct member of group " + groupName);
      }
    }
    auditMembership(connection, "removePrincipalFromGroup", groupName, memberName, by);
  }

  /**
   * Deletes a user, service principal or group, as SCIM's DELETE does: its tokens, its memberships
   * (and a group's own), and the grants made to it go with it, in one transaction with its audit
   * row ({@code accounts}, {@code delete} for a user or service principal, {@code removeGroup} for
   * a group; the user is {@code by}). Objects it owns keep its name as owner. The built-in group
   * {@value #ADMINS} cannot be deleted, nor the last member of it.
   *
   * @throws CatalogException CATALOG_OBJECT_NOT_FOUND when there is no principal of this kind and
   *     name; PERMISSION_DENIED for {@value #ADMINS} and its last member
   */
  public void deletePrincipal(String name, PrincipalKind kind, String by) {
    String principal = PrincipalStore.normalizeName(name);
    database.write(
        connection -> {
          Optional<PrincipalInfo> found = PrincipalStore.find(connection, principal);
          if (found.isEmpty() || found.get().kind() != kind) {
            throw new CatalogException(
                CATALOG_OBJECT_NOT_FOUND, kindName(kind) + " " + principal + " does not exist");
          }
          if (principal.equals(ADMINS)) {
            throw new CatalogException(
                PERMISSION_DENIED, "the built-in group " + ADMINS + " cannot be deleted");
          }
          try (PreparedStatement others =
              connection.prepareStatement(
                  "SELECT count(*) FROM group_members WHERE group_name = 'admins'"
                      + " AND member_name <> ?")) {
            others.setString(1, principal);
            try (ResultSet rows = others.executeQuery()) {
              rows.next();
              if (rows.getLong(1) == 0) {
                throw new CatalogException(
                    PERMISSION_DENIED,
                    "cannot delete " + principal + ": it is the last member of group admins");
              }
            }
          }
          for (String sql :
              List.of(
                  "DELETE FROM grants WHERE principal = ?",
                  "DELETE FROM group_members WHERE group_name = ? OR member_name = ?",
                  "DELETE FROM access_tokens WHERE principal_name = ?",
                  "DELETE FROM principals WHERE name = ?")) {
            try (PreparedStatement delete = connection.prepareStatement(sql)) {
              delete.setString(1, principal);
              if (sql.contains("OR member_name")) {
                delete.setString(2, principal);
              }
              delete.executeUpdate();
            }
          }
          java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
          params.put(kind == PrincipalKind.GROUP ? "target_group_name" : "target_name", principal);
          params.put("target_type", kind.name());
          AuditStore.insert(
              connection,
              new AuditStore.AuditEvent(
                  CatalogDatabase.now(clock),
                  "accounts",
                  kind == PrincipalKind.GROUP ? "removeGroup" : "delete",
                  by,
                  AuditStore.json(params),
                  200,
                  null,
                  clientAddress));
          return null;
        });
  }

  /**
   * Records a membership change in the audit log, in its transaction. Who made it is {@code by}
   * when a front end knows it; the command line acts with the data directory's rights and leaves
   * the user empty.
   */
  private void auditMembership(
      Connection connection, String action, String group, String member, String by)
      throws SQLException {
    java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
    params.put("target_group_name", group);
    params.put("target_name", member);
    AuditStore.insert(
        connection,
        new AuditStore.AuditEvent(
            CatalogDatabase.now(clock),
            "accounts",
            action,
            by,
            AuditStore.json(params),
            200,
            null,
            clientAddress));
  }

  /** Every group {@code name} belongs to, transitively (recursive, so nested groups count). */
  static Set<String> groupsOf(Connection connection, String name) throws SQLException {
    Set<String> groups = new LinkedHashSet<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "WITH RECURSIVE member_of(name) AS ("
                + " SELECT group_name FROM group_members WHERE member_name = ?"
                + " UNION SELECT m.group_name FROM group_members m"
                + " JOIN member_of o ON m.member_name = o.name)"
                + " SELECT name FROM member_of ORDER BY name")) {
      select.setString(1, name);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          groups.add(rows.getString(1));
        }
      }
    }
    return groups;
  }

  static boolean isAdmin(Connection connection, String name) throws SQLException {
    return groupsOf(connection, name).contains(ADMINS);
  }

  private static void requireGroup(Connection connection, String name) throws SQLException {
    PrincipalInfo info =
        PrincipalStore.find(connection, name)
            .orElseThrow(
                () ->
                    new CatalogException(CATALOG_OBJECT_NOT_FOUND, "group " + name + " not found"));
    if (info.kind() != PrincipalKind.GROUP) {
      throw new CatalogException(
          CATALOG_OBJECT_WRONG_KIND, name + " is a " + kindName(info.kind()) + ", not a group");
    }
  }

  private static void requirePrincipal(Connection connection, String name) throws SQLException {
    if (PrincipalStore.find(connection, name).isEmpty()) {
      throw new CatalogException(
          CATALOG_OBJECT_NOT_FOUND,
          "principal " + name + " does not exist (no such user, service principal or group)");
    }
  }

  static String kindName(PrincipalKind kind) {
    return switch (kind) {
      case USER -> "user";
      case SERVICE_PRINCIPAL -> "service principal";
      case GROUP -> "group";
    };
  }
}
