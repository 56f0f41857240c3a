package io.aquifer.rest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.aquifer.catalog.PrincipalInfo;
import io.aquifer.catalog.PrincipalKind;
import io.aquifer.gateway.IdentityService;
import io.aquifer.gateway.IdentityService.Identity;
import io.aquifer.gateway.StatementService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SCIM 2.0 as Databricks serves it under {@code /api/2.0/preview/scim/v2}: {@code Me}, and list,
 * get, create, replace (PUT) and delete of {@code Users}, {@code Groups} and {@code
 * ServicePrincipals}, and patch of a group's members and of whether a user or service principal is
 * active, in Databricks' JSON shapes (what the Databricks SDK reads). A principal's SCIM id is its
 * name (a service principal's: its application id). Lists page by {@code startIndex} (1-based) and
 * {@code count}, and take a {@code filter} of the form {@code attribute eq "value"}. The logic is
 * the gateway's {@link IdentityService}.
 */
final class ScimApi {
  static final String PREFIX = "/api/2.0/preview/scim/v2";
  private static final String LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
  private static final Pattern FILTER =
      Pattern.compile("\\s*(\\w+)\\s+eq\\s+\"([^\"]*)\"\\s*", Pattern.CASE_INSENSITIVE);

  private final StatementService service;

  ScimApi(StatementService service) {
    this.service = requireNonNull(service, "service");
  }

  private IdentityService identities() {
    return service.identities();
  }

  /** The resource type of a path segment: Users, Groups or ServicePrincipals. */
  static Optional<PrincipalKind> kind(String resource) {
    return switch (resource) {
      case "Users" -> Optional.of(PrincipalKind.USER);
      case "Groups" -> Optional.of(PrincipalKind.GROUP);
      case "ServicePrincipals" -> Optional.of(PrincipalKind.SERVICE_PRINCIPAL);
      default -> Optional.empty();
    };
  }

  /**
   * The caller as a SCIM user (a service principal too, its user name being its application id).
   */
  Map<String, Object> me(RestCall call) {
    Map<String, Object> me = resource(identities().me(call.principal()));
    me.putIfAbsent("userName", me.get("id"));
    return me;
  }

  Map<String, Object> list(RestCall call, PrincipalKind kind) {
    List<Identity> all = identities().list(call.principal(), kind);
    Optional<String> filter = call.queryParameter("filter");
    if (filter.isPresent()) {
      Matcher m = FILTER.matcher(filter.get());
      if (!m.matches()) {
        throw DatabricksApiException.invalidParameter(
            "filter '" + filter.get() + "' is not supported; write attribute eq \"value\"");
      }
      String attribute = m.group(1);
      String value = m.group(2);
      List<Identity> kept = new ArrayList<>();
      for (Identity i : all) {
        Object actual = resource(i).get(attribute);
        if (actual != null && actual.toString().equalsIgnoreCase(value)) {
          kept.add(i);
        }
      }
      all = kept;
    }
    long start = number(call, "startIndex", 1);
    long count = number(call, "count", 10_000);
    int from = (int) Math.min(all.size(), Math.max(0, start - 1));
    int to = (int) Math.min(all.size(), from + Math.max(0, count));
    List<Map<String, Object>> page = new ArrayList<>();
    for (Identity i : all.subList(from, to)) {
      page.add(resource(i));
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("schemas", List.of(LIST_SCHEMA));
    answer.put("totalResults", all.size());
    answer.put("startIndex", from + 1);
    answer.put("itemsPerPage", page.size());
    answer.put("Resources", page);
    return answer;
  }

  Map<String, Object> get(RestCall call, PrincipalKind kind, String id) {
    return resource(identities().get(call.principal(), kind, id));
  }

  Map<String, Object> create(RestCall call, PrincipalKind kind) {
    JsonNode body = call.json();
    Identity created =
        switch (kind) {
          case USER ->
              identities()
                  .createUser(
                      call.principal(),
                      RestCall.text(body, "userName")
                          .orElseThrow(
                              () ->
                                  DatabricksApiException.invalidParameter("userName is required")),
                      call.clientAddress());
          case SERVICE_PRINCIPAL ->
              identities()
                  .createServicePrincipal(
                      call.principal(),
                      RestCall.text(body, "displayName")
                          .orElseThrow(
                              () ->
                                  DatabricksApiException.invalidParameter(
                                      "displayName is required")),
                      call.clientAddress());
          case GROUP -> {
            List<String> members = new ArrayList<>();
            JsonNode m = body.get("members");
            if (m != null && m.isArray()) {
              for (JsonNode member : m) {
                RestCall.text(member, "value").ifPresent(members::add);
              }
            }
            yield identities()
                .createGroup(
                    call.principal(),
                    RestCall.text(body, "displayName")
                        .orElseThrow(
                            () ->
                                DatabricksApiException.invalidParameter("displayName is required")),
                    members,
                    call.clientAddress());
          }
        };
    return resource(created);
  }

  private static final Pattern MEMBER_PATH =
      Pattern.compile("members\\[\\s*value\\s+eq\\s+\"([^\"]*)\"\\s*\\]", Pattern.CASE_INSENSITIVE);

  /**
   * {@code PUT}: replaces the principal's changeable attributes with those of the body, for admins.
   * A user's or service principal's {@code active} (absent: true, as SCIM's default) and {@code
   * displayName}; a group's {@code displayName} and {@code members} (absent: none). The name (a
   * user's {@code userName}, a service principal's {@code applicationId}) cannot change: a
   * different one is 400 INVALID_PARAMETER_VALUE. Memberships of users and service principals
   * ({@code groups}) are changed through their groups, as in Databricks, and are not touched here.
   */
  Map<String, Object> replace(RestCall call, PrincipalKind kind, String id) {
    JsonNode body = call.json();
    String nameAttribute =
        switch (kind) {
          case USER -> "userName";
          case SERVICE_PRINCIPAL -> "applicationId";
          case GROUP -> "displayName";
        };
    Optional<String> named = RestCall.text(body, nameAttribute);
    if (named.isPresent() && !named.get().equalsIgnoreCase(id)) {
      throw DatabricksApiException.invalidParameter(
          nameAttribute + " cannot be changed (from " + id + " to " + named.get() + ")");
    }
    identities().get(call.principal(), kind, id); // 404 for an unknown id
    Optional<String> displayName =
        kind == PrincipalKind.GROUP ? Optional.empty() : RestCall.text(body, "displayName");
    Optional<Boolean> active =
        kind == PrincipalKind.GROUP
            ? Optional.empty()
            : Optional.of(body.has("active") ? active(body.get("active")) : true);
    Optional<List<String>> members =
        kind == PrincipalKind.GROUP
            ? Optional.of(memberIds(body.get("members")))
            : Optional.empty();
    return resource(
        identities()
            .update(
                call.principal(), kind, id, displayName, active, members, call.clientAddress()));
  }

  /** SCIM's boolean as clients send it: true, "true", or [{"value": "true"}]. */
  private static boolean active(JsonNode value) {
    JsonNode v = value;
    if (v != null && v.isArray() && v.size() == 1) {
      v = v.get(0).has("value") ? v.get(0).get("value") : v.get(0);
    }
    if (v != null && v.isBoolean()) {
      return v.booleanValue();
    }
    if (v != null && v.isTextual()) {
      String text = v.textValue().trim().toLowerCase(Locale.ROOT);
      if (text.equals("true") || text.equals("false")) {
        return text.equals("true");
      }
    }
    throw DatabricksApiException.invalidParameter(
        "active must be true or false, not " + (value == null ? "null" : value.toString()));
  }

  private static List<String> memberIds(JsonNode members) {
    List<String> ids = new ArrayList<>();
    if (members != null && members.isArray()) {
      for (JsonNode member : members) {
        RestCall.text(member, "value").ifPresent(ids::add);
      }
    }
    return ids;
  }

  /**
   * {@code PATCH} with SCIM's PatchOp: a group's members are added ({@code op: add, path: members,
   * value: [{value: id}, ...]}), removed ({@code op: remove, path: members[value eq "id"]}, or
   * {@code path: members} with a value list) or replaced ({@code op: replace, path: members}); a
   * user or service principal is deactivated or reactivated ({@code op: replace, path: active,
   * value: false}, also written {@code [{value: "false"}]} or without a path as {@code value:
   * {active: false}}). The operations apply in order; the first that fails stops the rest. Other
   * attributes (names, entitlements) cannot be changed: 400 INVALID_PARAMETER_VALUE.
   */
  void patch(RestCall call, PrincipalKind kind, String id) {
    JsonNode body = call.json();
    JsonNode operations = body.get("Operations");
    if (operations == null || !operations.isArray() || operations.isEmpty()) {
      throw DatabricksApiException.invalidParameter("Operations is required (a non-empty list)");
    }
    identities().get(call.principal(), kind, id); // 404 for an unknown id
    for (JsonNode operation : operations) {
      String op = RestCall.text(operation, "op").orElse("").toLowerCase(Locale.ROOT);
      String path = RestCall.text(operation, "path").orElse("");
      JsonNode value = operation.get("value");
      if (path.isEmpty() && value != null && value.isObject() && value.has("members")) {
        path = "members";
        value = value.get("members");
      }
      if (path.isEmpty() && value != null && value.isObject() && value.has("active")) {
        path = "active";
        value = value.get("active");
      }
      if (path.equalsIgnoreCase("active")
          && kind != PrincipalKind.GROUP
          && (op.equals("replace") || op.equals("add"))) {
        identities()
            .update(
                call.principal(),
                kind,
                id,
                Optional.empty(),
                Optional.of(active(value)),
                Optional.empty(),
                call.clientAddress());
        continue;
      }
      Matcher one = MEMBER_PATH.matcher(path);
      if (kind != PrincipalKind.GROUP || !(path.equalsIgnoreCase("members") || one.matches())) {
        throw DatabricksApiException.invalidParameter(
            "PATCH of "
                + (path.isEmpty() ? "this resource" : "'" + path + "'")
                + " is not supported; Aquifer changes the members of groups and whether users"
                + " and service principals are active");
      }
      List<String> named = new ArrayList<>();
      if (one.matches()) {
        named.add(one.group(1));
      } else if (value != null && value.isArray()) {
        for (JsonNode member : value) {
          RestCall.text(member, "value").ifPresent(named::add);
        }
      }
      switch (op) {
        case "add" -> {
          for (String member : named) {
            identities().addMember(call.principal(), id, member, call.clientAddress());
          }
        }
        case "remove" -> {
          for (String member : named) {
            identities().removeMember(call.principal(), id, member, call.clientAddress());
          }
        }
        case "replace" -> {
          List<String> current = new ArrayList<>();
          for (PrincipalInfo m : identities().get(call.principal(), kind, id).members()) {
            current.add(m.name());
          }
          for (String member : named) {
            if (current.stream().noneMatch(member::equalsIgnoreCase)) {
              identities().addMember(call.principal(), id, member, call.clientAddress());
            }
          }
          for (String member : current) {
            if (named.stream().noneMatch(member::equalsIgnoreCase)) {
              identities().removeMember(call.principal(), id, member, call.clientAddress());
            }
          }
        }
        default ->
            throw DatabricksApiException.invalidParameter(
                "op '" + op + "' is not one of add, remove, replace");
      }
    }
  }

  /** {@code DELETE}: the principal, its tokens, memberships and grants go; for admins. */
  void delete(RestCall call, PrincipalKind kind, String id) {
    identities().delete(call.principal(), kind, id, call.clientAddress());
  }

  /** One principal in Databricks' SCIM shape. */
  static Map<String, Object> resource(Identity identity) {
    PrincipalInfo info = identity.info();
    Map<String, Object> r = new LinkedHashMap<>();
    List<Map<String, Object>> groups = new ArrayList<>();
    for (String g : identity.groups()) {
      groups.add(reference(g, g, "Groups"));
    }
    switch (info.kind()) {
      case USER -> {
        r.put("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"));
        r.put("id", info.name());
        r.put("userName", info.name());
        r.put("displayName", info.displayNameOrName());
        r.put("active", identity.active());
        if (info.name().contains("@")) {
          r.put("emails", List.of(Map.of("value", info.name(), "type", "work", "primary", true)));
        }
        r.put("groups", groups);
      }
      case SERVICE_PRINCIPAL -> {
        r.put("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal"));
        r.put("id", info.name());
        r.put("applicationId", info.name());
        r.put("displayName", info.displayNameOrName());
        r.put("active", identity.active());
        r.put("groups", groups);
      }
      case GROUP -> {
        r.put("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:Group"));
        r.put("id", info.name());
        r.put("displayName", info.displayNameOrName());
        List<Map<String, Object>> members = new ArrayList<>();
        for (PrincipalInfo m : identity.members()) {
          members.add(reference(m.name(), m.displayNameOrName(), resourceType(m.kind())));
        }
        r.put("members", members);
        r.put("groups", groups);
      }
    }
    return r;
  }

  private static Map<String, Object> reference(String id, String display, String resourceType) {
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("display", display);
    ref.put("value", id);
    ref.put("$ref", resourceType + "/" + id);
    return ref;
  }

  private static String resourceType(PrincipalKind kind) {
    return switch (kind) {
      case USER -> "Users";
      case GROUP -> "Groups";
      case SERVICE_PRINCIPAL -> "ServicePrincipals";
    };
  }

  private static long number(RestCall call, String name, long fallback) {
    Optional<String> v = call.queryParameter(name);
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      return Long.parseLong(v.get().trim());
    } catch (NumberFormatException e) {
      throw DatabricksApiException.invalidParameter(
          name + " must be a whole number, not '" + v.get().toLowerCase(Locale.ROOT) + "'");
    }
  }
}
