package io.aquifer.results.cache;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Cache objects in an S3 bucket under a prefix, through the AWS SDK v2. Credentials, region and
 * endpoint come from the SDK's standard chain (environment such as {@code AWS_ACCESS_KEY_ID},
 * {@code AWS_REGION}, {@code AWS_ENDPOINT_URL}; system properties; profiles; instance roles) unless
 * the configuration names an endpoint or region. A PUT is atomic in S3: readers never see half an
 * object.
 */
public final class S3CacheStore implements CacheObjectStore {
  private final S3Client client;
  private final String bucket;
  private final String prefix;

  public S3CacheStore(S3CacheLocation location) {
    requireNonNull(location, "location");
    S3ClientBuilder builder =
        S3Client.builder()
            // Lookups run on the statement's thread: a store that does not answer must not hold
            // queries for long (the cache then skips the store for a while).
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(2))
                    .socketTimeout(Duration.ofSeconds(30)))
            .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(120)))
            .forcePathStyle(location.pathStyle());
    location.endpoint().map(URI::create).ifPresent(builder::endpointOverride);
    location.region().map(Region::of).ifPresent(builder::region);
    try {
      this.client = builder.build();
    } catch (SdkException e) {
      throw new CacheStoreException(
          "cannot set up the S3 client for the result cache (s3://"
              + location.bucket()
              + "): "
              + e.getMessage(),
          e);
    }
    this.bucket = location.bucket();
    this.prefix = location.prefix().isEmpty() ? "" : stripSlashes(location.prefix()) + "/";
  }

  @Override
  public Optional<byte[]> read(String name) {
    try {
      return Optional.of(
          client.getObjectAsBytes(b -> b.bucket(bucket).key(prefix + name)).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw failure("read", name, e);
    }
  }

  @Override
  public void write(String name, byte[] bytes) {
    try {
      client.putObject(b -> b.bucket(bucket).key(prefix + name), RequestBody.fromBytes(bytes));
    } catch (SdkException e) {
      throw failure("write", name, e);
    }
  }

  @Override
  public void delete(String name) {
    try {
      client.deleteObject(b -> b.bucket(bucket).key(prefix + name));
    } catch (NoSuchKeyException e) {
      // gone already
    } catch (SdkException e) {
      throw failure("delete", name, e);
    }
  }

  @Override
  public List<String> list() {
    List<String> names = new ArrayList<>();
    try {
      ListObjectsV2Request request =
          ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build();
      for (ListObjectsV2Response page : client.listObjectsV2Paginator(request)) {
        for (S3Object o : page.contents()) {
          String name = o.key().substring(prefix.length());
          if (!name.isEmpty() && !name.contains("/")) {
            names.add(name);
          }
        }
      }
    } catch (SdkException e) {
      throw failure("list", "", e);
    }
    return names;
  }

  @Override
  public String describe() {
    return "s3://" + bucket + "/" + prefix;
  }

  @Override
  public void close() {
    client.close();
  }

  private CacheStoreException failure(String action, String name, SdkException e) {
    return new CacheStoreException(
        "cannot " + action + " s3://" + bucket + "/" + prefix + name + ": " + e.getMessage(), e);
  }

  private static String stripSlashes(String value) {
    String s = value;
    while (s.startsWith("/")) {
      s = s.substring(1);
    }
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }
}
