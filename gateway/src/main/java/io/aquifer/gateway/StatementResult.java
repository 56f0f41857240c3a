package io.aquifer.gateway;

import static java.util.Objects.requireNonNull;

import java.util.OptionalLong;

/** What a finished statement produced: rows, or a count of changed rows. */
public sealed interface StatementResult {

  /**
   * Rows to stream; the caller must close the stream.
   *
   * @param affectedRows for a statement that changes rows and answers them as a result row, like
   *     Databricks' COPY INTO ({@code num_affected_rows, num_inserted_rows}): the count a client
   *     that runs it as an update (JDBC {@code executeUpdate}) receives; empty for queries
   */
  record Rows(ResultStream stream, OptionalLong affectedRows) implements StatementResult {
    public Rows {
      requireNonNull(stream, "stream");
      requireNonNull(affectedRows, "affectedRows");
    }

    public Rows(ResultStream stream) {
      this(stream, OptionalLong.empty());
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
