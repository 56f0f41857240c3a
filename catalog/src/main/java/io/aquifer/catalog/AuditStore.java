package io.aquifer.catalog;

import static io.aquifer.catalog.CatalogDatabase.fromEpochMicros;
import static io.aquifer.catalog.CatalogDatabase.toEpochMicros;
import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The audit log ({@code system.access.audit}) and table lineage ({@code
 * system.access.table_lineage}) in the catalog database.
 */
public final class AuditStore {
  private final CatalogDatabase database;

  public AuditStore(CatalogDatabase database) {
    this.database = requireNonNull(database, "database");
  }

  /**
   * One audited event.
   *
   * @param user the principal who acted, or null when unknown (a refused token)
   * @param requestParams what was asked, a JSON object (see {@link #json})
   * @param statusCode HTTP-like: 200 done, 401 unauthenticated, 403 denied
   */
  public record AuditEvent(
      Instant eventTime,
      String serviceName,
      String actionName,
      String user,
      String requestParams,
      int statusCode,
      String errorMessage,
      String sourceIpAddress) {
    public AuditEvent {
      requireNonNull(eventTime, "eventTime");
      requireNonNull(serviceName, "serviceName");
      requireNonNull(actionName, "actionName");
      requireNonNull(requestParams, "requestParams");
    }
  }

  /** {@code params} (string values, in their order) as a JSON object. */
  public static String json(Map<String, String> params) {
    StringBuilder json = new StringBuilder("{");
    for (Map.Entry<String, String> e : params.entrySet()) {
      if (json.length() > 1) {
        json.append(',');
      }
      quote(json, e.getKey());
      json.append(':');
      if (e.getValue() == null) {
        json.append("null");
      } else {
        quote(json, e.getValue());
      }
    }
    return json.append('}').toString();
  }

  /**
   * One row of table lineage; any of its tables and paths may be null (a read has no target).
   *
   * @param sourcePath the files read when the source is a path (COPY INTO's source, a {@code
   *     read_files} call), as the user wrote it
   * @param targetPath the files written when the target is a path
   */
  public record LineageEntry(
      Instant eventTime,
      String statementId,
      String createdBy,
      String sourceTableFullName,
      String sourcePath,
      String targetTableFullName,
      String targetPath) {
    public LineageEntry {
      requireNonNull(eventTime, "eventTime");
      requireNonNull(statementId, "statementId");
      requireNonNull(createdBy, "createdBy");
    }

    /** A row between tables (no paths). */
    public LineageEntry(
        Instant eventTime,
        String statementId,
        String createdBy,
        String sourceTableFullName,
        String targetTableFullName) {
      this(eventTime, statementId, createdBy, sourceTableFullName, null, targetTableFullName, null);
    }
  }

  public void record(AuditEvent event) {
    record(List.of(event), List.of());
  }

  /** Records audit events and lineage rows in one transaction. */
  public void record(List<AuditEvent> events, List<LineageEntry> lineage) {
    if (events.isEmpty() && lineage.isEmpty()) {
      return;
    }
    database.writeRecord(
        connection -> {
          for (AuditEvent event : events) {
            insert(connection, event);
          }
          insertLineage(connection, lineage);
          return null;
        });
  }

  /** Records {@code event} in the caller's transaction (a token change and its audit together). */
  static void insert(Connection connection, AuditEvent event) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO audit_log (event_time, service_name, action_name, user_name,"
                + " request_params, status_code, error_message, source_ip_address)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setLong(1, toEpochMicros(event.eventTime().truncatedTo(ChronoUnit.MICROS)));
      insert.setString(2, event.serviceName());
      insert.setString(3, event.actionName());
      setNullable(insert, 4, event.user());
      insert.setString(5, event.requestParams());
      insert.setInt(6, event.statusCode());
      setNullable(insert, 7, event.errorMessage());
      setNullable(insert, 8, event.sourceIpAddress());
      insert.executeUpdate();
    }
  }

  public void recordLineage(List<LineageEntry> entries) {
    record(List.of(), entries);
  }

  private static void insertLineage(Connection connection, List<LineageEntry> entries)
      throws SQLException {
    if (entries.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO table_lineage (event_time, statement_id, created_by,"
                + " source_table_full_name, source_path, target_table_full_name, target_path)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (LineageEntry e : entries) {
        insert.setLong(1, toEpochMicros(e.eventTime().truncatedTo(ChronoUnit.MICROS)));
        insert.setString(2, e.statementId());
        insert.setString(3, e.createdBy());
        setNullable(insert, 4, e.sourceTableFullName());
        setNullable(insert, 5, e.sourcePath());
        setNullable(insert, 6, e.targetTableFullName());
        setNullable(insert, 7, e.targetPath());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /**
   * Audit events, newest first.
   *
   * @param user only this principal's events; empty for everyone's
   */
  public List<AuditEvent> events(Optional<String> user, int limit) {
    return database.read(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT event_time, service_name, action_name, user_name, request_params,"
                      + " status_code, error_message, source_ip_address FROM audit_log"
                      + (user.isPresent() ? " WHERE user_name = ?" : "")
                      + " ORDER BY event_id DESC LIMIT ?")) {
            int i = 1;
            if (user.isPresent()) {
              select.setString(i++, user.get());
            }
            select.setInt(i, limit);
            List<AuditEvent> out = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new AuditEvent(
                        fromEpochMicros(rs.getLong(1)),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getInt(6),
                        rs.getString(7),
                        rs.getString(8)));
              }
            }
            return out;
          }
        });
  }

  /**
   * Lineage rows, newest first.
   *
   * @param createdBy only the rows of this principal's statements; empty for everyone's
   */
  public List<LineageEntry> lineage(Optional<String> createdBy, int limit) {
    return database.read(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT event_time, statement_id, created_by, source_table_full_name,"
                      + " source_path, target_table_full_name, target_path FROM table_lineage"
                      + (createdBy.isPresent() ? " WHERE created_by = ?" : "")
                      + " ORDER BY lineage_id DESC LIMIT ?")) {
            int i = 1;
            if (createdBy.isPresent()) {
              select.setString(i++, createdBy.get());
            }
            select.setInt(i, limit);
            List<LineageEntry> out = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new LineageEntry(
                        fromEpochMicros(rs.getLong(1)),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7)));
              }
            }
            return out;
          }
        });
  }

  /** Deletes audit events and lineage rows older than {@code before}; returns how many. */
  public int deleteOlderThan(Instant before) {
    long micros = toEpochMicros(before);
    return database.writeRecord(
        connection -> {
          int n = 0;
          for (String table : List.of("audit_log", "table_lineage")) {
            try (PreparedStatement delete =
                connection.prepareStatement("DELETE FROM " + table + " WHERE event_time < ?")) {
              delete.setLong(1, micros);
              n += delete.executeUpdate();
            }
          }
          return n;
        });
  }

  private static void setNullable(PreparedStatement s, int index, String value)
      throws SQLException {
    if (value == null) {
      s.setNull(index, Types.VARCHAR);
    } else {
      s.setString(index, value);
    }
  }

  private static void quote(StringBuilder json, String s) {
    json.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
