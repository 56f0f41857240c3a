package io.aquifer.exec;

import java.util.Optional;

/**
 * A query result that carries the engine's per-operator profile of the query once all its rows were
 * read (DuckDB's JSON profile: an {@code operator} tree whose nodes have {@code type}, {@code
 * timing} in seconds, {@code intermediate_rows}, {@code extra_info} and {@code children}). Kept for
 * query history.
 */
public interface EngineProfiled {
  /** The profile, once the last batch was read; empty before, or if the engine kept none. */
  Optional<String> engineProfile();
}
