package io.aquifer.results.cache;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

/**
 * The small manifest of a cache entry ({@code <key>.manifest}, Java properties text), written after
 * its data object ({@code <key>.<write id>.arrows}): it names the data object and its length and
 * SHA-256, so a reader can tell a whole entry from a damaged one. An entry without a manifest does
 * not exist.
 */
final class CacheManifest {
  static final String SUFFIX = ".manifest";
  static final String DATA_SUFFIX = ".arrows";
  private static final String FORMAT = "aquifer-result-cache-1";

  private CacheManifest() {}

  static String manifestName(String key) {
    return key + SUFFIX;
  }

  static byte[] write(CachedResult entry, String dataObject) {
    Properties p = new Properties();
    p.setProperty("format", FORMAT);
    p.setProperty("key", entry.key());
    p.setProperty("data", dataObject);
    p.setProperty("bytes", Long.toString(entry.byteCount()));
    p.setProperty("sha256", sha256(entry.arrowIpc()));
    p.setProperty("rows", Long.toString(entry.rowCount()));
    p.setProperty("principal", entry.principal());
    p.setProperty("statement", entry.originStatementId());
    p.setProperty("created", entry.createdAt().toString());
    StringWriter out = new StringWriter();
    try {
      p.store(out, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** What a manifest says; empty if it is not one of this format for this key. */
  static Optional<Parsed> read(String key, byte[] bytes) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
      if (!FORMAT.equals(p.getProperty("format")) || !key.equals(p.getProperty("key"))) {
        return Optional.empty();
      }
      return Optional.of(
          new Parsed(
              p.getProperty("data"),
              Long.parseLong(p.getProperty("bytes")),
              p.getProperty("sha256"),
              Long.parseLong(p.getProperty("rows")),
              p.getProperty("principal"),
              p.getProperty("statement"),
              Instant.parse(p.getProperty("created"))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  record Parsed(
      String dataObject,
      long bytes,
      String sha256,
      long rows,
      String principal,
      String statement,
      Instant createdAt) {
    Parsed {
      if (dataObject == null || sha256 == null || principal == null || statement == null) {
        throw new IllegalArgumentException("incomplete manifest");
      }
    }

    /** The entry, if {@code data} is the whole data object the manifest describes. */
    Optional<CachedResult> entry(String key, byte[] data) {
      if (data.length != bytes || !sha256.equals(CacheManifest.sha256(data))) {
        return Optional.empty();
      }
      return Optional.of(new CachedResult(key, principal, statement, createdAt, rows, data));
    }
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
