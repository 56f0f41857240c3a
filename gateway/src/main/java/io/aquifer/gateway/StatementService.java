package io.aquifer.gateway;

import io.aquifer.catalog.Principal;
import io.aquifer.results.ResultChunk;
import io.aquifer.storage.types.TableSchema;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The one service every front end (Flight SQL, Avatica, REST, Thrift, web editor) sits on. Front
 * ends translate their wire format into these calls and back; they do no planning, caching or
 * routing of their own. All failures are {@link GatewayException}s.
 */
public interface StatementService {

  /** Checks a personal access token. @throws GatewayException UNAUTHENTICATED */
  Principal authenticateToken(String token);

  /**
   * The engine's per-operator profile of a statement's query as query history kept it, mapped onto
   * its logical plan ({@link io.aquifer.gateway.history.OperatorProfileMapping}), as JSON. Empty if
   * the history kept none or the statement is not the caller's (an admin sees everyone's).
   */
  default java.util.Optional<String> engineProfile(Principal caller, String statementId) {
    return java.util.Optional.empty();
  }

  /**
   * Checks a personal access token presented from {@code clientAddress} (the client's IP address,
   * when the front end knows it), which the audit log records. @throws GatewayException
   * UNAUTHENTICATED
   */
  default Principal authenticateToken(String token, Optional<String> clientAddress) {
    return authenticateToken(token);
  }

  /**
   * Checks a user name and password, where the password is one of the user's tokens (the user name
   * {@code token} accepts any valid token). @throws GatewayException UNAUTHENTICATED
   */
  Principal authenticateBasic(String user, String password);

  /** {@link #authenticateBasic(String, String)} presented from {@code clientAddress}. */
  default Principal authenticateBasic(
      String user, String password, Optional<String> clientAddress) {
    return authenticateBasic(user, password);
  }

  /**
   * Records in the audit log a request outside SQL (a REST call) that a front end refused for want
   * of a right (HTTP 403), unless it was recorded already ({@link GatewayException#audited()}).
   *
   * @param caller who was refused, when known
   * @param serviceName the audit log's {@code service_name}, e.g. {@code filesystem}
   * @param requestParams what was asked, e.g. the HTTP method and path
   */
  default void requestDenied(
      Optional<Principal> caller,
      String serviceName,
      java.util.Map<String, String> requestParams,
      String message,
      Optional<String> clientAddress) {}

  /** Principals and access tokens, for the SCIM and token APIs. */
  default IdentityService identities() {
    throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception(
        "this statement service keeps no principals nor tokens");
  }

  Session openSession(Principal principal);

  /** A new session of a client at {@code clientAddress} (its IP address, when known). */
  default Session openSession(Principal principal, Optional<String> clientAddress) {
    Session session = openSession(principal);
    clientAddress.ifPresent(session::clientAddress);
    return session;
  }

  /** A session by id, if open and owned by the principal. */
  Optional<Session> session(String sessionId, Principal principal);

  /**
   * Sets the warehouse the session's statements run on (a connection property {@code warehouse=<id
   * or name>}); throws {@code RESOURCE_DOES_NOT_EXIST} for an unknown one.
   */
  default void useWarehouse(Session session, String warehouse) {
    session.warehouse(warehouse);
  }

  void closeSession(String sessionId);

  /** Parses and validates without running: result columns, parameters, kind. */
  PreparedStatementInfo prepare(Session session, String sql);

  /**
   * Submits a statement. Returns at once; the statement runs in the background. {@code parameters}
   * bind the {@code ?} markers in order (Java values: Boolean, Long, Integer, BigDecimal, Double,
   * String, byte[], LocalDate, LocalDateTime, Instant, or null).
   */
  Statement submit(Session session, String sql, List<Object> parameters);

  /**
   * Like {@link #submit(Session, String, List)}, with a time limit for this statement alone (JDBC's
   * {@code setQueryTimeout}) that takes the place of the session's {@code STATEMENT_TIMEOUT}.
   */
  default Statement submit(
      Session session, String sql, List<Object> parameters, Optional<Duration> timeout) {
    if (timeout.isPresent()) {
      throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception(
          "statement time limits are not supported");
    }
    return submit(session, sql, parameters);
  }

  /** Convenience: submit and wait for the result. */
  default StatementResult execute(Session session, String sql, List<Object> parameters) {
    return submit(session, sql, parameters).awaitResult();
  }

  /**
   * Cancels a statement in any state; a no-op for a finished one. Any session of the statement's
   * principal may cancel it, and so may an admin. @throws GatewayException STATEMENT_NOT_FOUND
   */
  void cancel(Session session, String statementId);

  // ---- statements as durable objects (statement service v2) ----

  /**
   * A statement by id, for any session of its principal (or an admin): its result can be read again
   * with {@link Statement#awaitResult()} until it is closed or expires.
   *
   * @throws GatewayException STATEMENT_NOT_FOUND for an unknown, forgotten or foreign id
   */
  default Statement statement(Session session, String statementId) {
    throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception("statement lookup by id is not supported");
  }

  /** Where a statement is: state, timings, rows, bytes, error. @throws STATEMENT_NOT_FOUND */
  default StatementStatus status(Session session, String statementId) {
    throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception("statement status is not supported");
  }

  /**
   * Waits up to {@code timeout} for a statement to end (SUCCEEDED, FAILED, CANCELED or CLOSED) and
   * returns its status, ended or not. @throws STATEMENT_NOT_FOUND
   */
  default StatementStatus await(Session session, String statementId, Duration timeout) {
    throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception("awaiting statements is not supported");
  }

  /**
   * Chunk {@code index} of a statement's result (Arrow IPC, schema and one batch), waiting up to
   * {@code wait} for it while the statement still computes; empty if it did not come in time.
   * Chunks can be read again, in any order, until the statement is closed or its result expires.
   *
   * @throws GatewayException STATEMENT_NOT_FOUND, CHUNK_OUT_OF_RANGE past the end or below 0,
   *     RESULT_CLOSED after close or expiry, STATEMENT_HAS_NO_RESULT for statements without rows,
   *     or the statement's own error
   */
  default Optional<ResultChunk> chunk(
      Session session, String statementId, int index, Duration wait) {
    throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception("reading chunks is not supported");
  }

  /**
   * Closes a statement: cancels it if it still runs and frees its result. Idempotent.
   *
   * @throws GatewayException STATEMENT_NOT_FOUND
   */
  default void close(Session session, String statementId) {
    throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception("closing statements is not supported");
  }

  // ---- metadata, for drivers' DatabaseMetaData calls; patterns are SQL LIKE patterns ----

  List<String> catalogs(Session session);

  List<SchemaRef> schemas(
      Session session, Optional<String> catalog, Optional<String> schemaPattern);

  List<TableRef> tables(
      Session session,
      Optional<String> catalog,
      Optional<String> schemaPattern,
      Optional<String> tablePattern,
      List<String> types);

  /**
   * The tables and views of one schema the session may see, each with its owner, kind, times and
   * location: one catalog read for the schema instead of a DESCRIBE per table. An unknown or
   * invisible schema lists nothing.
   */
  default List<TableDetails> tableDetails(Session session, String catalog, String schema) {
    throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception("table details are not supported");
  }

  /**
   * A table's Delta table properties, as {@code SHOW TBLPROPERTIES} shows them (without running a
   * statement); none for a view. @throws GatewayException NOT_FOUND, PERMISSION_DENIED
   */
  default java.util.Map<String, String> tableProperties(Session session, TableRef table) {
    throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception("table properties are not supported");
  }

  /** The columns of a table or view. @throws GatewayException NOT_FOUND */
  TableSchema columns(Session session, String catalog, String schema, String table);

  /**
   * The files of volumes ({@code /Volumes/<catalog>/<schema>/<volume>/...}), for the Files API:
   * every call names the principal, whose READ VOLUME or WRITE VOLUME it checks.
   */
  default io.aquifer.gateway.volumes.VolumeFiles volumeFiles() {
    throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception("volumes are not supported");
  }
}
