package io.aquifer.gateway.execution;

import static java.util.Objects.requireNonNull;

import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.GatewayException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The directories external tables ({@code CREATE TABLE ... LOCATION '...'}) may live in: the same
 * directories the warehouse nodes' engine is allowed to read. A LOCATION anywhere else, or inside
 * the managed warehouse directory, is refused before anything is registered.
 *
 * @param roots absolute, normalized directories
 */
public record ExternalLocations(List<Path> roots) {
  /** Below the data directory when no external locations are configured. */
  public static final String DEFAULT_DIRECTORY = "external";

  public ExternalLocations {
    roots =
        requireNonNull(roots, "roots").stream().map(p -> p.toAbsolutePath().normalize()).toList();
  }

  public static ExternalLocations defaults(Path dataDirectory) {
    return new ExternalLocations(List.of(dataDirectory.resolve(DEFAULT_DIRECTORY)));
  }

  /**
   * The table directory a LOCATION names, as a URI, after checking that it is a local absolute path
   * (or {@code file:} URI) inside one of the roots and outside {@code managedRoot}. Symbolic links
   * are resolved first, so a link cannot lead outside.
   *
   * @throws GatewayException INVALID_ARGUMENT for a malformed location, PERMISSION_DENIED for one
   *     outside the allowed directories
   */
  public URI resolve(String location, Path managedRoot) {
    Path path = parse(location);
    Path real = realPath(path);
    Path managed = realPath(managedRoot.toAbsolutePath().normalize());
    if (real.startsWith(managed)) {
      throw notAllowed(location, "it is inside the managed warehouse directory " + managedRoot);
    }
    for (Path root : roots) {
      Path realRoot = realPath(root);
      if (real.startsWith(realRoot) && !real.equals(realRoot)) {
        return real.toUri();
      }
    }
    throw notAllowed(
        location,
        "it is not below an external location the server allows ("
            + describeRoots()
            + "); add the directory to the server setting external-locations");
  }

  private String describeRoots() {
    return roots.isEmpty()
        ? "none configured"
        : String.join(", ", roots.stream().map(Path::toString).toList());
  }

  private static Path parse(String location) {
    String text = location.strip();
    Optional<Path> path = Optional.empty();
    try {
      if (text.regionMatches(true, 0, "file:", 0, 5)) {
        URI uri = URI.create(text);
        if (uri.getAuthority() != null && !uri.getAuthority().isEmpty()) {
          throw invalid(location, "a file: URI must not name a host");
        }
        path = Optional.of(Path.of(uri));
      } else if (text.matches("(?i)^[a-z][a-z0-9+.-]*://.*")) {
        throw invalid(
            location,
            "scheme "
                + text.substring(0, text.indexOf(':')).toLowerCase(Locale.ROOT)
                + " is not supported; external tables are local directories");
      } else if (text.startsWith("/")) {
        path = Optional.of(Path.of(text));
      }
    } catch (IllegalArgumentException e) { // includes InvalidPathException
      throw invalid(location, "not a valid path: " + e.getMessage());
    }
    return path.orElseThrow(() -> invalid(location, "the path must be absolute"))
        .toAbsolutePath()
        .normalize();
  }

  /** The path with symbolic links resolved as far as it exists. */
  private static Path realPath(Path path) {
    Path existing = path;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return path;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(path)).normalize();
    } catch (IOException e) {
      return path;
    }
  }

  private static GatewayException invalid(String location, String why) {
    return GatewayErrorCode.INVALID_LOCATION.exception(
        "LOCATION '" + location + "' is not valid: " + why);
  }

  private static GatewayException notAllowed(String location, String why) {
    return GatewayErrorCode.LOCATION_NOT_ALLOWED.exception(
        "LOCATION '" + location + "' is not allowed: " + why);
  }
}
