package io.aquifer.storage.objects;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * How to reach S3. Empty fields leave the choice to the AWS SDK's standard chain (environment,
 * system properties, profile, instance metadata).
 *
 * @param endpoint an endpoint URL (a MinIO-like server); from {@code AWS_ENDPOINT_URL_S3}, {@code
 *     AWS_ENDPOINT_URL} or the system property {@code aws.endpointUrl} by default
 * @param region a region; with an endpoint and no region anywhere, {@code us-east-1}
 * @param pathStyle {@code http://host/bucket/key} requests, as MinIO-like servers need; by default
 *     on exactly when an endpoint is set, {@code AQUIFER_S3_PATH_STYLE=true|false} decides
 *     otherwise
 */
public record S3Settings(Optional<String> endpoint, Optional<String> region, boolean pathStyle) {
  public S3Settings {
    requireNonNull(endpoint, "endpoint");
    requireNonNull(region, "region");
  }

  /** The settings of this process's environment and system properties. */
  public static S3Settings fromEnvironment() {
    return fromEnvironment(System.getenv(), System.getProperties());
  }

  static S3Settings fromEnvironment(Map<String, String> env, java.util.Properties properties) {
    Optional<String> endpoint =
        first(
            properties.getProperty("aws.endpointUrl"),
            env.get("AWS_ENDPOINT_URL_S3"),
            env.get("AWS_ENDPOINT_URL"));
    Optional<String> region = first(properties.getProperty("aws.region"), env.get("AWS_REGION"));
    String pathStyle =
        first(properties.getProperty("aquifer.s3.pathStyle"), env.get("AQUIFER_S3_PATH_STYLE"))
            .orElse(null);
    boolean path = pathStyle == null ? endpoint.isPresent() : Boolean.parseBoolean(pathStyle);
    return new S3Settings(endpoint, region, path);
  }

  private static Optional<String> first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return Optional.of(v.trim());
      }
    }
    return Optional.empty();
  }
}
