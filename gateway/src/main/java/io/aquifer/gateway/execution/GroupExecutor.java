package io.aquifer.gateway.execution;

import io.aquifer.catalog.GroupStore;
import io.aquifer.catalog.PrincipalInfo;
import io.aquifer.catalog.PrincipalKind;
import io.aquifer.catalog.PrincipalStore;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.StatementResult;
import io.aquifer.planner.parse.ParsedStatement;
import java.util.List;
import java.util.Optional;

/**
 * {@code CREATE GROUP}, {@code ALTER GROUP ... ADD | DROP} and {@code DROP GROUP}, as Databricks
 * writes them: for admins only; the members must exist and be named by their kind (USER for users
 * and service principals, GROUP for groups). Each statement is one catalog transaction, so a failed
 * one changes nothing. Privileges follow the new memberships from the next statement on.
 */
final class GroupExecutor {
  private GroupExecutor() {}

  static StatementResult create(StatementContext ctx, ParsedStatement.CreateGroup s) {
    requireAdmin(ctx, "create group " + s.name());
    PrincipalStore principals = new PrincipalStore(ctx.catalog().database());
    Optional<PrincipalInfo> existing = principals.getPrincipal(s.name());
    if (existing.isPresent()) {
      throw GatewayErrorCode.PRINCIPAL_ALREADY_EXISTS.exception(
          "cannot create group "
              + existing.get().name()
              + ": a "
              + kindName(existing.get().kind())
              + " with that name already exists");
    }
    requireMembers(principals, s.members());
    ctx.execution().beginCommit();
    new GroupStore(ctx.catalog().database())
        .from(ctx.session().clientAddress())
        .createGroup(s.name(), members(s.members()), ctx.session().principal().name());
    return new StatementResult.UpdateCount(0);
  }

  static StatementResult alter(StatementContext ctx, ParsedStatement.AlterGroup s) {
    requireAdmin(ctx, "alter group " + s.name());
    PrincipalStore principals = new PrincipalStore(ctx.catalog().database());
    requireGroup(principals, s.name());
    requireMembers(principals, s.members());
    ctx.execution().beginCommit();
    new GroupStore(ctx.catalog().database())
        .from(ctx.session().clientAddress())
        .changeMembers(s.name(), s.add(), members(s.members()), ctx.session().principal().name());
    return new StatementResult.UpdateCount(0);
  }

  static StatementResult drop(StatementContext ctx, ParsedStatement.DropGroup s) {
    requireAdmin(ctx, "drop group " + s.name());
    requireGroup(new PrincipalStore(ctx.catalog().database()), s.name());
    ctx.execution().beginCommit();
    new GroupStore(ctx.catalog().database())
        .from(ctx.session().clientAddress())
        .deletePrincipal(s.name(), PrincipalKind.GROUP, ctx.session().principal().name());
    return new StatementResult.UpdateCount(0);
  }

  private static void requireAdmin(StatementContext ctx, String operation) {
    if (!ctx.access().isAdmin()) {
      throw GatewayErrorCode.PERMISSION_DENIED.exception(
          "User "
              + ctx.session().principal().name()
              + " may not "
              + operation
              + ": only admins may manage groups");
    }
  }

  private static void requireGroup(PrincipalStore principals, String name) {
    Optional<PrincipalInfo> found = principals.getPrincipal(name);
    if (found.isEmpty() || found.get().kind() != PrincipalKind.GROUP) {
      throw GatewayErrorCode.PRINCIPAL_DOES_NOT_EXIST.exception(
          "group "
              + name
              + " does not exist"
              + found.map(p -> " (" + p.name() + " is a " + kindName(p.kind()) + ")").orElse(""));
    }
  }

  private static void requireMembers(
      PrincipalStore principals, List<ParsedStatement.GroupMember> members) {
    for (ParsedStatement.GroupMember m : members) {
      Optional<PrincipalInfo> found = principals.getPrincipal(m.name());
      boolean isGroup = found.map(p -> p.kind() == PrincipalKind.GROUP).orElse(false);
      if (found.isEmpty() || isGroup != m.group()) {
        throw GatewayErrorCode.PRINCIPAL_DOES_NOT_EXIST.exception(
            (m.group() ? "group " : "user ")
                + m.name()
                + " does not exist"
                + found
                    .map(
                        p ->
                            " ("
                                + p.name()
                                + " is a "
                                + kindName(p.kind())
                                + ": name it with "
                                + (isGroup ? "GROUP" : "USER")
                                + ")")
                    .orElse(""));
      }
    }
  }

  private static List<GroupStore.Member> members(List<ParsedStatement.GroupMember> members) {
    return members.stream().map(m -> new GroupStore.Member(m.name(), m.group())).toList();
  }

  private static String kindName(PrincipalKind kind) {
    return switch (kind) {
      case USER -> "user";
      case SERVICE_PRINCIPAL -> "service principal";
      case GROUP -> "group";
    };
  }
}
