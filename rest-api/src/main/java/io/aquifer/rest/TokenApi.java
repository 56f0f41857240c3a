package io.aquifer.rest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.aquifer.catalog.AccessTokenInfo;
import io.aquifer.catalog.CreatedAccessToken;
import io.aquifer.gateway.StatementService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Token API 2.0 as the Databricks SDK calls it: {@code POST /api/2.0/token/create} (a new token
 * for the caller, {@code lifetime_seconds} optional), {@code GET /api/2.0/token/list} (the caller's
 * tokens that still work) and {@code POST /api/2.0/token/delete} (revoke by {@code token_id}).
 * Times are epoch milliseconds, {@code expiry_time} -1 for a token that does not expire.
 */
final class TokenApi {
  static final String CREATE = "/api/2.0/token/create";
  static final String LIST = "/api/2.0/token/list";
  static final String DELETE = "/api/2.0/token/delete";
  static final String ON_BEHALF_OF = "/api/2.0/token-management/on-behalf-of/tokens";
  static final String MANAGED = "/api/2.0/token-management/tokens";

  private final StatementService service;

  TokenApi(StatementService service) {
    this.service = requireNonNull(service, "service");
  }

  Map<String, Object> create(RestCall call) {
    JsonNode body = call.json();
    CreatedAccessToken token =
        service
            .identities()
            .createToken(
                call.principal(),
                RestCall.text(body, "comment"),
                lifetime(body),
                call.clientAddress());
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("token_value", token.token());
    answer.put("token_info", info(token.info()));
    return answer;
  }

  // ---- Token Management API (admins) ----

  /** {@code POST /api/2.0/token-management/on-behalf-of/tokens}: a service principal's token. */
  Map<String, Object> createOnBehalfOf(RestCall call) {
    JsonNode body = call.json();
    String applicationId =
        RestCall.text(body, "application_id")
            .orElseThrow(
                () -> DatabricksApiException.invalidParameter("application_id is required"));
    CreatedAccessToken token =
        service
            .identities()
            .createTokenOnBehalfOf(
                call.principal(),
                applicationId,
                RestCall.text(body, "comment"),
                lifetime(body),
                call.clientAddress());
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("token_value", token.token());
    answer.put("token_info", info(token.info()));
    return answer;
  }

  /** {@code GET /api/2.0/token-management/tokens}: every principal's working tokens. */
  Map<String, Object> listAll(RestCall call) {
    Optional<String> owner = call.queryParameter("created_by_username");
    Instant now = Instant.now();
    List<Map<String, Object>> infos = new ArrayList<>();
    for (AccessTokenInfo t : service.identities().listAllTokens(call.principal())) {
      if (t.isValidAt(now) && owner.map(o -> o.equalsIgnoreCase(t.principal())).orElse(true)) {
        infos.add(info(t));
      }
    }
    return Map.of("token_infos", infos);
  }

  /** {@code GET /api/2.0/token-management/tokens/{id}}. */
  Map<String, Object> get(RestCall call, String tokenId) {
    return Map.of("token_info", info(service.identities().token(call.principal(), tokenId)));
  }

  /** {@code DELETE /api/2.0/token-management/tokens/{id}}: revokes any principal's token. */
  Map<String, Object> deleteManaged(RestCall call, String tokenId) {
    service.identities().token(call.principal(), tokenId);
    service.identities().revokeToken(call.principal(), tokenId, call.clientAddress());
    return Map.of();
  }

  private static Optional<Duration> lifetime(JsonNode body) {
    return RestCall.number(body, "lifetime_seconds")
        .filter(seconds -> seconds != 0)
        .map(
            seconds -> {
              if (seconds < 0) {
                throw DatabricksApiException.invalidParameter(
                    "lifetime_seconds must be positive (or absent for no expiry): " + seconds);
              }
              return Duration.ofSeconds(seconds);
            });
  }

  Map<String, Object> list(RestCall call) {
    Instant now = Instant.now();
    List<Map<String, Object>> infos = new ArrayList<>();
    for (AccessTokenInfo t : service.identities().listTokens(call.principal())) {
      if (t.isValidAt(now)) {
        infos.add(info(t));
      }
    }
    return Map.of("token_infos", infos);
  }

  Map<String, Object> delete(RestCall call) {
    String id =
        RestCall.text(call.json(), "token_id")
            .orElseThrow(() -> DatabricksApiException.invalidParameter("token_id is required"));
    service.identities().revokeToken(call.principal(), id, call.clientAddress());
    return Map.of();
  }

  private static Map<String, Object> info(AccessTokenInfo t) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("token_id", t.id());
    info.put("creation_time", t.createdAt().toEpochMilli());
    info.put("expiry_time", t.expiresAt().map(Instant::toEpochMilli).orElse(-1L));
    info.put("comment", t.comment().orElse(""));
    info.put("created_by_username", t.principal());
    return info;
  }
}
