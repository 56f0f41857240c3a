package io.aquifer.rest;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * One static file: its bytes, media type, strong entity tag (answered with 304 to a matching {@code
 * If-None-Match}) and the response headers sent with it ({@code Cache-Control}, {@code
 * Content-Security-Policy}, ...).
 */
public record StaticAsset(
    String contentType, byte[] body, String entityTag, Map<String, String> headers) {
  public StaticAsset {
    requireNonNull(contentType, "contentType");
    requireNonNull(body, "body");
    requireNonNull(entityTag, "entityTag");
    if (!entityTag.startsWith("\"") || !entityTag.endsWith("\"")) {
      throw new IllegalArgumentException("an entity tag is quoted: " + entityTag);
    }
    headers = Map.copyOf(headers);
  }
}
