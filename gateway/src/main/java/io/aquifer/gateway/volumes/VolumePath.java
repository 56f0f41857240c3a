package io.aquifer.gateway.volumes;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.CatalogException;
import io.aquifer.catalog.ObjectNames;
import io.aquifer.catalog.VolumeStore;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.GatewayException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A path in a volume, {@code /Volumes/<catalog>/<schema>/<volume>/<relative>}, checked part by
 * part: no URL scheme, no {@code .} or {@code ..} parts, no empty parts (a trailing {@code /} is
 * allowed), no backslash or control character.
 *
 * @param relative the path inside the volume, parts separated by {@code /}; empty for its root
 */
public record VolumePath(String catalog, String schema, String volume, String relative) {
  public static final String PREFIX = "/Volumes/";

  public VolumePath {
    requireNonNull(catalog, "catalog");
    requireNonNull(schema, "schema");
    requireNonNull(volume, "volume");
    requireNonNull(relative, "relative");
  }

  /** Whether {@code text} is meant as a volume path (starts with {@code /Volumes/}). */
  public static boolean isVolumePath(String text) {
    return text.startsWith(PREFIX) || text.equals("/Volumes");
  }

  /**
   * Parses a path as written in SQL or sent to the Files API (already percent-decoded).
   *
   * @throws GatewayException INVALID_VOLUME_PATH
   */
  public static VolumePath parse(String text) {
    requireNonNull(text, "text");
    if (text.matches("(?s)^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
      throw invalid(
          text,
          "URL schemes ("
              + text.substring(0, text.indexOf(':') + 1)
              + ") are not supported; write /Volumes/<catalog>/<schema>/<volume>/...");
    }
    if (!text.startsWith(PREFIX)) {
      throw invalid(text, "a path must start with /Volumes/<catalog>/<schema>/<volume>");
    }
    String rest = text.substring(PREFIX.length());
    if (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    List<String> parts = rest.isEmpty() ? List.of() : Arrays.asList(rest.split("/", -1));
    for (String part : parts) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw invalid(text, "'" + part + "' parts are not allowed");
      }
      for (int i = 0; i < part.length(); i++) {
        char c = part.charAt(i);
        if (c < 0x20 || c == 0x7f || c == '\\') {
          throw invalid(text, "control characters and backslashes are not allowed");
        }
      }
    }
    if (parts.size() < 3) {
      throw invalid(text, "a path must name a volume: /Volumes/<catalog>/<schema>/<volume>/...");
    }
    try {
      return new VolumePath(
          ObjectNames.normalize("catalog", parts.get(0)),
          ObjectNames.normalize("schema", parts.get(1)),
          VolumeStore.normalizeName(parts.get(2)),
          String.join("/", new ArrayList<>(parts.subList(3, parts.size()))));
    } catch (CatalogException e) {
      throw invalid(text, e.getMessage());
    }
  }

  /** The path of a file or directory inside this path's volume, as users write it. */
  public String volumeRoot() {
    return PREFIX + catalog + "/" + schema + "/" + volume;
  }

  /** {@code /Volumes/c/s/v/relative}. */
  public String full() {
    return relative.isEmpty() ? volumeRoot() : volumeRoot() + "/" + relative;
  }

  private static GatewayException invalid(String text, String why) {
    return GatewayErrorCode.INVALID_VOLUME_PATH.exception(
        "the path '" + text + "' is not valid: " + why);
  }
}
