package io.aquifer.rest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquifer.catalog.Principal;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * One authenticated REST call: its principal, path parameters, query parameters and body.
 *
 * @param baseUrl scheme, host and port the client called, for links back to this server
 */
record RestCall(
    Principal principal,
    String baseUrl,
    Map<String, String> query,
    byte[] body,
    Map<String, String> headers,
    Optional<String> clientAddress) {
  private static final ObjectMapper JSON = new ObjectMapper();

  RestCall {
    requireNonNull(principal, "principal");
    requireNonNull(baseUrl, "baseUrl");
    query = Map.copyOf(query);
    requireNonNull(body, "body");
    headers = Map.copyOf(headers);
    requireNonNull(clientAddress, "clientAddress");
  }

  /** The body as a JSON object; an empty body is an empty object. */
  JsonNode json() {
    if (body.length == 0) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode node = JSON.readTree(body);
      if (node == null || !node.isObject()) {
        throw DatabricksApiException.malformedRequest("the request body must be a JSON object");
      }
      return node;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw DatabricksApiException.malformedRequest(
          "Invalid JSON given in the body of the request: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw DatabricksApiException.malformedRequest("cannot read the request body");
    }
  }

  Optional<String> queryParameter(String name) {
    return Optional.ofNullable(query.get(name)).filter(v -> !v.isEmpty());
  }

  /** A query parameter the call cannot do without: 400 INVALID_PARAMETER_VALUE when missing. */
  String requiredQueryParameter(String name) {
    return queryParameter(name)
        .orElseThrow(() -> DatabricksApiException.invalidParameter(name + " is required"));
  }

  /** A string field of the body, absent when missing or null. */
  static Optional<String> text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isValueNode()) {
      throw DatabricksApiException.malformedRequest(
          "Invalid value for field '" + field + "': expected a string");
    }
    return Optional.of(v.asText());
  }

  /** A whole-number field of the body. */
  static Optional<Long> number(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (v.isIntegralNumber()) {
      return Optional.of(v.asLong());
    }
    if (v.isTextual()) {
      try {
        return Optional.of(Long.parseLong(v.asText().trim()));
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw DatabricksApiException.malformedRequest(
        "Invalid value for field '" + field + "': expected a whole number");
  }
}
