package io.aquifer.jdbc;

import java.sql.SQLException;
import java.util.Optional;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;

/** A statement whose {@link #cancel()} stops it on the server. */
final class AquiferStatement extends AvaticaStatement implements AquiferJdbcStatement {
  AquiferStatement(
      AvaticaConnection connection,
      Meta.StatementHandle h,
      int resultSetType,
      int resultSetConcurrency,
      int resultSetHoldability) {
    super(connection, h, resultSetType, resultSetConcurrency, resultSetHoldability);
  }

  /**
   * Stops what this statement runs, from any thread: the running call fails with SQLSTATE 57014,
   * and the statement stays usable. (Not synchronized, unlike Avatica's, which waits for the
   * running call.)
   */
  /**
   * Also sent to the server, which cancels an execution that runs longer, in the engine too (the
   * call fails with SQLSTATE 57014; the statement stays usable).
   */
  @Override
  public void setQueryTimeout(int seconds) throws SQLException {
    super.setQueryTimeout(seconds);
    ((AquiferConnection) connection).queryTimeout(getId(), seconds);
  }

  @Override
  public Optional<String> runningStatementId() throws SQLException {
    checkOpen();
    return ((AquiferConnection) connection).runningStatementId(getId());
  }

  @Override
  public void cancel() throws SQLException {
    checkOpen();
    ((AquiferConnection) connection).cancel(getId());
  }
}
