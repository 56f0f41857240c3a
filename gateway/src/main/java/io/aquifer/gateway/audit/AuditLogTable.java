package io.aquifer.gateway.audit;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.AuditStore.AuditEvent;
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
 * {@code system.access.audit}: the audit log, newest first (who may read it needs SELECT on it, see
 * {@link io.aquifer.gateway.system.SystemCatalog}; a refusal is itself audited). Columns carry
 * Databricks' names; its structs are flattened: {@code user_identity.email} is {@code
 * user_identity_email}, {@code response.status_code} and {@code response.error_message} are {@code
 * response_status_code} and {@code response_error_message}; {@code request_params} is a JSON
 * object.
 */
public final class AuditLogTable implements SystemTable {
  static final TableSchema COLUMNS =
      new TableSchema(
          List.of(
              Column.of("event_time", PrimitiveType.TIMESTAMP),
              Column.of("event_date", PrimitiveType.DATE),
              Column.of("service_name", PrimitiveType.STRING),
              Column.of("action_name", PrimitiveType.STRING),
              Column.of("user_identity_email", PrimitiveType.STRING),
              Column.of("request_params", PrimitiveType.STRING),
              Column.of("response_status_code", PrimitiveType.INT),
              Column.of("response_error_message", PrimitiveType.STRING),
              Column.of("source_ip_address", PrimitiveType.STRING)));

  private final AuditLog log;

  public AuditLogTable(AuditLog log) {
    this.log = requireNonNull(log, "log");
  }

  @Override
  public String schema() {
    return "access";
  }

  @Override
  public String name() {
    return "audit";
  }

  @Override
  public TableSchema columns() {
    return COLUMNS;
  }

  @Override
  public List<List<Object>> rows(Session session) {
    List<List<Object>> rows = new ArrayList<>();
    for (AuditEvent e : log.store().events(Optional.empty(), AuditLog.MAX_ROWS_READ)) {
      rows.add(
          Arrays.asList(
              e.eventTime(),
              e.eventTime().atOffset(ZoneOffset.UTC).toLocalDate(),
              e.serviceName(),
              e.actionName(),
              e.user(),
              e.requestParams(),
              e.statusCode(),
              e.errorMessage(),
              e.sourceIpAddress()));
    }
    return rows;
  }
}
