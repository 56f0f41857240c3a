package io.aquifer.gateway.execution;

import static java.util.Objects.requireNonNull;

import io.aquifer.gateway.ResultStream;
import io.aquifer.gateway.StatementPhase;
import io.aquifer.results.ArrowChunkCodec;
import io.aquifer.results.ResultStore;
import io.aquifer.results.StoredResult;

/**
 * Copies a statement's rows from the warehouse into the result store as they arrive, cut into
 * chunks of the store's target size. The first chunk is readable as soon as it is stored; the
 * statement stays RUNNING until the last one is.
 */
final class ResultSpooler {
  private final ResultStore store;

  ResultSpooler(ResultStore store) {
    this.store = requireNonNull(store, "store");
  }

  /**
   * Spools every row; the statement ends SUCCEEDED, or the exception fails it. The time from here
   * to the last chunk stored is its {@link StatementPhase#SPOOLING} phase, recorded before it ends.
   */
  void spool(StatementExecution execution, ResultStream rows) {
    long start = System.nanoTime();
    try (rows) {
      StoredResult stored =
          store.create(execution.id(), execution.session().principal().name(), rows.schema());
      if (!execution.startSpooling(stored)) {
        store.delete(execution.id());
        return;
      }
      long target = store.config().chunkTargetBytes();
      while (rows.next()) {
        execution.checkCanceled();
        for (ArrowChunkCodec.EncodedChunk chunk : ArrowChunkCodec.encode(rows.root(), target)) {
          stored.append(chunk.rowCount(), chunk.arrowIpc());
        }
      }
      execution.statistics().phase(StatementPhase.SPOOLING, System.nanoTime() - start);
      execution.succeedSpooled();
    }
  }
}
