package io.aquifer.storage.delta;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where a table lives, in the forms Kernel and the Delta log need: the URI a caller gave, the path
 * string handed to Kernel ({@code file:/tmp/t}, no trailing slash) and the root URI (with a
 * trailing slash) that data file paths in the log are relative to.
 */
record TableLocation(URI uri, String kernelPath, URI root) {
  TableLocation {
    requireNonNull(uri, "uri");
    requireNonNull(kernelPath, "kernelPath");
    requireNonNull(root, "root");
  }

  /** Accepts {@code file:/x}, {@code file:///x}, {@code s3://bucket/x} and a bare absolute path. */
  static TableLocation of(URI location) {
    requireNonNull(location, "location");
    URI uri = location.normalize();
    if (uri.getScheme() == null) {
      if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
        throw new IllegalArgumentException("table location must be an absolute URI: " + location);
      }
      uri = URI.create("file:" + uri.getRawPath());
    }
    if (uri.isOpaque()) {
      throw new IllegalArgumentException("table location must be a hierarchical URI: " + location);
    }
    String text = uri.toString();
    while (text.endsWith("/") && text.length() > 1) {
      text = text.substring(0, text.length() - 1);
    }
    if ("file".equals(uri.getScheme())) {
      // Kernel and Hadoop spell local paths as file:/x; file:///x names the same file.
      text = "file:" + stripTrailingSlashes(uri.getRawPath());
    }
    return new TableLocation(location, text, URI.create(text + "/"));
  }

  /**
   * The path of a data file as the Delta log records it: relative to the table root when the file
   * lies under it, otherwise the absolute URI. Both forms are URI-encoded, as the protocol demands.
   */
  String pathInLog(URI file) {
    URI normalized = file.normalize();
    if (normalized.getScheme() == null) {
      throw new InvalidCommitRequestException("data file path must be an absolute URI: " + file);
    }
    URI comparable = sameRootForm(normalized);
    URI relative = root.relativize(comparable);
    if (relative.isAbsolute()) {
      return comparable.toString();
    }
    return relative.getRawPath();
  }

  /** The absolute URI of a path as recorded in the log (relative or absolute). */
  URI resolve(String pathInLog) {
    URI parsed;
    try {
      parsed = new URI(pathInLog);
    } catch (URISyntaxException e) {
      // Some writers record unencoded paths; encode them the way Hadoop's Path does.
      parsed = new org.apache.hadoop.fs.Path(pathInLog).toUri();
    }
    if (parsed.isAbsolute()) {
      return parsed;
    }
    return root.resolve(parsed);
  }

  @Override
  public String toString() {
    return kernelPath;
  }

  private URI sameRootForm(URI file) {
    if ("file".equals(file.getScheme()) && "file".equals(root.getScheme())) {
      return URI.create("file:" + file.getRawPath());
    }
    return file;
  }

  private static String stripTrailingSlashes(String path) {
    String p = path;
    while (p.endsWith("/") && p.length() > 1) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
