package io.aquifer.rest;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs the URLs of EXTERNAL_LINKS chunks, as Databricks' presigned cloud storage URLs: whoever
 * holds the URL may read that one chunk, in that format, until it expires, without a token. The key
 * is random per process, so links die with the server.
 */
final class ExternalLinkSigner {
  private final byte[] key = new byte[32];

  ExternalLinkSigner() {
    new SecureRandom().nextBytes(key);
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
}
