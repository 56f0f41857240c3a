package io.aquifer.gateway.audit;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.AuditStore;
import io.aquifer.catalog.AuditStore.AuditEvent;
import io.aquifer.catalog.AuditStore.LineageEntry;
import io.aquifer.catalog.Principal;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.StatementError;
import io.aquifer.gateway.StatementState;
import io.aquifer.gateway.StatementStatus;
import io.aquifer.gateway.history.StatementStatistics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's audit log ({@code system.access.audit}) and table lineage ({@code
 * system.access.table_lineage}). Each kind of event is recorded in one place: the end of a
 * statement (a grant, revoke or owner change that succeeded, a statement refused with
 * PERMISSION_DENIED, and the tables and paths a successful statement read and wrote), a token check
 * that reached the token store (logins), and the token store itself (tokens created and revoked, in
 * the same transaction).
 *
 * <p>Statement events and logins are written by one background thread, many to a transaction, so
 * that no statement waits for them; when it falls behind by more than {@value #QUEUE} events,
 * events are dropped and logged. Rows older than {@link #RETENTION} are deleted hourly.
 */
public final class AuditLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

  /** How long events and lineage rows are kept. */
  public static final Duration RETENTION = Duration.ofDays(30);

  /** At most this many rows are read back for one query of either table (the newest). */
  public static final int MAX_ROWS_READ = 100_000;

  /** A login with the same token is recorded at most once in this period. */
  static final Duration LOGIN_INTERVAL = Duration.ofMinutes(1);

  private static final int QUEUE = 10_000;
  private static final int MAX_TEXT = 4_000;

  /** Most events and lineage rows written in one transaction. */
  private static final int BATCH = 1_000;

  private final AuditStore store;
  private final BlockingQueue<Object> pending = new ArrayBlockingQueue<>(QUEUE);
  private final Thread writer;
  private volatile boolean closed;
  private final Map<String, Instant> lastLogins = new ConcurrentHashMap<>();

  /** A table's storage location by its full name, for lineage; none: paths left empty. */
  private final java.util.function.Function<String, Optional<String>> tableLocations;

  public AuditLog(AuditStore store) {
    this(store, table -> Optional.empty());
  }

  /**
   * @param tableLocations a table's storage location (a URI) by its lower-case full name, which
   *     lineage rows carry as {@code source_path} / {@code target_path} of a table, as Databricks'
   */
  public AuditLog(
      AuditStore store, java.util.function.Function<String, Optional<String>> tableLocations) {
    this.store = requireNonNull(store, "store");
    this.tableLocations = requireNonNull(tableLocations, "tableLocations");
    this.writer = new Thread(this::writeLoop, "aquifer-audit-writer");
    writer.setDaemon(true);
    writer.start();
  }

  public AuditStore store() {
    return store;
  }

  /**
   * A statement ended: audits a grant change it made, or its refusal for a missing privilege, and
   * records the lineage of a successful statement that read or wrote tables.
   *
   * @param statistics what its executors observed; null for a statement refused before it ran
   * @param clientAddress the IP address of the session's client, when its front end knows it
   */
  public void statementEnded(
      StatementStatus status,
      String sql,
      StatementStatistics statistics,
      Optional<String> clientAddress) {
    String address = clientAddress.orElse(null);
    Instant now = status.endedAt().orElse(Instant.now());
    Optional<StatementError> error = status.error();
    if (status.state() == StatementState.FAILED
        && error.isPresent()
        && GatewayErrorCode.PERMISSION_DENIED.name().equals(error.get().errorClass())) {
      Map<String, String> params = new LinkedHashMap<>();
      params.put("statement_id", status.id());
      params.put("statement_type", status.statementType().orElse(null));
      params.put("statement_text", truncate(sql));
      params.put("error_class", error.get().errorClass());
      write(
          new AuditEvent(
              now,
              "databrickssql",
              "executeStatement",
              status.principal(),
              AuditStore.json(params),
              403,
              error.get().message(),
              address));
    }
    if (status.state() != StatementState.SUCCEEDED || statistics == null) {
      return;
    }
    if (statistics.auditAction() != null) {
      Map<String, String> params = new LinkedHashMap<>(statistics.auditParams());
      params.put("statement_id", status.id());
      write(
          new AuditEvent(
              now,
              "unityCatalog",
              statistics.auditAction(),
              status.principal(),
              AuditStore.json(params),
              200,
              null,
              address));
    }
    List<String> sources = statistics.readTables();
    String target = statistics.writtenTable();
    List<LineageEntry> rows = new ArrayList<>();
    Map<String, String> locations = new java.util.HashMap<>();
    java.util.function.Function<String, String> location =
        table ->
            table == null
                ? null
                : locations.computeIfAbsent(table, t -> tableLocation(t).orElse(null));
    String targetPath = location.apply(target);
    for (String source : sources) {
      if (!source.equals(target)) {
        rows.add(
            new LineageEntry(
                now,
                status.id(),
                status.principal(),
                source,
                location.apply(source),
                target,
                targetPath));
      }
    }
    for (String path : statistics.readPaths()) {
      rows.add(
          new LineageEntry(now, status.id(), status.principal(), null, path, target, targetPath));
    }
    if (rows.isEmpty() && target != null) {
      rows.add(
          new LineageEntry(now, status.id(), status.principal(), null, null, target, targetPath));
    }
    for (LineageEntry row : rows) {
      submit(row);
    }
  }

  private Optional<String> tableLocation(String table) {
    try {
      return tableLocations.apply(table);
    } catch (RuntimeException e) {
      LOG.debug("no storage location for lineage of {}", table, e);
      return Optional.empty();
    }
  }

  /**
   * A token was checked against the token store (not answered from the authentication cache):
   * recorded as {@code accounts.tokenLogin}, at most once a minute for the same token, accepted or
   * refused.
   *
   * @param principal whose token it is; empty when it was refused
   * @param refusal why it was refused; empty when it was accepted
   */
  public void tokenLogin(
      String token, Optional<Principal> principal, String refusal, Optional<String> clientAddress) {
    String key = fingerprint(token);
    Instant now = Instant.now();
    Instant last = lastLogins.get(key);
    if (last != null && last.plus(LOGIN_INTERVAL).isAfter(now)) {
      return;
    }
    lastLogins.put(key, now);
    if (lastLogins.size() > QUEUE) {
      lastLogins.values().removeIf(t -> t.plus(LOGIN_INTERVAL).isBefore(now));
    }
    Map<String, String> params = new LinkedHashMap<>();
    params.put("authenticationMethod", "API_INT_PAT_TOKEN");
    params.put("token_fingerprint", key);
    write(
        new AuditEvent(
            now,
            "accounts",
            "tokenLogin",
            principal.map(Principal::name).orElse(null),
            AuditStore.json(params),
            principal.isPresent() ? 200 : 401,
            principal.isPresent() ? null : refusal,
            clientAddress.orElse(null)));
  }

  /**
   * A request outside SQL refused for want of a right (a REST call answered 403: SCIM changes and
   * token administration by a non-admin, Files API, Unity Catalog and warehouse calls): recorded as
   * {@code permissionDenied} with status 403. Statements refused with PERMISSION_DENIED are
   * recorded by {@link #statementEnded}.
   *
   * @param user who was refused; null when not known
   * @param params what was asked, e.g. the HTTP method and path
   */
  public void denied(
      String service,
      String user,
      Map<String, String> params,
      String message,
      Optional<String> clientAddress) {
    write(
        new AuditEvent(
            Instant.now(),
            service,
            "permissionDenied",
            user,
            AuditStore.json(params),
            403,
            message,
            clientAddress.orElse(null)));
  }

  /** Deletes rows older than {@link #RETENTION}; never throws. */
  public void expire() {
    try {
      int n = store.deleteOlderThan(Instant.now().minus(RETENTION));
      if (n > 0) {
        LOG.info("deleted {} audit and lineage rows older than {}", n, RETENTION);
      }
    } catch (RuntimeException e) {
      LOG.warn("deleting old audit rows failed: {}", e.toString());
    }
  }

  private void write(AuditEvent event) {
    submit(event);
  }

  /** Queues an {@link AuditEvent} or a {@link LineageEntry}; drops it when the queue is full. */
  private void submit(Object item) {
    if (closed || !pending.offer(item)) {
      LOG.error("the audit log is {} events behind or closed; an event was dropped", QUEUE);
    }
  }

  /** Writes what is queued, up to {@value #BATCH} items per transaction, until closed. */
  private void writeLoop() {
    List<Object> batch = new ArrayList<>();
    while (true) {
      try {
        Object first = pending.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closed) {
            return;
          }
          continue;
        }
        batch.add(first);
        pending.drainTo(batch, BATCH - 1);
        List<AuditEvent> events = new ArrayList<>();
        List<LineageEntry> lineage = new ArrayList<>();
        for (Object item : batch) {
          if (item instanceof AuditEvent e) {
            events.add(e);
          } else {
            lineage.add((LineageEntry) item);
          }
        }
        store.record(events, lineage);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.error("writing {} audit and lineage rows failed; they are lost", batch.size(), e);
      } finally {
        batch.clear();
      }
    }
  }

  /** Writes what is queued (waiting up to 5 seconds) and stops the writer. */
  @Override
  public void close() {
    closed = true;
    try {
      writer.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String truncate(String sql) {
    return sql == null || sql.length() <= MAX_TEXT ? sql : sql.substring(0, MAX_TEXT) + "...";
  }

  /** The first 16 hex digits of the token's SHA-256: tells tokens apart, reveals nothing. */
  static String fingerprint(String token) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
