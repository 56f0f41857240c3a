package io.aquifer.storage.objects;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The storage a test server runs on, chosen for the whole test JVM by the system property {@value
 * #PROPERTY}: {@code local} (the default: tables in the data directory) or {@code s3}. With {@code
 * s3}, the first server starts one S3Proxy ({@link S3ProxyProcess}) on loopback for the JVM, points
 * the AWS SDK's standard chain at it (as {@code AWS_ENDPOINT_URL} would), and every server gets a
 * fresh prefix of one bucket as its storage root. The proxy stops when the JVM exits.
 */
public final class S3TestStorage {
  public static final String PROPERTY = "aquifer.test.storage";
  private static final String BUCKET = "aquifer-tests";
  private static final AtomicInteger SERVERS = new AtomicInteger();
  private static S3ProxyProcess proxy;
  private static Path directory;

  private S3TestStorage() {}

  /** Whether this JVM's test servers keep their tables in S3. */
  public static boolean enabled() {
    String storage = System.getProperty(PROPERTY, "local").trim();
    if (storage.isEmpty() || storage.equals("local")) {
      return false;
    }
    if (storage.equals("s3")) {
      return true;
    }
    throw new IllegalArgumentException(
        PROPERTY + " must be 'local' or 's3', not '" + storage + "'");
  }

  /**
   * A storage root for one more test server ({@code s3://aquifer-tests/<name>-<n>}), or empty when
   * this JVM's tests run on local storage.
   */
  public static Optional<String> freshRoot(String name) {
    if (!enabled()) {
      return Optional.empty();
    }
    startOnce();
    String prefix = name.replaceAll("[^A-Za-z0-9-]", "-") + "-" + SERVERS.incrementAndGet();
    return Optional.of("s3://" + BUCKET + "/" + prefix);
  }

  private static synchronized void startOnce() {
    if (proxy != null) {
      return;
    }
    try {
      Path directory = Files.createTempDirectory("aquifer-test-s3");
      S3ProxyProcess started = S3ProxyProcess.start(directory);
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> stop(started, directory), "s3proxy-stop"));
      S3ProxyProcess.useTestCredentials();
      System.setProperty("aws.endpointUrl", started.endpoint());
      System.setProperty("aws.region", "us-east-1");
      try (var client = started.client()) {
        client.createBucket(b -> b.bucket(BUCKET));
      }
      proxy = started;
      S3TestStorage.directory = directory;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start S3Proxy for " + PROPERTY + "=s3", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting S3Proxy", e);
    }
  }

  /**
   * A local copy of everything below {@code location} ({@code s3://bucket/prefix}), made now, for
   * checks that read a table's files with tools that know only local files; {@code location} itself
   * when it is not in S3. The copies go when the JVM exits.
   */
  public static synchronized java.net.URI localCopy(java.net.URI location) {
    if (!"s3".equals(location.getScheme())) {
      return location;
    }
    if (proxy == null) {
      throw new IllegalStateException("no S3Proxy in this JVM for " + location);
    }
    S3Location s3 = S3Location.of(location);
    String prefix = s3.prefix().isEmpty() ? "" : s3.prefix() + "/";
    try (var client = proxy.client()) {
      Path copy = Files.createTempDirectory(directory, "copy-");
      client
          .listObjectsV2Paginator(b -> b.bucket(s3.bucket()).prefix(prefix))
          .contents()
          .forEach(
              o -> {
                String relative = o.key().substring(prefix.length());
                if (relative.isEmpty() || relative.endsWith("/")) {
                  return;
                }
                Path target = copy.resolve(relative);
                try {
                  Files.createDirectories(target.getParent());
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
                client.getObject(b -> b.bucket(s3.bucket()).key(o.key()), target);
              });
      return copy.toUri();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + location, e);
    }
  }

  private static void stop(S3ProxyProcess started, Path directory) {
    try {
      started.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind at JVM exit; nothing to report to
    }
  }
}
