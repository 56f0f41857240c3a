package io.aquifer.rest;

import io.aquifer.catalog.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SCIM 2.0 {@code /api/2.0/preview/scim/v2/Me}: the caller, as a SCIM user. */
final class CurrentUserApi {
  private CurrentUserApi() {}

  static Map<String, Object> me(RestCall call) {
    Principal p = call.principal();
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"));
    user.put("id", p.name());
    user.put("userName", p.name());
    user.put("displayName", p.name());
    user.put("active", true);
    List<Map<String, Object>> groups = new ArrayList<>();
    if (p.admin()) {
      groups.add(Map.of("display", "admins", "value", "admins", "type", "direct"));
    }
    user.put("groups", groups);
    return user;
  }
}
