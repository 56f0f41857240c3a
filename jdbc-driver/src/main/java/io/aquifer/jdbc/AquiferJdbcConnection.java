package io.aquifer.jdbc;

import java.sql.SQLException;

/**
 * What an Aquifer connection can do beyond JDBC; reach it with {@code
 * connection.unwrap(AquiferJdbcConnection.class)}.
 */
public interface AquiferJdbcConnection {
  /**
   * Cancels a statement by its server-side id (see {@link
   * AquiferJdbcStatement#runningStatementId()}, or the {@code statement_id} column of {@code
   * system.query.history}): one that any connection of the same user runs, or anyone's for an
   * admin. The execution fails there with SQLSTATE 57014 and that connection stays usable;
   * canceling a statement that already ended does nothing.
   *
   * @throws SQLException {@code STATEMENT_NOT_FOUND} for an unknown id or another user's statement
   */
  void cancelStatement(String statementId) throws SQLException;
}
