package io.aquifer.storage.objects;

import static java.util.Objects.requireNonNull;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Builds S3 clients, and holds the one this process shares for table and volume files. */
public final class S3Clients {
  private static S3Client shared;
  private static S3Settings sharedSettings;

  private S3Clients() {}

  /**
   * The process's client, built on first use from {@link S3Settings#fromEnvironment()}, and again
   * when those settings change (system properties set later, as tests do). The replaced client is
   * left open: calls in flight may still use it.
   */
  public static synchronized S3Client shared() {
    S3Settings settings = S3Settings.fromEnvironment();
    if (shared == null || !settings.equals(sharedSettings)) {
      shared = create(settings);
      sharedSettings = settings;
    }
    return shared;
  }

  /** A client with these settings; credentials from the SDK's default chain. */
  public static S3Client create(S3Settings settings) {
    requireNonNull(settings, "settings");
    try {
      return build(settings);
    } catch (IllegalArgumentException e) {
      throw new StorageException(
          StorageErrorCode.STORAGE_IO_ERROR,
          "cannot set up the S3 client (endpoint "
              + settings.endpoint().orElse("from the SDK's chain")
              + "): "
              + e.getMessage(),
          e);
    }
  }

  private static S3Client build(S3Settings settings) {
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(5))
                    .socketTimeout(Duration.ofSeconds(60)))
            .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofMinutes(10)))
            .forcePathStyle(settings.pathStyle());
    settings.endpoint().map(URI::create).ifPresent(builder::endpointOverride);
    if (settings.region().isPresent()) {
      builder.region(Region.of(settings.region().get()));
    } else if (settings.endpoint().isPresent()) {
      builder.region(regionOr(Region.US_EAST_1));
    }
    try {
      return builder.build();
    } catch (SdkException e) {
      throw new StorageException(
          StorageErrorCode.STORAGE_IO_ERROR, "cannot set up the S3 client: " + e.getMessage(), e);
    }
  }

  private static Region regionOr(Region fallback) {
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkException e) {
      return fallback;
    }
  }
}
