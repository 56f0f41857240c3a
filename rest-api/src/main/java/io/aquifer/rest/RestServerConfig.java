package io.aquifer.rest;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the Databricks REST front end.
 *
 * @param port HTTP(S) port, 0 for any free port (property {@code http-port}, default 8080)
 * @param tlsCertificate PEM certificate chain; with {@code tlsKey}, the front end serves HTTPS
 *     (property {@code tls-cert}, default none: plain HTTP)
 * @param tlsKey PEM private key (PKCS#8, RSA or EC) of the certificate (property {@code tls-key})
 * @param externalLinkExpiry how long an EXTERNAL_LINKS URL stays valid (15 minutes, as Databricks'
 *     presigned URLs)
 */
public record RestServerConfig(
    int port, Optional<Path> tlsCertificate, Optional<Path> tlsKey, Duration externalLinkExpiry) {
  public static final int DEFAULT_PORT = 8080;
  public static final Duration DEFAULT_EXTERNAL_LINK_EXPIRY = Duration.ofMinutes(15);

  public RestServerConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("http-port must be 0 to 65535: " + port);
    }
    requireNonNull(tlsCertificate, "tlsCertificate");
    requireNonNull(tlsKey, "tlsKey");
    if (tlsCertificate.isPresent() != tlsKey.isPresent()) {
      throw new IllegalArgumentException("tls-cert and tls-key must be given together");
    }
    requireNonNull(externalLinkExpiry, "externalLinkExpiry");
    if (externalLinkExpiry.isNegative() || externalLinkExpiry.isZero()) {
      throw new IllegalArgumentException("external link expiry must be positive");
    }
  }

  public static RestServerConfig defaults() {
    return new RestServerConfig(
        DEFAULT_PORT, Optional.empty(), Optional.empty(), DEFAULT_EXTERNAL_LINK_EXPIRY);
  }

  public RestServerConfig withPort(int port) {
    return new RestServerConfig(port, tlsCertificate, tlsKey, externalLinkExpiry);
  }

  public boolean tls() {
    return tlsCertificate.isPresent();
  }
}
