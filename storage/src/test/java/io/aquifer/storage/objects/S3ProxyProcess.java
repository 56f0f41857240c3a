package io.aquifer.storage.objects;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * S3Proxy 4.1.0 with its filesystem backend, as a child process on loopback: a real S3 API server
 * for tests. It runs in its own JVM because its dependencies would clash with Aquifer's on one
 * class path; the build copies its jar to {@code target/s3proxy/s3proxy.jar}. Other modules' tests
 * use it through this module's test-jar (they copy the jar the same way).
 */
public final class S3ProxyProcess implements AutoCloseable {
  private final Process process;
  private final int port;

  private S3ProxyProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts S3Proxy over {@code directory} and waits until it answers. */
  public static S3ProxyProcess start(Path directory) throws IOException, InterruptedException {
    return start(directory, freePort());
  }

  public static S3ProxyProcess start(Path directory, int port)
      throws IOException, InterruptedException {
    Path jar = Path.of("target/s3proxy/s3proxy.jar").toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IllegalStateException("no " + jar + ": run the build's generate-test-resources");
    }
    Path blobs = Files.createDirectories(directory.resolve("blobs"));
    Path properties = directory.resolve("s3proxy.properties");
    Files.writeString(
        properties,
        String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:" + port,
            "s3proxy.authorization=none",
            "jclouds.provider=filesystem",
            "jclouds.identity=local",
            "jclouds.credential=local",
            "jclouds.filesystem.basedir=" + blobs,
            ""));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-Xmx256m",
                    "-jar",
                    jar.toString(),
                    "--properties",
                    properties.toString()))
            .redirectErrorStream(true)
            .redirectOutput(directory.resolve("s3proxy.log").toFile())
            .start();
    S3ProxyProcess proxy = new S3ProxyProcess(process, port);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!proxy.answers()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        proxy.close();
        throw new IllegalStateException(
            "S3Proxy did not start; see " + directory.resolve("s3proxy.log"));
      }
      Thread.sleep(50);
    }
    return proxy;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  private boolean answers() {
    try {
      HttpURLConnection c =
          (HttpURLConnection) URI.create(endpoint() + "/").toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(2000);
      try {
        return c.getResponseCode() > 0;
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }

  /** A client of this server with the test's fixed credentials, path-style. */
  public software.amazon.awssdk.services.s3.S3Client client() {
    return S3Clients.create(
        new S3Settings(
            java.util.Optional.of(endpoint()), java.util.Optional.of("us-east-1"), true));
  }

  /** Credentials for the SDK's default chain; S3Proxy runs without authorization. */
  public static void useTestCredentials() {
    System.setProperty("aws.accessKeyId", "local");
    System.setProperty("aws.secretAccessKey", "local");
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
