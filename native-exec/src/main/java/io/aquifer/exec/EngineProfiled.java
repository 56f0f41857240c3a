package io.aquifer.exec;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A query result that has the engine's per-operator profile of the query once all its rows were
 * read (DuckDB's JSON profile: an {@code operator} tree whose nodes have {@code type}, {@code
 * timing} in seconds, {@code intermediate_rows}, {@code extra_info} and {@code children}). Kept for
 * query history.
 */
public interface EngineProfiled {
  /**
   * The profile, once the last batch was read: at once for a local engine, later for a remote node
   * (fetched after its stream ended, off the reader's thread). Completes empty before the end, for
   * a result not read to the end, or if the engine kept none; never exceptionally.
   */
  CompletableFuture<Optional<String>> engineProfile();
}
