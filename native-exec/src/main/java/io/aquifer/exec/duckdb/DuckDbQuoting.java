package io.aquifer.exec.duckdb;

import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

/** Quoting of identifiers and literals in the SQL the engine generates for DuckDB. */
final class DuckDbQuoting {
  private DuckDbQuoting() {}

  /** {@code "name"}, with embedded double quotes doubled. */
  static String identifier(String name) {
    checkNoNul(name);
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** {@code 'text'}, with embedded single quotes doubled (DuckDB strings have no escapes). */
  static String string(String text) {
    checkNoNul(text);
    return '\'' + text.replace("'", "''") + '\'';
  }

  /**
   * The path DuckDB should open for a file of the Delta log: {@code file:} URIs become local paths
   * (percent-decoded); anything else is passed through.
   */
  static String enginePath(String uriOrPath) {
    if (uriOrPath.regionMatches(true, 0, "file:", 0, 5)) {
      try {
        return Paths.get(URI.create(uriOrPath)).toString();
      } catch (IllegalArgumentException e) {
        return uriOrPath.substring(5).replaceFirst("^//(?=/)", "");
      }
    }
    return uriOrPath;
  }

  /** The local directory of a {@code file:} URI (or a plain absolute path). */
  static Path localDirectory(URI uri) {
    String scheme = uri.getScheme();
    if (scheme == null) {
      return Paths.get(uri.getPath()).toAbsolutePath().normalize();
    }
    if (!scheme.toLowerCase(Locale.ROOT).equals("file")) {
      throw new IllegalArgumentException("not a local file system location: " + uri);
    }
    return Paths.get(uri).toAbsolutePath().normalize();
  }

  private static void checkNoNul(String text) {
    if (text.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("NUL character in SQL text");
    }
  }
}
