package io.aquifer.gateway.history;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.QueryHistoryEntry;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.system.SystemTable;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.TableSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code system.query.history}: every principal's statements, newest first (who may read it needs
 * SELECT on it, see {@link io.aquifer.gateway.system.SystemCatalog}); a session of the Query
 * History REST API sees only its principal's own, everyone's for an admin ({@link
 * Session#ownQueryHistory()}). Columns carry Databricks' {@code system.query.history} names where
 * it has the column; {@code warehouse_id} is Databricks' {@code compute.warehouse_id} flattened,
 * and {@code error_class}, {@code error_sqlstate}, {@code produced_bytes} and {@code
 * planning_duration_ms} are Aquifer's own.
 */
public final class QueryHistoryTable implements SystemTable {
  static final TableSchema COLUMNS =
      new TableSchema(
          List.of(
              column("statement_id", PrimitiveType.STRING),
              column("session_id", PrimitiveType.STRING),
              column("execution_status", PrimitiveType.STRING),
              column("executed_by", PrimitiveType.STRING),
              column("warehouse_id", PrimitiveType.STRING),
              column("statement_text", PrimitiveType.STRING),
              column("statement_type", PrimitiveType.STRING),
              column("error_message", PrimitiveType.STRING),
              column("error_class", PrimitiveType.STRING),
              column("error_sqlstate", PrimitiveType.STRING),
              column("client_application", PrimitiveType.STRING),
              column("start_time", PrimitiveType.TIMESTAMP),
              column("end_time", PrimitiveType.TIMESTAMP),
              column("total_duration_ms", PrimitiveType.BIGINT),
              column("compilation_duration_ms", PrimitiveType.BIGINT),
              column("execution_duration_ms", PrimitiveType.BIGINT),
              column("produced_rows", PrimitiveType.BIGINT),
              column("produced_bytes", PrimitiveType.BIGINT),
              column("written_rows", PrimitiveType.BIGINT),
              column("read_files", PrimitiveType.BIGINT),
              column("pruned_files", PrimitiveType.BIGINT),
              column("from_result_cache", PrimitiveType.BOOLEAN),
              column("cache_origin_statement_id", PrimitiveType.STRING),
              column("planning_duration_ms", PrimitiveType.BIGINT),
              column("waiting_for_compute_duration_ms", PrimitiveType.BIGINT),
              column("waiting_at_capacity_duration_ms", PrimitiveType.BIGINT),
              column("read_cache_bytes", PrimitiveType.BIGINT),
              column("read_remote_bytes", PrimitiveType.BIGINT),
              column("read_io_cache_percent", PrimitiveType.INT)));

  private final QueryHistory history;

  /** Every entry the history keeps (its retention bounds them) is a row. */
  public QueryHistoryTable(QueryHistory history) {
    this.history = requireNonNull(history, "history");
  }

  @Override
  public String schema() {
    return "query";
  }

  @Override
  public String name() {
    return "history";
  }

  @Override
  public TableSchema columns() {
    return COLUMNS;
  }

  @Override
  public List<List<Object>> rows(Session session) {
    Optional<String> executedBy =
        session.ownQueryHistory() && !session.principal().admin()
            ? Optional.of(session.principal().name())
            : Optional.empty();
    List<List<Object>> rows = new ArrayList<>();
    for (QueryHistoryEntry e : history.entries(executedBy, Integer.MAX_VALUE)) {
      rows.add(
          Arrays.asList(
              e.statementId(),
              e.sessionId(),
              e.executionStatus(),
              e.executedBy(),
              e.warehouseId(),
              e.statementText(),
              e.statementType(),
              e.errorMessage(),
              e.errorClass(),
              e.errorSqlState(),
              e.clientApplication(),
              e.startTime(),
              e.endTime(),
              e.totalDurationMs(),
              e.compilationDurationMs(),
              e.executionDurationMs(),
              e.producedRows(),
              e.producedBytes(),
              e.writtenRows(),
              e.readFiles(),
              e.prunedFiles(),
              e.fromResultCache(),
              e.cacheOriginStatementId(),
              e.planningDurationMs(),
              e.waitingForComputeDurationMs(),
              e.waitingAtCapacityDurationMs(),
              e.readCacheBytes(),
              e.readRemoteBytes(),
              ioCachePercent(e)));
    }
    return rows;
  }

  /** Databricks' read_io_cache_percent: the share of the bytes read that the disk cache held. */
  private static Integer ioCachePercent(QueryHistoryEntry e) {
    long cache = e.readCacheBytes() == null ? 0 : e.readCacheBytes();
    long remote = e.readRemoteBytes() == null ? 0 : e.readRemoteBytes();
    if (e.readCacheBytes() == null && e.readRemoteBytes() == null) {
      return null;
    }
    return cache + remote == 0 ? 0 : (int) (cache * 100 / (cache + remote));
  }

  private static Column column(String name, DataType type) {
    return Column.of(name, type);
  }
}
