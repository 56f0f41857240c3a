package io.aquifer.gateway.execution;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.CatalogInfo;
import io.aquifer.catalog.CatalogStore;
import io.aquifer.catalog.GrantInfo;
import io.aquifer.catalog.GroupStore;
import io.aquifer.catalog.Principal;
import io.aquifer.catalog.Privilege;
import io.aquifer.catalog.SchemaInfo;
import io.aquifer.catalog.Securable;
import io.aquifer.catalog.SecurableType;
import io.aquifer.catalog.TableInfo;
import io.aquifer.catalog.TableName;
import io.aquifer.catalog.VolumeInfo;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.GatewayException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one place the gateway decides what a principal may do and see, as in Unity Catalog:
 *
 * <ul>
 *   <li>admins (members of the group {@code admins}, directly or through other groups) may do
 *       everything;
 *   <li>the owner of an object, or of the catalog or schema holding it, holds every privilege on it
 *       and may grant them; a group's members own what the group owns;
 *   <li>otherwise a privilege is held if it, or ALL PRIVILEGES, was granted to the principal, to a
 *       group it is in (transitively) or to {@code account users} on the object or on the schema or
 *       catalog holding it (inheritance);
 *   <li>using anything in a catalog needs USE CATALOG on it, anything in a schema USE SCHEMA;
 *   <li>an object is visible (SHOW, metadata calls, {@code information_schema}) to those who own
 *       it, hold a privilege on it or on something in it, or hold a privilege other than USE
 *       CATALOG / USE SCHEMA on what holds it.
 * </ul>
 *
 * One instance serves one statement: it reads the principal's grants once.
 */
public final class AccessControl {
  private final CatalogStore catalog;
  private final Principal principal;
  private List<GrantInfo> grants;
  private Set<String> identities;
  private Boolean admin;
  private final Map<Securable, Optional<String>> owners = new HashMap<>();

  public AccessControl(CatalogStore catalog, Principal principal) {
    this.catalog = requireNonNull(catalog, "catalog");
    this.principal = requireNonNull(principal, "principal");
  }

  static AccessControl of(StatementContext ctx) {
    return new AccessControl(ctx.catalog(), ctx.session().principal());
  }

  public Principal principal() {
    return principal;
  }

  /**
   * Refuses every statement of a deactivated user or service principal, also in a session opened
   * before it was deactivated (its tokens are refused when presented, see the token check).
   */
  public void requireActive() {
    if (!new GroupStore(catalog.database()).isActive(principal.name())) {
      throw GatewayErrors.unauthenticated(
          principal.name() + " is deactivated: an admin must reactivate it first");
    }
  }

  private List<GrantInfo> grants() {
    if (grants == null) {
      grants = isAdmin() ? List.of() : catalog.grants().grantsTo(principal.name());
    }
    return grants;
  }

  /** The principal's name, the groups it is in (transitively) and {@code account users}. */
  private Set<String> identities() {
    if (identities == null) {
      identities = catalog.grants().identities(principal.name());
    }
    return identities;
  }

  /**
   * Whether the principal is an admin now: a member of the group admins, read for each statement so
   * that a removal from the group holds on the next statement. (A principal the catalog does not
   * know, made by the server itself, is admin as it says.)
   */
  public boolean isAdmin() {
    if (admin == null) {
      admin =
          identities().contains(GroupStore.ADMINS)
              || (principal.admin() && !catalog.grants().principalExists(principal.name()));
    }
    return admin;
  }

  private Optional<String> owner(Securable s) {
    return owners.computeIfAbsent(
        s,
        k -> {
          List<String> p = k.parts();
          return switch (k.type()) {
            case METASTORE -> Optional.empty();
            case VOLUME ->
                catalog.volumes().get(p.get(0), p.get(1), p.get(2)).map(VolumeInfo::owner);
            case CATALOG -> catalog.getCatalog(p.get(0)).map(CatalogInfo::owner);
            case SCHEMA -> catalog.getSchema(p.get(0), p.get(1)).map(SchemaInfo::owner);
            case TABLE ->
                catalog.getTable(new TableName(p.get(0), p.get(1), p.get(2))).map(TableInfo::owner);
            case FUNCTION ->
                catalog
                    .functions()
                    .get(new TableName(p.get(0), p.get(1), p.get(2)))
                    .map(io.aquifer.catalog.FunctionInfo::owner);
          };
        });
  }

  /** Whether the principal owns {@code s} or the catalog or schema holding it. */
  public boolean owns(Securable s) {
    for (Securable level : s.selfAndAncestors()) {
      if (owner(level).map(o -> identities().contains(o.toLowerCase(Locale.ROOT))).orElse(false)) {
        return true;
      }
    }
    return false;
  }

  /** The privileges granted on {@code s} or inherited from what holds it. */
  public Set<Privilege> granted(Securable s) {
    Set<Privilege> held = EnumSet.noneOf(Privilege.class);
    List<Securable> chain = s.selfAndAncestors();
    for (GrantInfo g : grants()) {
      if (chain.contains(g.securable())) {
        held.add(g.privilege());
      }
    }
    return held;
  }

  /** Whether the principal holds {@code privilege} on {@code s}, as the rules above say. */
  public boolean holds(Securable s, Privilege privilege) {
    if (isAdmin() || owns(s)) {
      return true;
    }
    Set<Privilege> held = granted(s);
    return held.contains(privilege)
        || (privilege != Privilege.MANAGE && held.contains(Privilege.ALL_PRIVILEGES));
  }

  /** Fails with PERMISSION_DENIED unless the principal holds {@code privilege} on {@code s}. */
  public void require(Securable s, Privilege privilege) {
    if (!holds(s, privilege)) {
      throw denied(privilege, s);
    }
  }

  /**
   * What calling a SQL function needs: USE CATALOG, USE SCHEMA and EXECUTE on the function (granted
   * on it, its schema or catalog); its owner, the owner of what holds it and admins need nothing.
   */
  public void requireExecute(TableName function) {
    Securable s = Securable.function(function);
    if (isAdmin() || owns(s)) {
      return;
    }
    requireUse(s);
    require(s, Privilege.EXECUTE);
  }

  public boolean canSeeFunction(TableName function) {
    return canSee(Securable.function(function));
  }

  /** USE CATALOG on the catalog and USE SCHEMA on the schema holding {@code s}. */
  public void requireUse(Securable s) {
    List<String> p = s.parts();
    if (p.size() >= 2) {
      require(Securable.catalog(p.get(0)), Privilege.USE_CATALOG);
    }
    if (p.size() >= 3) {
      require(Securable.schema(p.get(0), p.get(1)), Privilege.USE_SCHEMA);
    }
  }

  /** What reading a table or view needs: USE CATALOG, USE SCHEMA and SELECT. */
  public void requireSelect(TableName table) {
    Securable s = Securable.table(table);
    requireUse(s);
    require(s, Privilege.SELECT);
  }

  /** What writing a table needs: USE CATALOG, USE SCHEMA and MODIFY. */
  public void requireModify(TableName table) {
    Securable s = Securable.table(table);
    requireUse(s);
    require(s, Privilege.MODIFY);
  }

  /**
   * What creating a catalog needs: to be an admin or to hold CREATE CATALOG on the metastore (the
   * creator then owns the catalog).
   */
  public void requireCreateCatalog() {
    require(Securable.metastore(), Privilege.CREATE_CATALOG);
  }

  /**
   * What {@code USE CATALOG c} needs: a catalog the caller may not see does not exist for it
   * (CATALOG_NOT_FOUND); one it sees needs USE CATALOG.
   */
  public void requireUseCatalog(String catalogName) {
    Securable c = Securable.catalog(catalogName);
    if (!canSee(c)) {
      throw GatewayErrorCode.CATALOG_NOT_FOUND.exception(
          "catalog " + catalogName + " does not exist");
    }
    require(c, Privilege.USE_CATALOG);
  }

  /**
   * What {@code USE SCHEMA c.s} needs: a schema the caller may not see does not exist for it
   * (SCHEMA_NOT_FOUND); one it sees needs USE CATALOG and USE SCHEMA.
   */
  public void requireUseSchema(String catalogName, String schema) {
    Securable s = Securable.schema(catalogName, schema);
    if (!canSee(s)) {
      throw GatewayErrorCode.SCHEMA_NOT_FOUND.exception(
          "schema " + catalogName + "." + schema + " does not exist");
    }
    require(Securable.catalog(catalogName), Privilege.USE_CATALOG);
    require(s, Privilege.USE_SCHEMA);
  }

  /** What creating a schema needs: USE CATALOG and CREATE SCHEMA on the catalog. */
  public void requireCreateSchema(String catalogName) {
    Securable c = Securable.catalog(catalogName);
    require(c, Privilege.USE_CATALOG);
    require(c, Privilege.CREATE_SCHEMA);
  }

  /**
   * What creating a table (or, with {@code view}, a view) needs: USE CATALOG, USE SCHEMA and CREATE
   * TABLE on the schema; for a view CREATE VIEW does as well.
   */
  public void requireCreateTable(String catalogName, String schema, boolean view) {
    Securable s = Securable.schema(catalogName, schema);
    requireUse(Securable.table(new TableName(catalogName, schema, "x")));
    if (view && holds(s, Privilege.CREATE_VIEW)) {
      return;
    }
    if (!holds(s, Privilege.CREATE_TABLE)) {
      throw denied(view ? Privilege.CREATE_VIEW : Privilege.CREATE_TABLE, s);
    }
  }

  /**
   * What changing, dropping or granting on an object needs: to be an admin, its owner (or the owner
   * of what holds it), or to hold MANAGE on it.
   */
  public void requireManage(Securable s, String operation) {
    if (isAdmin() || owns(s) || granted(s).contains(Privilege.MANAGE)) {
      return;
    }
    if (s.type() == SecurableType.METASTORE) {
      throw GatewayErrorCode.PERMISSION_DENIED.exception(
          "User " + principal.name() + " may not " + operation + ": only admins may");
    }
    throw GatewayErrorCode.PERMISSION_DENIED.exception(
        "User "
            + principal.name()
            + " may not "
            + operation
            + ": only the owner of "
            + s
            + " (now "
            + owner(s).orElse("nobody")
            + "), a principal with MANAGE on it, or an admin may");
  }

  /** Whether the principal may see {@code s} in listings and metadata. */
  public boolean canSee(Securable s) {
    if (s.type() == SecurableType.METASTORE || isAdmin() || owns(s)) {
      return true;
    }
    List<String> parts = s.parts();
    for (GrantInfo g : grants()) {
      if (g.securable().type() == SecurableType.METASTORE) {
        continue; // CREATE CATALOG shows no catalog
      }
      List<String> granted = g.securable().parts();
      if (granted.size() == parts.size() && g.securable().type() != s.type()) {
        continue; // a function and a table of the same name
      }
      // on s or on something in it
      if (granted.size() >= parts.size() && granted.subList(0, parts.size()).equals(parts)) {
        return true;
      }
      // on what holds s, other than the USE privileges
      if (granted.size() < parts.size()
          && parts.subList(0, granted.size()).equals(granted)
          && g.privilege() != Privilege.USE_CATALOG
          && g.privilege() != Privilege.USE_SCHEMA) {
        return true;
      }
    }
    return false;
  }

  /** Fails with PERMISSION_DENIED unless the principal may see {@code s}. */
  public void requireVisible(Securable s) {
    if (!canSee(s)) {
      throw GatewayErrorCode.PERMISSION_DENIED.exception(
          "User "
              + principal.name()
              + " has no privilege on "
              + kindName(s)
              + " "
              + s.fullName()
              + " (SELECT, BROWSE or any other) nor on what holds it");
    }
  }

  public boolean canSeeCatalog(String name) {
    return canSee(Securable.catalog(name));
  }

  public boolean canSeeSchema(String catalogName, String schema) {
    return canSee(Securable.schema(catalogName, schema));
  }

  public boolean canSeeTable(TableName name) {
    return canSee(Securable.table(name));
  }

  public List<CatalogInfo> visibleCatalogs(List<CatalogInfo> catalogs) {
    List<CatalogInfo> visible = new ArrayList<>();
    for (CatalogInfo c : catalogs) {
      if (canSeeCatalog(c.name())) {
        visible.add(c);
      }
    }
    return visible;
  }

  public List<SchemaInfo> visibleSchemas(List<SchemaInfo> schemas) {
    List<SchemaInfo> visible = new ArrayList<>();
    for (SchemaInfo s : schemas) {
      if (canSeeSchema(s.catalog(), s.name())) {
        visible.add(s);
      }
    }
    return visible;
  }

  public List<TableInfo> visibleTables(List<TableInfo> tables) {
    List<TableInfo> visible = new ArrayList<>();
    for (TableInfo t : tables) {
      if (canSeeTable(t.name())) {
        visible.add(t);
      }
    }
    return visible;
  }

  private GatewayException denied(Privilege privilege, Securable s) {
    return GatewayErrorCode.PERMISSION_DENIED.exception(
        "User "
            + principal.name()
            + " does not have "
            + privilege.sqlName()
            + " on "
            + (kindName(s) + " " + s.fullName()).trim());
  }

  private String kindName(Securable s) {
    if (s.type() == SecurableType.METASTORE) {
      return "the metastore";
    }
    if (s.type() == SecurableType.TABLE) {
      return catalog
          .getTable(new TableName(s.parts().get(0), s.parts().get(1), s.parts().get(2)))
          .map(t -> t.kind() == io.aquifer.catalog.TableKind.VIEW ? "view" : "table")
          .orElse("table");
    }
    return s.type().name().toLowerCase(Locale.ROOT);
  }
}
