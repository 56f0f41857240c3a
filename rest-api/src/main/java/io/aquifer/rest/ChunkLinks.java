package io.aquifer.rest;

import static java.util.Objects.requireNonNull;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, expiring download links to result chunks on the REST front end's port ({@code GET
 * /external-links/{statement}/{chunk}?format=&expires=&signature=}), as Databricks' presigned cloud
 * storage URLs: whoever holds the URL may read that one chunk, in that format, until it expires,
 * without a token. Both the Statement Execution API's EXTERNAL_LINKS and the Thrift protocol's
 * CloudFetch result links are made and served here; each front end registers a {@link Source} that
 * turns a statement's chunk into bytes. The key is random per process, so links die with the
 * server.
 */
public final class ChunkLinks {
  /** The path of a signed link: {@code /external-links/{statement}/{chunk}}. */
  public static final String PATH = "/external-links/";

  /** Turns chunk {@code index} of a statement into the bytes of a link of {@code format}. */
  public interface Source {
    /**
     * @return the bytes, or empty if the statement is not this source's
     * @throws DatabricksApiException if the statement is this source's but the chunk cannot be read
     */
    Optional<Download> chunk(String statementId, int index, String format);
  }

  /** What a link downloads. */
  public record Download(String contentType, byte[] bytes) {
    public Download {
      requireNonNull(contentType, "contentType");
      requireNonNull(bytes, "bytes");
    }
  }

  /** A signed URL and the instant it stops working. */
  public record Link(String url, Instant expires) {}

  private final byte[] key = new byte[32];
  private final Duration expiry;
  private final List<Source> sources = new CopyOnWriteArrayList<>();
  private final AtomicLong downloads = new AtomicLong();

  /**
   * @param expiry how long a link stays valid
   */
  public ChunkLinks(Duration expiry) {
    this.expiry = requireNonNull(expiry, "expiry");
    if (expiry.isNegative() || expiry.isZero()) {
      throw new IllegalArgumentException("external link expiry must be positive");
    }
    new SecureRandom().nextBytes(key);
  }

  /** Adds a source; sources are asked in the order they were added. */
  public void register(Source source) {
    sources.add(requireNonNull(source, "source"));
  }

  public Duration expiry() {
    return expiry;
  }

  /** Chunks served through a valid link since the start, over all sources. */
  public long downloads() {
    return downloads.get();
  }

  /**
   * A link to chunk {@code index} of a statement in {@code format}, valid for {@link #expiry()}.
   *
   * @param baseUrl scheme, host and port the client called
   */
  public Link link(String baseUrl, String statementId, int index, String format) {
    Instant expires = Instant.now().plus(expiry).truncatedTo(ChronoUnit.SECONDS);
    String url =
        baseUrl
            + PATH
            + statementId
            + "/"
            + index
            + "?format="
            + URLEncoder.encode(format, StandardCharsets.UTF_8)
            + "&expires="
            + expires.getEpochSecond()
            + "&signature="
            + sign(statementId, index, format, expires);
    return new Link(url, expires);
  }

  /**
   * The bytes behind a link, from the source the statement belongs to.
   *
   * @throws DatabricksApiException PERMISSION_DENIED for a bad signature or an expired link,
   *     RESOURCE_DOES_NOT_EXIST when no source has the statement (closed)
   */
  Download serve(String statementId, int index, Map<String, String> query) {
    String format = query.getOrDefault("format", "");
    String signature = query.getOrDefault("signature", "");
    long expires;
    try {
      expires = Long.parseLong(query.getOrDefault("expires", ""));
    } catch (NumberFormatException e) {
      throw denied();
    }
    if (!verify(statementId, index, format, Instant.ofEpochSecond(expires), signature)) {
      throw denied();
    }
    if (Instant.now().getEpochSecond() > expires) {
      throw new DatabricksApiException(
          403, "PERMISSION_DENIED", "The external link has expired; fetch the chunk again");
    }
    for (Source source : sources) {
      Optional<Download> download = source.chunk(statementId, index, format);
      if (download.isPresent()) {
        downloads.incrementAndGet();
        return download.get();
      }
    }
    throw DatabricksApiException.notFound("Statement " + statementId + " was closed");
  }

  String sign(String statementId, int chunkIndex, String format, Instant expires) {
    requireNonNull(statementId, "statementId");
    requireNonNull(format, "format");
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] signature =
          mac.doFinal(
              (statementId + "\n" + chunkIndex + "\n" + format + "\n" + expires.getEpochSecond())
                  .getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  boolean verify(
      String statementId, int chunkIndex, String format, Instant expires, String signature) {
    byte[] expected =
        sign(statementId, chunkIndex, format, expires).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
  }

  private static DatabricksApiException denied() {
    return new DatabricksApiException(
        403, "PERMISSION_DENIED", "The external link is not valid: bad or missing signature");
  }
}
