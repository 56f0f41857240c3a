package io.aquifer.results.cache;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * An S3 bucket and prefix for the result cache.
 *
 * @param bucket the bucket; it must exist
 * @param prefix the key prefix, without leading or trailing slash; empty for the bucket's root
 * @param endpoint an endpoint URL instead of the SDK's chain ({@code AWS_ENDPOINT_URL}, ...)
 * @param region a region instead of the SDK's chain ({@code AWS_REGION}, profile, ...)
 * @param pathStyle path-style requests ({@code http://host/bucket/key}), as MinIO-like servers need
 */
public record S3CacheLocation(
    String bucket,
    String prefix,
    Optional<String> endpoint,
    Optional<String> region,
    boolean pathStyle) {
  public S3CacheLocation {
    requireNonNull(bucket, "bucket");
    requireNonNull(prefix, "prefix");
    requireNonNull(endpoint, "endpoint");
    requireNonNull(region, "region");
    if (bucket.isBlank()) {
      throw new IllegalArgumentException("the result cache's S3 bucket must not be blank");
    }
  }
}
