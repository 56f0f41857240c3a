package io.aquifer.gateway.history;

import io.aquifer.catalog.QueryHistoryEntry;
import java.util.List;
import java.util.Optional;

/**
 * Where the statement lifecycle reports each statement once, when it reaches a final state
 * (finished, failed or canceled), and where {@code system.query.history} reads them back.
 */
public interface QueryHistory {
  /** Keeps nothing: for tools and tests that run a gateway without a catalog database. */
  QueryHistory DISABLED =
      new QueryHistory() {
        @Override
        public void record(QueryHistoryEntry entry) {}

        @Override
        public List<QueryHistoryEntry> entries(Optional<String> executedBy, int limit) {
          return List.of();
        }
      };

  /**
   * Records a finished statement. Returns at once and never throws: a history that cannot keep up
   * or cannot write loses entries (and logs it), it never slows or fails a statement.
   */
  void record(QueryHistoryEntry entry);

  /**
   * The newest entries first, including those recorded but not yet written.
   *
   * @param executedBy only this principal's statements; empty for everyone's
   */
  List<QueryHistoryEntry> entries(Optional<String> executedBy, int limit);

  /** Whether engine profiles are kept (then queries ask their engine for one). */
  default boolean keepsEngineProfiles() {
    return false;
  }

  /**
   * Whether this engine profile ({@code {"plan": ..., "profile": ...}} JSON) would be kept:
   * profiles are kept and it is within the size cap. A statement holds only profiles this accepts.
   */
  default boolean keepsEngineProfile(String planAndProfile) {
    return false;
  }

  /**
   * Adds the engine profile ({@code {"plan": ..., "profile": ...}} JSON) of a statement recorded
   * before it arrived. Returns at once and never throws; one too large to keep is not kept.
   */
  default void recordEngineProfile(String statementId, String planAndProfile) {}

  /** The engine profile kept with a statement, including one recorded but not yet written. */
  default Optional<io.aquifer.catalog.QueryHistoryStore.StoredEngineProfile> engineProfile(
      String statementId) {
    return Optional.empty();
  }
}
