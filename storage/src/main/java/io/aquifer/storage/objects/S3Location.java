package io.aquifer.storage.objects;

import static java.util.Objects.requireNonNull;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import java.net.URI;

/**
 * An S3 bucket and a key prefix in it.
 *
 * @param bucket the bucket
 * @param prefix the key prefix, without leading or trailing slash; empty for the bucket's root
 */
public record S3Location(String bucket, String prefix) {
  public S3Location {
    requireNonNull(bucket, "bucket");
    requireNonNull(prefix, "prefix");
    if (bucket.isBlank()) {
      throw new IllegalArgumentException("an S3 location needs a bucket");
    }
    prefix = trimSlashes(prefix);
  }

  /** Whether {@code uri} names an object in S3 ({@code s3://} or {@code s3a://}). */
  public static boolean isS3(URI uri) {
    String scheme = uri.getScheme();
    return "s3".equalsIgnoreCase(scheme) || "s3a".equalsIgnoreCase(scheme);
  }

  /** Whether {@code path} is an S3 URI ({@code s3://bucket/key}). */
  public static boolean isS3(String path) {
    return path.regionMatches(true, 0, "s3://", 0, 5)
        || path.regionMatches(true, 0, "s3a://", 0, 6);
  }

  /** The location an {@code s3://bucket/prefix} URI names. */
  public static S3Location of(URI uri) {
    requireNonNull(uri, "uri");
    if (!isS3(uri) || uri.getAuthority() == null || uri.getAuthority().isBlank()) {
      throw new StorageException(
          StorageErrorCode.INVALID_FILE_PATH, "not an S3 location (s3://bucket/prefix): " + uri);
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    return new S3Location(uri.getAuthority(), path);
  }

  /** The location of an {@code s3://bucket/key} path string, as Kernel hands paths over. */
  public static S3Location of(String path) {
    requireNonNull(path, "path");
    int schemeEnd = path.indexOf("://");
    if (schemeEnd < 0 || !isS3(path)) {
      throw new StorageException(
          StorageErrorCode.INVALID_FILE_PATH, "not an S3 location (s3://bucket/key): " + path);
    }
    String rest = path.substring(schemeEnd + 3);
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String key = slash < 0 ? "" : rest.substring(slash + 1);
    if (bucket.isEmpty()) {
      throw new StorageException(
          StorageErrorCode.INVALID_FILE_PATH, "an S3 location needs a bucket: " + path);
    }
    return new S3Location(
        bucket,
        java.net.URLDecoder.decode(
            key.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The key of {@code relative} below the prefix ({@code relative} without leading slash). */
  public String key(String relative) {
    if (prefix.isEmpty()) {
      return relative;
    }
    return relative.isEmpty() ? prefix : prefix + "/" + relative;
  }

  /** The URI of this location with a trailing slash, {@code s3://bucket/prefix/}. */
  public URI uri() {
    return URI.create("s3://" + bucket + "/" + (prefix.isEmpty() ? "" : encode(prefix) + "/"));
  }

  /** The URI of the object {@code key} of this bucket. */
  public URI uriOfKey(String key) {
    return URI.create("s3://" + bucket + "/" + encode(key));
  }

  /** The location one level below, {@code prefix/child}. */
  public S3Location resolve(String child) {
    return new S3Location(bucket, key(trimSlashes(child)));
  }

  @Override
  public String toString() {
    return "s3://" + bucket + "/" + prefix;
  }

  private static String encode(String key) {
    try {
      return new URI(null, null, "/" + key, null).getRawPath().substring(1);
    } catch (java.net.URISyntaxException e) {
      throw new StorageException(
          StorageErrorCode.INVALID_FILE_PATH, "not a valid S3 key: " + key, e);
    }
  }

  private static String trimSlashes(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && text.charAt(start) == '/') {
      start++;
    }
    while (end > start && text.charAt(end - 1) == '/') {
      end--;
    }
    return text.substring(start, end);
  }
}
