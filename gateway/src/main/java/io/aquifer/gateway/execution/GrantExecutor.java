package io.aquifer.gateway.execution;

import static io.aquifer.gateway.results.LocalResultStream.stringField;

import io.aquifer.catalog.GrantInfo;
import io.aquifer.catalog.GrantStore;
import io.aquifer.catalog.Privilege;
import io.aquifer.catalog.Securable;
import io.aquifer.catalog.TableInfo;
import io.aquifer.catalog.TableKind;
import io.aquifer.catalog.TableName;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.results.LocalResultStream;
import io.aquifer.gateway.system.SystemCatalog;
import io.aquifer.planner.parse.ParsedStatement;
import io.aquifer.planner.parse.ParsedStatement.GrantObject;
import io.aquifer.planner.parse.ParsedStatement.GrantObjectKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * GRANT, REVOKE and SHOW GRANTS on the metastore, catalogs, schemas, tables, views, functions and
 * volumes. Granting and revoking needs what changing the object needs (owner, MANAGE or admin; on
 * the metastore, admin); SHOW GRANTS needs to see the object (anyone sees the metastore).
 */
final class GrantExecutor {
  /** Databricks' columns for SHOW GRANTS. */
  static final List<Field> SHOW_GRANTS =
      List.of(
          stringField("principal"),
          stringField("ActionType"),
          stringField("ObjectType"),
          stringField("ObjectKey"));

  private GrantExecutor() {}

  /**
   * An object named in GRANT, REVOKE or SHOW GRANTS, found in the catalog; the metastore has no
   * owner.
   */
  private record Target(Securable securable, String objectType, Optional<String> owner) {}

  /**
   * What may be granted on the objects of the read-only {@code system} catalog, as in Databricks
   * (where admins grant its schemas and tables to others): reading, nothing else.
   */
  static final java.util.Set<Privilege> SYSTEM_PRIVILEGES =
      java.util.EnumSet.of(
          Privilege.USE_CATALOG, Privilege.USE_SCHEMA, Privilege.SELECT, Privilege.BROWSE);

  static StatementResult grant(StatementContext ctx, ParsedStatement.Grant s) {
    Target target = resolve(ctx, s.object());
    boolean system = isSystem(target.securable());
    for (Privilege p : s.privileges()) {
      if (system && p.appliesTo(target.securable().type()) && !SYSTEM_PRIVILEGES.contains(p)) {
        throw GatewayErrorCode.PRIVILEGE_NOT_APPLICABLE.exception(
            "Privilege "
                + p.sqlName()
                + " is not applicable to this entity ["
                + target.securable().fullName()
                + ":"
                + target.objectType()
                + "]: the read-only system catalog's objects take "
                + String.join(
                    ", ",
                    SYSTEM_PRIVILEGES.stream()
                        .filter(q -> q.appliesTo(target.securable().type()))
                        .map(Privilege::sqlName)
                        .toList()));
      }
      if (!p.appliesTo(target.securable().type())) {
        throw GatewayErrorCode.PRIVILEGE_NOT_APPLICABLE.exception(
            "Privilege "
                + p.sqlName()
                + " is not applicable to this entity ["
                + (target.securable().type() == io.aquifer.catalog.SecurableType.METASTORE
                    ? "metastore"
                    : target.securable().fullName())
                + ":"
                + target.objectType()
                + "]: a "
                + target.objectType().toLowerCase(Locale.ROOT)
                + " takes "
                + String.join(
                    ", ",
                    java.util.Arrays.stream(Privilege.values())
                        .filter(q -> q.appliesTo(target.securable().type()))
                        .map(Privilege::sqlName)
                        .toList()));
      }
    }
    GrantStore grants = ctx.catalog().grants();
    if (!grants.principalExists(s.principal())) {
      throw GatewayErrorCode.PRINCIPAL_DOES_NOT_EXIST.exception(
          "principal "
              + s.principal()
              + " does not exist: it is not a user, service principal or group, nor `"
              + GrantStore.ACCOUNT_USERS
              + "`");
    }
    String verb = s.revoke() ? "revoke privileges on " : "grant privileges on ";
    ctx.access().requireManage(target.securable(), verb + target.securable());
    java.util.Map<String, String> audit = new java.util.LinkedHashMap<>();
    audit.put("securable_type", target.objectType());
    audit.put("securable_full_name", target.securable().fullName());
    audit.put("principal", s.principal());
    audit.put(
        s.revoke() ? "remove" : "add",
        String.join(", ", s.privileges().stream().map(Privilege::sqlName).toList()));
    ctx.execution().statistics().auditAction("updatePermissions", audit);
    ctx.execution().beginCommit();
    if (s.revoke()) {
      grants.revoke(target.securable(), s.principal(), s.privileges());
    } else {
      grants.grant(
          target.securable(), s.principal(), s.privileges(), ctx.session().principal().name());
    }
    return new StatementResult.UpdateCount(0);
  }

  /**
   * {@code ALTER ... OWNER TO principal}: for the owner (or the owner of what holds the object),
   * principals with MANAGE and admins; the new owner must exist (a user, service principal or
   * group). The old owner keeps only what is granted to it.
   */
  static StatementResult setOwner(StatementContext ctx, ParsedStatement.SetOwner s) {
    Target target = resolve(ctx, s.object());
    requirePrincipal(ctx, s.principal());
    ctx.access().requireManage(target.securable(), "change the owner of " + target.securable());
    if (isSystem(target.securable())) {
      throw GatewayErrorCode.PERMISSION_DENIED.exception(
          "the objects of the read-only system catalog belong to the system: "
              + target.securable().fullName()
              + " cannot change owner");
    }
    java.util.Map<String, String> audit = new java.util.LinkedHashMap<>();
    audit.put("securable_type", target.objectType());
    audit.put("securable_full_name", target.securable().fullName());
    audit.put("owner", s.principal());
    ctx.execution().statistics().auditAction("updateOwner", audit);
    ctx.execution().beginCommit();
    ctx.catalog().setOwner(target.securable(), s.principal());
    return new StatementResult.UpdateCount(0);
  }

  private static void requirePrincipal(StatementContext ctx, String principal) {
    if (!ctx.catalog().grants().principalExists(principal)
        || GrantStore.principalName(principal).equals(GrantStore.ACCOUNT_USERS)) {
      throw GatewayErrorCode.PRINCIPAL_DOES_NOT_EXIST.exception(
          "principal "
              + principal
              + " does not exist: it is not a user, service principal or group");
    }
  }

  /**
   * The grants on the object and those it inherits from its schema and catalog (each row names the
   * object it was granted on), and its owner (ActionType OWN); only those of {@code principal} when
   * one is named.
   */
  static StatementResult show(StatementContext ctx, ParsedStatement.ShowGrants s) {
    Target target = resolve(ctx, s.object());
    ctx.access().requireVisible(target.securable());
    Optional<String> only = s.principal().map(GrantStore::principalName);
    List<List<Object>> rows = new ArrayList<>();
    if (target.owner().isPresent()
        && (only.isEmpty() || only.get().equals(target.owner().get().toLowerCase(Locale.ROOT)))) {
      rows.add(
          List.of(target.owner().get(), "OWN", target.objectType(), target.securable().fullName()));
    }
    List<Securable> chain = new ArrayList<>(target.securable().selfAndAncestors());
    for (Securable level : chain) {
      String objectType =
          level.equals(target.securable()) ? target.objectType() : level.type().name();
      for (GrantInfo g : ctx.catalog().grants().grantsOn(level)) {
        if (only.isPresent() && !only.get().equals(g.principal())) {
          continue;
        }
        rows.add(List.of(g.principal(), g.privilege().sqlName(), objectType, level.fullName()));
      }
    }
    return new StatementResult.Rows(LocalResultStream.of(ctx.allocator(), SHOW_GRANTS, rows));
  }

  /**
   * {@code SHOW GRANTS TO principal}: the grants made to that principal itself (not through its
   * groups), on the objects the caller may see, by object.
   */
  static StatementResult showTo(StatementContext ctx, ParsedStatement.ShowGrantsTo s) {
    requirePrincipalOrAccountUsers(ctx, s.principal());
    String name = GrantStore.principalName(s.principal());
    List<List<Object>> rows = new ArrayList<>();
    for (GrantInfo g : ctx.catalog().grants().grantsTo(name)) {
      if (!g.principal().equals(name) || !ctx.access().canSee(g.securable())) {
        continue;
      }
      rows.add(
          List.of(
              g.principal(),
              g.privilege().sqlName(),
              objectType(ctx, g.securable()),
              g.securable().fullName()));
    }
    return new StatementResult.Rows(LocalResultStream.of(ctx.allocator(), SHOW_GRANTS, rows));
  }

  /** SHOW USERS and SHOW GROUPS: {@code name}; with WITH, also {@code directGroup}. */
  static List<Field> showPrincipalsFields(ParsedStatement.ShowPrincipals s) {
    return s.withMember().isPresent()
        ? List.of(stringField("name"), LocalResultStream.booleanField("directGroup"))
        : List.of(stringField("name"));
  }

  /**
   * {@code SHOW USERS} (users and service principals, as Databricks lists them) and {@code SHOW
   * GROUPS}, by name, matching the pattern ({@code *} any characters, {@code |} alternatives);
   * {@code SHOW GROUPS WITH USER u} lists the groups {@code u} is in, {@code directGroup} telling a
   * direct membership from one through another group. Anyone may list, as over SCIM.
   */
  static StatementResult showPrincipals(StatementContext ctx, ParsedStatement.ShowPrincipals s) {
    Optional<io.aquifer.gateway.WildcardPattern> like =
        s.like().map(io.aquifer.gateway.WildcardPattern::showPattern);
    io.aquifer.catalog.PrincipalStore principals =
        new io.aquifer.catalog.PrincipalStore(ctx.catalog().database());
    io.aquifer.catalog.GroupStore groups =
        new io.aquifer.catalog.GroupStore(ctx.catalog().database());
    List<List<Object>> rows = new ArrayList<>();
    if (s.withMember().isPresent()) {
      String member = s.withMember().get();
      if (principals.getPrincipal(member).isEmpty()) {
        throw GatewayErrorCode.PRINCIPAL_DOES_NOT_EXIST.exception(
            "principal "
                + member
                + " does not exist: it is not a user, service principal or group");
      }
      java.util.Set<String> direct = new java.util.HashSet<>(groups.directGroups(member));
      for (String g : new java.util.TreeSet<>(groups.groupsOf(member))) {
        if (like.map(p -> p.matches(g)).orElse(true)) {
          rows.add(java.util.Arrays.asList(g, direct.contains(g)));
        }
      }
    } else {
      List<io.aquifer.catalog.PrincipalInfo> listed = new ArrayList<>();
      if (s.groups()) {
        listed.addAll(principals.list(io.aquifer.catalog.PrincipalKind.GROUP));
      } else {
        listed.addAll(principals.list(io.aquifer.catalog.PrincipalKind.USER));
        listed.addAll(principals.list(io.aquifer.catalog.PrincipalKind.SERVICE_PRINCIPAL));
      }
      List<String> names = new ArrayList<>();
      for (io.aquifer.catalog.PrincipalInfo p : listed) {
        if (like.map(l -> l.matches(p.name())).orElse(true)) {
          names.add(p.name());
        }
      }
      names.sort(null);
      names.forEach(n -> rows.add(List.of(n)));
    }
    return new StatementResult.Rows(
        LocalResultStream.of(ctx.allocator(), showPrincipalsFields(s), rows));
  }

  private static void requirePrincipalOrAccountUsers(StatementContext ctx, String principal) {
    if (!ctx.catalog().grants().principalExists(principal)) {
      throw GatewayErrorCode.PRINCIPAL_DOES_NOT_EXIST.exception(
          "principal "
              + principal
              + " does not exist: it is not a user, service principal or group, nor `"
              + GrantStore.ACCOUNT_USERS
              + "`");
    }
  }

  private static String objectType(StatementContext ctx, Securable s) {
    if (s.type() != io.aquifer.catalog.SecurableType.TABLE) {
      return s.type().name();
    }
    List<String> p = s.parts();
    return ctx.catalog()
        .getTable(new TableName(p.get(0), p.get(1), p.get(2)))
        .map(t -> t.kind() == TableKind.VIEW ? "VIEW" : "TABLE")
        .orElse("TABLE");
  }

  private static boolean isSystem(Securable s) {
    return s.type() != io.aquifer.catalog.SecurableType.METASTORE
        && SystemCatalog.isSystem(s.parts().get(0));
  }

  /**
   * The catalog {@code system}, one of its schemas or tables: securables without an owner (admins
   * grant them), which are not in the catalog store.
   */
  private static Optional<Target> resolveSystem(StatementContext ctx, GrantObject object) {
    SystemCatalog system = ctx.systemCatalog();
    List<String> name = object.name();
    if (system.schemaNames().isEmpty()) {
      return Optional.empty();
    }
    switch (object.kind()) {
      case CATALOG -> {
        if (!SystemCatalog.isSystem(name.get(0))) {
          return Optional.empty();
        }
        return Optional.of(
            new Target(Securable.catalog(SystemCatalog.NAME), "CATALOG", Optional.empty()));
      }
      case SCHEMA -> {
        String catalog = name.size() == 2 ? name.get(0) : ctx.session().currentCatalog();
        if (!SystemCatalog.isSystem(catalog)) {
          return Optional.empty();
        }
        String schema = name.get(name.size() - 1).toLowerCase(Locale.ROOT);
        if (!system.schemaNames().contains(schema)) {
          throw GatewayErrorCode.SCHEMA_NOT_FOUND.exception(
              "schema " + SystemCatalog.NAME + "." + schema + " does not exist");
        }
        return Optional.of(
            new Target(Securable.schema(SystemCatalog.NAME, schema), "SCHEMA", Optional.empty()));
      }
      case TABLE, VIEW -> {
        TableName table = ctx.tableName(name);
        if (!SystemCatalog.isSystem(table.catalog())) {
          return Optional.empty();
        }
        var found =
            system
                .table(table.schema(), table.table())
                .orElseThrow(
                    () ->
                        GatewayErrorCode.TABLE_OR_VIEW_NOT_FOUND.exception(
                            "table or view " + table + " does not exist"));
        if (object.kind() == GrantObjectKind.VIEW) {
          throw GatewayErrorCode.WRONG_OBJECT_KIND.exception(table + " is a table, not a view");
        }
        return Optional.of(
            new Target(
                Securable.table(new TableName(SystemCatalog.NAME, found.schema(), found.name())),
                "TABLE",
                Optional.empty()));
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  private static Target resolve(StatementContext ctx, GrantObject object) {
    Optional<Target> system = resolveSystem(ctx, object);
    if (system.isPresent()) {
      return system.get();
    }
    List<String> name = object.name();
    return switch (object.kind()) {
      case CATALOG -> {
        String catalog = name.get(0);
        var info =
            ctx.catalog()
                .getCatalog(catalog)
                .orElseThrow(
                    () ->
                        GatewayErrorCode.CATALOG_NOT_FOUND.exception(
                            "catalog " + catalog + " does not exist"));
        yield new Target(Securable.catalog(info.name()), "CATALOG", Optional.of(info.owner()));
      }
      case SCHEMA -> {
        String catalog = name.size() == 2 ? name.get(0) : ctx.session().currentCatalog();
        String schema = name.get(name.size() - 1);
        var info =
            ctx.catalog()
                .getSchema(catalog, schema)
                .orElseThrow(
                    () ->
                        GatewayErrorCode.SCHEMA_NOT_FOUND.exception(
                            "schema " + catalog + "." + schema + " does not exist"));
        yield new Target(
            Securable.schema(info.catalog(), info.name()), "SCHEMA", Optional.of(info.owner()));
      }
      case TABLE, VIEW -> {
        TableName table = ctx.tableName(name);
        TableInfo info =
            ctx.catalog()
                .getTable(table)
                .orElseThrow(
                    () ->
                        GatewayErrorCode.TABLE_OR_VIEW_NOT_FOUND.exception(
                            "table or view " + table + " does not exist"));
        boolean view = info.kind() == TableKind.VIEW;
        if (object.kind() == GrantObjectKind.VIEW && !view) {
          throw GatewayErrorCode.WRONG_OBJECT_KIND.exception(table + " is a table, not a view");
        }
        yield new Target(
            Securable.table(table), view ? "VIEW" : "TABLE", Optional.of(info.owner()));
      }
      case FUNCTION -> {
        TableName function = FunctionExecutor.functionName(ctx, name);
        var info =
            ctx.catalog()
                .functions()
                .get(function)
                .orElseThrow(
                    () ->
                        GatewayErrorCode.ROUTINE_NOT_FOUND.exception(
                            "function " + function + " does not exist"));
        yield new Target(Securable.function(function), "FUNCTION", Optional.of(info.owner()));
      }
      case METASTORE -> new Target(Securable.metastore(), "METASTORE", Optional.empty());
      case VOLUME -> {
        List<String> full = VolumeExecutor.volumeName(ctx, name);
        var info =
            ctx.catalog()
                .volumes()
                .get(full.get(0), full.get(1), full.get(2))
                .filter(
                    v -> ctx.access().canSee(Securable.volume(v.catalog(), v.schema(), v.name())))
                .orElseThrow(
                    () ->
                        GatewayErrorCode.VOLUME_NOT_FOUND.exception(
                            "volume " + String.join(".", full) + " does not exist"));
        yield new Target(
            Securable.volume(info.catalog(), info.schema(), info.name()),
            "VOLUME",
            Optional.of(info.owner()));
      }
    };
  }
}
