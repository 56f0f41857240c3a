package io.aquifer.jdbc;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells the server that a connection's client is alive: {@code POST /aquifer/heartbeat} with the
 * connection id, every {@value #INTERVAL_MILLIS} ms from one daemon thread shared by all
 * connections. When the beats stop (the client was killed, or its network is gone), the server
 * closes the connection after a few missed beats and cancels what its statements run, instead of
 * computing for nobody until the idle timeout.
 *
 * <p>The first beat is sent at connect, synchronously: a server that does not answer it (one older
 * than heartbeats) gets none, and keeps its idle timeout. A 404 later means the server closed the
 * connection; the beats stop. Like the cancel endpoint, a heartbeat is authorized by the connection
 * id, which only this connection knows.
 */
final class ConnectionHeartbeat {
  static final String PATH = "/aquifer/heartbeat";
  static final long INTERVAL_MILLIS = 500;
  private static final Duration FIRST_BEAT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration BEAT_TIMEOUT = Duration.ofSeconds(5);

  private static final ScheduledExecutorService SCHEDULER =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "aquifer-jdbc-heartbeat");
            thread.setDaemon(true);
            return thread;
          });

  /** One HTTP client for every connection's beats (its threads are daemons). */
  private static final class Http {
    static final HttpClient CLIENT =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(FIRST_BEAT_TIMEOUT)
            .build();
  }

  private final HttpRequest beat;
  private final AtomicBoolean inFlight = new AtomicBoolean();
  private volatile ScheduledFuture<?> task;
  private volatile boolean stopped;

  private ConnectionHeartbeat(HttpRequest beat) {
    this.beat = beat;
  }

  /**
   * Sends the first beat and, if the server answers it, schedules the others; empty when the server
   * does not take heartbeats (or could not be asked).
   */
  static Optional<ConnectionHeartbeat> start(String serverUrl, String connectionId) {
    String base =
        serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl;
    HttpRequest.Builder request;
    try {
      request =
          HttpRequest.newBuilder(URI.create(base + PATH))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "connection_id=" + URLEncoder.encode(connectionId, StandardCharsets.UTF_8)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    try {
      HttpResponse<Void> first =
          Http.CLIENT.send(
              request.copy().timeout(FIRST_BEAT_TIMEOUT).build(),
              HttpResponse.BodyHandlers.discarding());
      if (first.statusCode() != 200) {
        return Optional.empty();
      }
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    ConnectionHeartbeat heartbeat = new ConnectionHeartbeat(request.timeout(BEAT_TIMEOUT).build());
    heartbeat.task =
        SCHEDULER.scheduleAtFixedRate(
            heartbeat::send, INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    return Optional.of(heartbeat);
  }

  /** Stops the beats (the connection is closing). Idempotent. */
  void stop() {
    stopped = true;
    ScheduledFuture<?> current = task;
    if (current != null) {
      current.cancel(false);
    }
  }

  private void send() {
    if (stopped || !inFlight.compareAndSet(false, true)) {
      return; // the previous beat is still under way: the server is slow, not the client gone
    }
    try {
      Http.CLIENT
          .sendAsync(beat, HttpResponse.BodyHandlers.discarding())
          .whenComplete(
              (response, failure) -> {
                inFlight.set(false);
                if (response != null && response.statusCode() == 404) {
                  stop(); // the server closed the connection
                }
              });
    } catch (RuntimeException e) {
      inFlight.set(false);
    }
  }
}
