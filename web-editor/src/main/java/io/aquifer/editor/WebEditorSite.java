package io.aquifer.editor;

import io.aquifer.rest.StaticAsset;
import io.aquifer.rest.StaticSite;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The browser SQL editor's files, read once from this module's resources ({@code
 * io/aquifer/editor/site/}). The page is served at {@code /} and its scripts and styles under
 * {@code /assets/}; {@code assets/code-editor.js} (CodeMirror 6) is bundled into the resources by
 * the build (see this module's pom). Every file is revalidated by its entity tag ({@code
 * Cache-Control: no-cache}), so a browser never runs a stale script after an upgrade and downloads
 * nothing unchanged. A strict Content-Security-Policy allows scripts, styles and connections from
 * this origin only and no inline script, so a value or name that holds HTML cannot run even if it
 * were inserted as markup.
 */
public final class WebEditorSite implements StaticSite {
  private static final String ROOT = "site/";

  /** The site's files: request path → resource name and media type. */
  private static final Map<String, String[]> FILES =
      Map.of(
          "/",
          new String[] {"index.html", "text/html; charset=utf-8"},
          "/index.html",
          new String[] {"index.html", "text/html; charset=utf-8"},
          "/assets/editor.js",
          new String[] {"assets/editor.js", "text/javascript; charset=utf-8"},
          "/assets/sql.js",
          new String[] {"assets/sql.js", "text/javascript; charset=utf-8"},
          "/assets/code-editor.js",
          new String[] {"assets/code-editor.js", "text/javascript; charset=utf-8"},
          "/assets/editor.css",
          new String[] {"assets/editor.css", "text/css; charset=utf-8"},
          "/assets/favicon.svg",
          new String[] {"assets/favicon.svg", "image/svg+xml"});

  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private final Map<String, StaticAsset> assets = new LinkedHashMap<>();

  public WebEditorSite() {
    Map<String, String> headers =
        Map.of(
            "Cache-Control", "no-cache",
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY");
    FILES.forEach(
        (path, file) -> {
          byte[] body = read(ROOT + file[0]);
          assets.put(path, new StaticAsset(file[1], body, entityTag(body), headers));
        });
  }

  @Override
  public Optional<StaticAsset> asset(String path) {
    return Optional.ofNullable(assets.get(path));
  }

  private static byte[] read(String resource) {
    try (InputStream in = WebEditorSite.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the editor's file is missing from the jar: " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the editor's file " + resource, e);
    }
  }

  private static String entityTag(byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
