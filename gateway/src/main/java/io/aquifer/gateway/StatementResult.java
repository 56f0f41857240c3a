package io.aquifer.gateway;

import static java.util.Objects.requireNonNull;

/** What a finished statement produced: rows, or a count of changed rows. */
public sealed interface StatementResult {

  /** Rows to stream; the caller must close the stream. */
  record Rows(ResultStream stream) implements StatementResult {
    public Rows {
      requireNonNull(stream, "stream");
    }
  }

  /** Rows changed by DML, or 0 for DDL and other statements that change no rows. */
  record UpdateCount(long count) implements StatementResult {
    public UpdateCount {
      if (count < 0) {
        throw new IllegalArgumentException("count < 0: " + count);
      }
    }
  }
}
