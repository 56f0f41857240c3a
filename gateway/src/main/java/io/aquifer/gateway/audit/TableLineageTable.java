package io.aquifer.gateway.audit;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.AuditStore.LineageEntry;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.system.SystemTable;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.TableSchema;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code system.access.table_lineage}: which statement read which table or path and wrote which,
 * newest first, everyone's (who may read it needs SELECT on it, see {@link
 * io.aquifer.gateway.system.SystemCatalog}). Columns as Databricks names them; {@code statement_id}
 * is Databricks' {@code entity_id} for a SQL statement.
 */
public final class TableLineageTable implements SystemTable {
  static final TableSchema COLUMNS =
      new TableSchema(
          List.of(
              Column.of("source_table_full_name", PrimitiveType.STRING),
              Column.of("source_path", PrimitiveType.STRING),
              Column.of("source_type", PrimitiveType.STRING),
              Column.of("target_table_full_name", PrimitiveType.STRING),
              Column.of("target_path", PrimitiveType.STRING),
              Column.of("target_type", PrimitiveType.STRING),
              Column.of("statement_id", PrimitiveType.STRING),
              Column.of("created_by", PrimitiveType.STRING),
              Column.of("event_time", PrimitiveType.TIMESTAMP),
              Column.of("event_date", PrimitiveType.DATE)));

  private final AuditLog log;

  public TableLineageTable(AuditLog log) {
    this.log = requireNonNull(log, "log");
  }

  @Override
  public String schema() {
    return "access";
  }

  @Override
  public String name() {
    return "table_lineage";
  }

  @Override
  public TableSchema columns() {
    return COLUMNS;
  }

  @Override
  public List<List<Object>> rows(Session session) {
    List<List<Object>> rows = new ArrayList<>();
    for (LineageEntry e : log.store().lineage(Optional.empty(), AuditLog.MAX_ROWS_READ)) {
      rows.add(
          Arrays.asList(
              e.sourceTableFullName(),
              e.sourcePath(),
              type(e.sourceTableFullName(), e.sourcePath()),
              e.targetTableFullName(),
              e.targetPath(),
              type(e.targetTableFullName(), e.targetPath()),
              e.statementId(),
              e.createdBy(),
              e.eventTime(),
              e.eventTime().atOffset(ZoneOffset.UTC).toLocalDate()));
    }
    return rows;
  }

  /** {@code TABLE} for a table, {@code PATH} for files read or written by path, else null. */
  private static String type(String table, String path) {
    return table != null ? "TABLE" : path != null ? "PATH" : null;
  }
}
