package io.aquifer.gateway;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.Principal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client's conversation with the gateway: who it is, its current catalog and schema, its settings
 * and its temporary views. Thread-safe; one session may run several statements at once.
 */
public final class Session {
  private final String id;
  private final Principal principal;
  private final Instant createdAt;
  private volatile String currentCatalog;
  private volatile String currentSchema;
  private final Map<String, String> settings = new ConcurrentHashMap<>();
  private volatile String clientApplication;
  private volatile String clientAddress;
  private volatile String warehouse;
  private volatile boolean ownQueryHistory;
  private final Map<String, TemporaryView> temporaryViews = new ConcurrentHashMap<>();
  private final AtomicLong changes = new AtomicLong();

  public Session(String id, Principal principal, String currentCatalog, String currentSchema) {
    this.id = requireNonNull(id, "id");
    this.principal = requireNonNull(principal, "principal");
    this.currentCatalog = requireNonNull(currentCatalog, "currentCatalog");
    this.currentSchema = requireNonNull(currentSchema, "currentSchema");
    this.createdAt = Instant.now();
  }

  public String id() {
    return id;
  }

  public Principal principal() {
    return principal;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public String currentCatalog() {
    return currentCatalog;
  }

  public String currentSchema() {
    return currentSchema;
  }

  /** Switches catalog and schema together (USE CATALOG resets the schema to {@code default}). */
  public synchronized void use(String catalog, String schema) {
    this.currentCatalog = requireNonNull(catalog, "catalog");
    this.currentSchema = requireNonNull(schema, "schema");
  }

  /** The front end and driver the client came through, for the query history; set once. */
  public void clientApplication(String name) {
    this.clientApplication = requireNonNull(name, "name");
  }

  public Optional<String> clientApplication() {
    return Optional.ofNullable(clientApplication);
  }

  /** The client's IP address as the front end saw it, for the audit log; set once. */
  public void clientAddress(String address) {
    this.clientAddress = requireNonNull(address, "address");
  }

  public Optional<String> clientAddress() {
    return Optional.ofNullable(clientAddress);
  }

  public Map<String, String> settings() {
    return settings;
  }

  /** The warehouse this session's statements run on, by id or name; empty for the default. */
  public Optional<String> warehouse() {
    return Optional.ofNullable(warehouse);
  }

  public void warehouse(String idOrName) {
    this.warehouse = requireNonNull(idOrName, "idOrName");
  }

  /**
   * Marks a session of the Query History REST API ({@code GET /api/2.0/sql/history/queries}): as in
   * Databricks, that API shows a principal its own statements (an admin everyone's) without any
   * grant on the {@code system} catalog, so {@code system.query.history} answers such a session
   * without privilege checks, with the principal's own rows only.
   */
  public void ownQueryHistory(boolean own) {
    this.ownQueryHistory = own;
  }

  public boolean ownQueryHistory() {
    return ownQueryHistory;
  }

  /** The session's temporary views, by lower-case name; they end with the session. */
  public Map<String, TemporaryView> temporaryViews() {
    return temporaryViews;
  }

  /**
   * Called before and after every statement of the session that is not a query: it may change the
   * session's own state (current catalog and schema, settings, temporary views).
   */
  public void changing() {
    changes.incrementAndGet();
  }

  /**
   * How many times {@link #changing()} was called: unchanged between two reads, no statement that
   * could change the session's state started or ended in between.
   */
  public long changes() {
    return changes.get();
  }
}
