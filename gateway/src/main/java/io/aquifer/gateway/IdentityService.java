package io.aquifer.gateway;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.AccessTokenInfo;
import io.aquifer.catalog.AccessTokenStore;
import io.aquifer.catalog.CatalogDatabase;
import io.aquifer.catalog.CreatedAccessToken;
import io.aquifer.catalog.GroupStore;
import io.aquifer.catalog.Principal;
import io.aquifer.catalog.PrincipalInfo;
import io.aquifer.catalog.PrincipalKind;
import io.aquifer.catalog.PrincipalStore;
import io.aquifer.gateway.execution.GatewayErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Principals and personal access tokens for front ends (the SCIM and token REST APIs): who the
 * caller is, listing and creating users, groups and service principals, and a caller's own tokens.
 * Anyone authenticated may list principals, as in a Databricks workspace; creating them and
 * changing memberships is for admins (members of the group {@code admins}). A token is listed and
 * revoked by its owner or an admin; a revoke holds from the next call on.
 */
public final class IdentityService {
  private final PrincipalStore principals;
  private final GroupStore groups;
  private final AccessTokenStore tokens;
  private final Runnable forgetAuthentications;

  IdentityService(
      CatalogDatabase database, AccessTokenStore tokens, Runnable forgetAuthentications) {
    requireNonNull(database, "database");
    this.principals = new PrincipalStore(database);
    this.groups = new GroupStore(database);
    this.tokens = requireNonNull(tokens, "tokens");
    this.forgetAuthentications = requireNonNull(forgetAuthentications, "forgetAuthentications");
  }

  /**
   * A principal with what SCIM shows of it.
   *
   * @param groups the groups it is a direct member of
   * @param members a group's direct members (empty for users and service principals)
   * @param admin whether it is an admin (in {@code admins}, directly or through other groups)
   * @param active false for a deactivated user or service principal (its tokens are refused)
   */
  public record Identity(
      PrincipalInfo info,
      List<String> groups,
      List<PrincipalInfo> members,
      boolean admin,
      boolean active) {
    public Identity {
      requireNonNull(info, "info");
      groups = List.copyOf(groups);
      members = List.copyOf(members);
    }
  }

  /** The caller. */
  public Identity me(Principal caller) {
    return call(
        () ->
            identity(
                principals
                    .getPrincipal(caller.name())
                    .orElseThrow(
                        () ->
                            GatewayErrorCode.PRINCIPAL_DOES_NOT_EXIST.exception(
                                "principal " + caller.name() + " no longer exists"))));
  }

  /** Every principal of one kind, by name, with memberships. */
  public List<Identity> list(Principal caller, PrincipalKind kind) {
    requireNonNull(caller, "caller");
    return call(
        () -> {
          List<Identity> all = new ArrayList<>();
          for (PrincipalInfo info : principals.list(kind)) {
            all.add(identity(info));
          }
          return all;
        });
  }

  /** One principal of one kind by name (a service principal by application id). */
  public Identity get(Principal caller, PrincipalKind kind, String name) {
    requireNonNull(caller, "caller");
    return call(
        () ->
            principals
                .getPrincipal(name)
                .filter(p -> p.kind() == kind)
                .map(this::identity)
                .orElseThrow(
                    () ->
                        GatewayErrorCode.PRINCIPAL_DOES_NOT_EXIST.exception(
                            kindName(kind) + " " + name + " does not exist")));
  }

  /**
   * Creates a user (not an admin); for admins. Audited with {@code clientAddress}, as every
   * creation here.
   */
  public Identity createUser(Principal caller, String name, Optional<String> clientAddress) {
    requireAdmin(caller, "create users");
    return call(
        () ->
            identity(
                groups
                    .from(clientAddress)
                    .createPrincipal(name, PrincipalKind.USER, null, caller.name())));
  }

  /** Creates a service principal named by a new application id; for admins. */
  public Identity createServicePrincipal(
      Principal caller, String displayName, Optional<String> clientAddress) {
    requireAdmin(caller, "create service principals");
    return call(
        () ->
            identity(
                groups
                    .from(clientAddress)
                    .createPrincipal(
                        java.util.UUID.randomUUID().toString(),
                        PrincipalKind.SERVICE_PRINCIPAL,
                        displayName,
                        caller.name())));
  }

  /**
   * Creates a group with these direct members (users, service principals or groups) in one
   * transaction; for admins.
   */
  public Identity createGroup(
      Principal caller, String name, List<String> members, Optional<String> clientAddress) {
    requireAdmin(caller, "create groups");
    return call(
        () -> {
          List<GroupStore.Member> named = new ArrayList<>();
          for (String member : members) {
            boolean group =
                principals
                    .getPrincipal(member)
                    .map(p -> p.kind() == PrincipalKind.GROUP)
                    .orElse(false);
            named.add(new GroupStore.Member(member, group));
          }
          return identity(groups.from(clientAddress).createGroup(name, named, caller.name()));
        });
  }

  /** Adds a member to a group (cycles refused); for admins. */
  public void addMember(
      Principal caller, String group, String member, Optional<String> clientAddress) {
    requireAdmin(caller, "change group memberships");
    call(
        () -> {
          groups.from(clientAddress).addMember(group, member, caller.name());
          return null;
        });
  }

  /**
   * Deletes a user, service principal or group with its tokens, memberships and the grants made to
   * it; for admins. The group admins and its last member cannot be deleted.
   */
  public void delete(
      Principal caller, PrincipalKind kind, String name, Optional<String> clientAddress) {
    requireAdmin(caller, "delete " + kindName(kind) + "s");
    call(
        () -> {
          groups.from(clientAddress).deletePrincipal(name, kind, caller.name());
          return null;
        });
    forgetAuthentications.run(); // its tokens are gone
  }

  /**
   * Replaces a principal's changeable attributes (SCIM PUT, and PATCH of {@code active} or {@code
   * displayName}); for admins. Empty values are left as they are; {@code members} (a group's new
   * full member list) is ignored for users and service principals, {@code active} for groups. A
   * deactivated principal's tokens are refused from the next call on, on every front end.
   */
  public Identity update(
      Principal caller,
      PrincipalKind kind,
      String name,
      Optional<String> displayName,
      Optional<Boolean> active,
      Optional<List<String>> members,
      Optional<String> clientAddress) {
    requireAdmin(caller, "change " + kindName(kind) + "s");
    Identity updated =
        call(
            () -> {
              groups
                  .from(clientAddress)
                  .update(name, kind, displayName, active, members, caller.name());
              return get(caller, kind, name);
            });
    forgetAuthentications.run(); // its tokens may be refused now, or admin rights changed
    return updated;
  }

  /** Removes a direct member from a group; for admins. */
  public void removeMember(
      Principal caller, String group, String member, Optional<String> clientAddress) {
    requireAdmin(caller, "change group memberships");
    call(
        () -> {
          groups.from(clientAddress).removeMember(group, member, caller.name());
          forgetAuthentications.run(); // admin rights may have gone with the membership
          return null;
        });
  }

  /**
   * A new token for the caller, valid for {@code lifetime} (forever when empty).
   *
   * @param clientAddress the IP address of the client that asked, for the audit row
   */
  public CreatedAccessToken createToken(
      Principal caller,
      Optional<String> comment,
      Optional<Duration> lifetime,
      Optional<String> clientAddress) {
    return call(() -> tokens.createToken(caller.name(), comment, lifetime, clientAddress));
  }

  /** The caller's tokens, revoked and expired ones included. */
  public List<AccessTokenInfo> listTokens(Principal caller) {
    return call(() -> tokens.listTokens(caller.name()));
  }

  /**
   * A token for a service principal, made by an admin (Databricks' on-behalf-of tokens): the
   * service principal authenticates with it as itself.
   */
  public CreatedAccessToken createTokenOnBehalfOf(
      Principal caller,
      String applicationId,
      Optional<String> comment,
      Optional<Duration> lifetime,
      Optional<String> clientAddress) {
    requireAdmin(caller, "create tokens on behalf of service principals");
    return call(
        () -> {
          Optional<PrincipalInfo> target = principals.getPrincipal(applicationId);
          if (target.isEmpty() || target.get().kind() != PrincipalKind.SERVICE_PRINCIPAL) {
            throw GatewayErrorCode.RESOURCE_DOES_NOT_EXIST.exception(
                "service principal " + applicationId + " does not exist");
          }
          return tokens.createToken(target.get().name(), comment, lifetime, clientAddress);
        });
  }

  /** Every principal's tokens, revoked and expired ones included; for admins. */
  public List<AccessTokenInfo> listAllTokens(Principal caller) {
    requireAdmin(caller, "list the tokens of all principals");
    return call(tokens::listAllTokens);
  }

  /** One token of any principal; for admins. */
  public AccessTokenInfo token(Principal caller, String tokenId) {
    requireAdmin(caller, "read the tokens of all principals");
    return call(
        () ->
            tokens
                .getToken(tokenId)
                .orElseThrow(
                    () ->
                        GatewayErrorCode.RESOURCE_DOES_NOT_EXIST.exception(
                            "access token " + tokenId + " does not exist")));
  }

  /**
   * Revokes one of the caller's tokens (an admin may revoke anyone's); a token of someone else is
   * answered as not found, so that ids cannot be probed.
   */
  public void revokeToken(Principal caller, String tokenId, Optional<String> clientAddress) {
    call(
        () -> {
          Optional<AccessTokenInfo> token = tokens.getToken(tokenId);
          if (token.isEmpty()
              || !(token.get().principal().equalsIgnoreCase(caller.name())
                  || groups.isAdmin(caller.name()))) {
            throw GatewayErrorCode.RESOURCE_DOES_NOT_EXIST.exception(
                "access token " + tokenId + " does not exist");
          }
          tokens.revokeToken(tokenId, Optional.of(caller.name()), clientAddress);
          forgetAuthentications.run();
          return null;
        });
  }

  private void requireAdmin(Principal caller, String what) {
    if (!call(() -> groups.isAdmin(caller.name()))) {
      // Audited by the front end that was asked (it knows the client's address).
      throw GatewayErrorCode.PERMISSION_DENIED.exception(
          "User " + caller.name() + " may not " + what + ": only admins may");
    }
  }

  private Identity identity(PrincipalInfo info) {
    List<PrincipalInfo> members =
        info.kind() == PrincipalKind.GROUP ? groups.members(info.name()) : List.of();
    return new Identity(
        info,
        groups.directGroups(info.name()),
        members,
        info.kind() != PrincipalKind.GROUP && groups.isAdmin(info.name()),
        groups.isActive(info.name()));
  }

  private static String kindName(PrincipalKind kind) {
    return switch (kind) {
      case USER -> "user";
      case SERVICE_PRINCIPAL -> "service principal";
      case GROUP -> "group";
    };
  }

  private static <T> T call(Supplier<T> action) {
    try {
      return action.get();
    } catch (GatewayException e) {
      throw e;
    } catch (RuntimeException e) {
      throw GatewayErrors.translate(e);
    }
  }
}
