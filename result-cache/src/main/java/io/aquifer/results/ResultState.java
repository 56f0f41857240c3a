package io.aquifer.results;

/** Where a stored result is in its life. */
public enum ResultState {
  /** Chunks are still being added; readers of later chunks wait. */
  SPOOLING,
  /** Every chunk is there. */
  COMPLETE,
  /** The producer failed or was canceled; the chunks were dropped. */
  FAILED,
  /** Closed by its client, expired, or deleted to make room; the chunks were dropped. */
  DELETED
}
