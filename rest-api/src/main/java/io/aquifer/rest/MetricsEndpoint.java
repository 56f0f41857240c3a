package io.aquifer.rest;

/** What {@code GET /metrics} answers: a scrape of the server's metrics in a text format. */
public interface MetricsEndpoint {
  /** The HTTP content type of {@link #scrape}, e.g. Prometheus' text format. */
  String contentType();

  /** The metrics now. */
  byte[] scrape();
}
