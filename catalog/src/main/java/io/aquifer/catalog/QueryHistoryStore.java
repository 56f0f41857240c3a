package io.aquifer.catalog;

import static io.aquifer.catalog.CatalogDatabase.fromEpochMicros;
import static io.aquifer.catalog.CatalogDatabase.toEpochMicros;
import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The query history in the catalog database ({@code query_history}, migrations V2, V4, V5, V7).
 * Writes come in batches from one writer; reads list the newest entries first. Old entries are
 * removed by {@link #prune}. An entry written twice (same statement id) keeps the later one.
 */
public final class QueryHistoryStore {
  private static final String COLUMNS =
      "statement_id, session_id, executed_by, warehouse_id, statement_text, statement_type,"
          + " execution_status, error_class, error_sqlstate, error_message, client_application,"
          + " start_time, end_time, compilation_duration_ms, execution_duration_ms,"
          + " total_duration_ms, produced_rows, produced_bytes, written_rows, read_files,"
          + " pruned_files, from_result_cache, cache_origin_statement_id,"
          + " planning_duration_ms, waiting_for_compute_duration_ms,"
          + " waiting_at_capacity_duration_ms, read_cache_bytes, read_remote_bytes";

  /** A statement's stored engine profile and who ran the statement. */
  public record StoredEngineProfile(String statementId, String executedBy, String profileJson) {
    public StoredEngineProfile {
      requireNonNull(statementId, "statementId");
      requireNonNull(executedBy, "executedBy");
      requireNonNull(profileJson, "profileJson");
    }
  }

  private final CatalogDatabase database;

  public QueryHistoryStore(CatalogDatabase database) {
    this.database = requireNonNull(database, "database");
  }

  /** Writes the entries in one transaction. */
  public void insert(List<QueryHistoryEntry> entries) {
    requireNonNull(entries, "entries");
    if (entries.isEmpty()) {
      return;
    }
    database.writeRecord(
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT OR REPLACE INTO query_history ("
                      + COLUMNS
                      + ", engine_profile) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                      + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (QueryHistoryEntry e : entries) {
              insert.setString(1, e.statementId());
              insert.setString(2, e.sessionId());
              insert.setString(3, e.executedBy());
              insert.setString(4, e.warehouseId());
              insert.setString(5, e.statementText());
              insert.setString(6, e.statementType());
              insert.setString(7, e.executionStatus());
              insert.setString(8, e.errorClass());
              insert.setString(9, e.errorSqlState());
              insert.setString(10, e.errorMessage());
              insert.setString(11, e.clientApplication());
              insert.setLong(12, toEpochMicros(e.startTime()));
              insert.setLong(13, toEpochMicros(e.endTime()));
              setLong(insert, 14, e.compilationDurationMs());
              setLong(insert, 15, e.executionDurationMs());
              insert.setLong(16, e.totalDurationMs());
              setLong(insert, 17, e.producedRows());
              setLong(insert, 18, e.producedBytes());
              setLong(insert, 19, e.writtenRows());
              setLong(insert, 20, e.readFiles());
              setLong(insert, 21, e.prunedFiles());
              insert.setInt(22, e.fromResultCache() ? 1 : 0);
              insert.setString(23, e.cacheOriginStatementId());
              setLong(insert, 24, e.planningDurationMs());
              setLong(insert, 25, e.waitingForComputeDurationMs());
              setLong(insert, 26, e.waitingAtCapacityDurationMs());
              setLong(insert, 27, e.readCacheBytes());
              setLong(insert, 28, e.readRemoteBytes());
              insert.setString(29, e.engineProfile());
              insert.addBatch();
            }
            insert.executeBatch();
          }
          return null;
        });
  }

  /**
   * Adds engine profiles (by statement id) to entries already written, in one transaction; an id
   * with no entry (not written yet, dropped, or pruned) is left out. Returns those ids.
   */
  public java.util.Set<String> updateEngineProfiles(
      java.util.Map<String, String> profilesByStatementId) {
    requireNonNull(profilesByStatementId, "profilesByStatementId");
    if (profilesByStatementId.isEmpty()) {
      return java.util.Set.of();
    }
    return database.writeRecord(
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE query_history SET engine_profile = ? WHERE statement_id = ?")) {
            for (java.util.Map.Entry<String, String> e : profilesByStatementId.entrySet()) {
              update.setString(1, e.getValue());
              update.setString(2, e.getKey());
              update.addBatch();
            }
            int[] counts = update.executeBatch();
            java.util.Set<String> missing = new java.util.LinkedHashSet<>();
            int i = 0;
            for (String id : profilesByStatementId.keySet()) {
              if (counts[i++] == 0) {
                missing.add(id);
              }
            }
            return missing;
          }
        });
  }

  /**
   * The newest entries first, at most {@code limit}.
   *
   * @param executedBy only this principal's statements; empty for everyone's
   */
  public List<QueryHistoryEntry> list(Optional<String> executedBy, int limit) {
    requireNonNull(executedBy, "executedBy");
    if (limit < 0) {
      throw new IllegalArgumentException("limit < 0: " + limit);
    }
    return database.read(
        connection -> {
          String sql =
              "SELECT "
                  + COLUMNS
                  + " FROM query_history"
                  + (executedBy.isPresent() ? " WHERE executed_by = ?" : "")
                  + " ORDER BY end_time DESC, statement_id LIMIT ?";
          try (PreparedStatement select = connection.prepareStatement(sql)) {
            int i = 1;
            if (executedBy.isPresent()) {
              select.setString(i++, executedBy.get());
            }
            select.setInt(i, limit);
            List<QueryHistoryEntry> entries = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                entries.add(read(rows));
              }
            }
            return entries;
          }
        });
  }

  /**
   * Removes entries that ended before {@code endedBefore}, then all but the newest {@code
   * keepNewest}; returns how many were removed.
   */
  public int prune(int keepNewest, Instant endedBefore) {
    if (keepNewest < 0) {
      throw new IllegalArgumentException("keepNewest < 0: " + keepNewest);
    }
    requireNonNull(endedBefore, "endedBefore");
    return database.writeRecord(
        connection -> {
          int removed;
          try (PreparedStatement old =
              connection.prepareStatement("DELETE FROM query_history WHERE end_time < ?")) {
            old.setLong(1, toEpochMicros(endedBefore));
            removed = old.executeUpdate();
          }
          try (PreparedStatement excess =
              connection.prepareStatement(
                  "DELETE FROM query_history WHERE statement_id IN (SELECT statement_id FROM"
                      + " query_history ORDER BY end_time DESC, statement_id LIMIT -1 OFFSET ?)")) {
            excess.setInt(1, keepNewest);
            removed += excess.executeUpdate();
          }
          return removed;
        });
  }

  /** The engine profile stored with a statement (V16), if it has one. */
  public Optional<StoredEngineProfile> engineProfile(String statementId) {
    requireNonNull(statementId, "statementId");
    return database.read(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT executed_by, engine_profile FROM query_history"
                      + " WHERE statement_id = ? AND engine_profile IS NOT NULL")) {
            select.setString(1, statementId);
            try (ResultSet rows = select.executeQuery()) {
              return rows.next()
                  ? Optional.of(
                      new StoredEngineProfile(statementId, rows.getString(1), rows.getString(2)))
                  : Optional.empty();
            }
          }
        });
  }

  public int count() {
    return database.read(
        connection -> {
          try (PreparedStatement select =
                  connection.prepareStatement("SELECT count(*) FROM query_history");
              ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getInt(1);
          }
        });
  }

  private static QueryHistoryEntry read(ResultSet rows) throws SQLException {
    return new QueryHistoryEntry(
        rows.getString(1),
        rows.getString(2),
        rows.getString(3),
        rows.getString(4),
        rows.getString(5),
        rows.getString(6),
        rows.getString(7),
        rows.getString(8),
        rows.getString(9),
        rows.getString(10),
        rows.getString(11),
        instant(rows.getLong(12)),
        instant(rows.getLong(13)),
        optionalLong(rows, 14),
        optionalLong(rows, 15),
        rows.getLong(16),
        optionalLong(rows, 17),
        optionalLong(rows, 18),
        optionalLong(rows, 19),
        optionalLong(rows, 20),
        optionalLong(rows, 21),
        rows.getInt(22) == 1,
        rows.getString(23),
        optionalLong(rows, 24),
        optionalLong(rows, 25),
        optionalLong(rows, 26),
        optionalLong(rows, 27),
        optionalLong(rows, 28),
        null);
  }

  private static Instant instant(long micros) {
    return fromEpochMicros(micros);
  }

  private static Long optionalLong(ResultSet rows, int column) throws SQLException {
    long value = rows.getLong(column);
    return rows.wasNull() ? null : value;
  }

  private static void setLong(PreparedStatement statement, int index, Long value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.INTEGER);
    } else {
      statement.setLong(index, value);
    }
  }
}
