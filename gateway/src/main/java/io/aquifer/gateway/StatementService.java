package io.aquifer.gateway;

import io.aquifer.catalog.Principal;
import io.aquifer.storage.types.TableSchema;
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
   * Checks a user name and password, where the password is one of the user's tokens (the user name
   * {@code token} accepts any valid token). @throws GatewayException UNAUTHENTICATED
   */
  Principal authenticateBasic(String user, String password);

  Session openSession(Principal principal);

  /** A session by id, if open and owned by the principal. */
  Optional<Session> session(String sessionId, Principal principal);

  void closeSession(String sessionId);

  /** Parses and validates without running: result columns, parameters, kind. */
  PreparedStatementInfo prepare(Session session, String sql);

  /**
   * Submits a statement. Returns at once; the statement runs in the background. {@code parameters}
   * bind the {@code ?} markers in order (Java values: Boolean, Long, Integer, BigDecimal, Double,
   * String, byte[], LocalDate, LocalDateTime, Instant, or null).
   */
  Statement submit(Session session, String sql, List<Object> parameters);

  /** Convenience: submit and wait for the result. */
  default StatementResult execute(Session session, String sql, List<Object> parameters) {
    return submit(session, sql, parameters).awaitResult();
  }

  /** Cancels a statement in any state; a no-op for a finished one. */
  void cancel(Session session, String statementId);

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

  /** The columns of a table or view. @throws GatewayException NOT_FOUND */
  TableSchema columns(Session session, String catalog, String schema, String table);
}
